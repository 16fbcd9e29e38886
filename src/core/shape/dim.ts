// Tensor dimensions that are concrete and, where they derive from a symbolic input dimension, symbolic too.
//
// CONTRACT (used by ops/ and interp/): a Dim is immutable; `value` is the concrete size (null when
// unknown); `expr` is a symbolic expression over named input dimensions (null when the dim is a
// plain constant). All arithmetic goes through the functions below, which keep both in step.

import { Expr, exprAdd, exprMul, exprFloorDiv, exprCeilDiv, exprMod, exprConst, exprSym, exprFormat, exprEquals, exprEval } from './expr';

export interface Dim {
  readonly value: number | null;
  readonly expr: Expr | null;
}

export type DimLike = Dim | number;

export function dim(n: number): Dim {
  return { value: n, expr: null };
}

/** A named input dimension (`B`, `H`), optionally with its concrete value. */
export function symDim(name: string, value: number | null): Dim {
  return { value, expr: exprSym(name, value) };
}

export function unknownDim(): Dim {
  return { value: null, expr: null };
}

export function asDim(d: DimLike): Dim {
  return typeof d === 'number' ? dim(d) : d;
}

function exprOf(d: Dim): Expr | null {
  if (d.expr) return d.expr;
  return d.value === null ? null : exprConst(d.value);
}

function combine(a: DimLike, b: DimLike, num: (x: number, y: number) => number | null, sym: (x: Expr, y: Expr) => Expr): Dim {
  const da = asDim(a);
  const db = asDim(b);
  const value = da.value === null || db.value === null ? null : num(da.value, db.value);
  if (!da.expr && !db.expr) return { value, expr: null };
  const ea = exprOf(da);
  const eb = exprOf(db);
  if (!ea || !eb) return { value, expr: null };
  const expr = sym(ea, eb);
  // Symbols that cancel leave a plain number, known even when the symbols' values are not (L - (L-3) = 3).
  if (expr.kind === 'const') return { value: value ?? expr.value, expr: null };
  return { value, expr };
}

export const dimAdd = (a: DimLike, b: DimLike): Dim => combine(a, b, (x, y) => x + y, exprAdd);
export const dimSub = (a: DimLike, b: DimLike): Dim =>
  combine(
    a,
    b,
    (x, y) => x - y,
    (x, y) => exprAdd(x, exprMul(exprConst(-1), y)),
  );
export const dimMul = (a: DimLike, b: DimLike): Dim => combine(a, b, (x, y) => x * y, exprMul);
export const dimFloorDiv = (a: DimLike, b: DimLike): Dim => combine(a, b, (x, y) => (y === 0 ? null : Math.floor(x / y)), exprFloorDiv);
export const dimCeilDiv = (a: DimLike, b: DimLike): Dim => combine(a, b, (x, y) => (y === 0 ? null : Math.ceil(x / y)), exprCeilDiv);
export const dimMod = (a: DimLike, b: DimLike): Dim => combine(a, b, (x, y) => (y === 0 ? null : x - y * Math.floor(x / y)), exprMod);

/** true/false when it can be decided, null when either side is unknown. */
export function dimEquals(a: DimLike, b: DimLike): boolean | null {
  const da = asDim(a);
  const db = asDim(b);
  if (da.value !== null && db.value !== null) return da.value === db.value;
  if (da.expr && db.expr && exprEquals(da.expr, db.expr)) return true;
  return null;
}

/** Symbolic form when there is one (`H/2`), else the number, else `?`. */
export function formatDim(d: Dim): string {
  if (d.expr) return exprFormat(d.expr);
  return d.value === null ? '?' : String(d.value);
}

export function evalDim(d: Dim, bindings: ReadonlyMap<string, number>): number | null {
  if (d.expr) return exprEval(d.expr, bindings);
  return d.value;
}
