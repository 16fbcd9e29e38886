// Symbolic integer expressions over named dimensions (B, H, W): polynomial terms with floor/ceil atoms.
//
// PLACEHOLDER CONTRACT — the shape owner replaces the internals; the exported names and meanings stay.
export type Expr =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'sym'; readonly name: string; readonly value: number | null }
  | { readonly kind: 'op'; readonly op: 'add' | 'mul' | 'floordiv' | 'ceildiv' | 'mod'; readonly args: readonly Expr[] };

export const exprConst = (value: number): Expr => ({ kind: 'const', value });
export const exprSym = (name: string, value: number | null): Expr => ({ kind: 'sym', name, value });
const op = (o: 'add' | 'mul' | 'floordiv' | 'ceildiv' | 'mod', a: Expr, b: Expr): Expr => ({ kind: 'op', op: o, args: [a, b] });
export const exprAdd = (a: Expr, b: Expr): Expr => op('add', a, b);
export const exprMul = (a: Expr, b: Expr): Expr => op('mul', a, b);
export const exprFloorDiv = (a: Expr, b: Expr): Expr => op('floordiv', a, b);
export const exprCeilDiv = (a: Expr, b: Expr): Expr => op('ceildiv', a, b);
export const exprMod = (a: Expr, b: Expr): Expr => op('mod', a, b);
export function exprEquals(a: Expr, b: Expr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
export function exprEval(e: Expr, env: ReadonlyMap<string, number>): number | null {
  if (e.kind === 'const') return e.value;
  if (e.kind === 'sym') return env.get(e.name) ?? e.value;
  const [a, b] = e.args.map((x) => exprEval(x, env));
  if (a === null || a === undefined || b === null || b === undefined) return null;
  switch (e.op) {
    case 'add': return a + b;
    case 'mul': return a * b;
    case 'floordiv': return Math.floor(a / b);
    case 'ceildiv': return Math.ceil(a / b);
    case 'mod': return a - b * Math.floor(a / b);
  }
}
export function exprFormat(e: Expr): string {
  if (e.kind === 'const') return String(e.value);
  if (e.kind === 'sym') return e.name;
  const [a, b] = e.args.map(exprFormat);
  switch (e.op) {
    case 'add': return `(${a}+${b})`;
    case 'mul': return `${a}*${b}`;
    case 'floordiv': return `floor(${a}/${b})`;
    case 'ceildiv': return `ceil(${a}/${b})`;
    case 'mod': return `(${a} mod ${b})`;
  }
}
