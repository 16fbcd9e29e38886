// Element values of small constant tensors made from literal arguments (`torch.linspace(0, 0.1, 4)`), so `.item()`/`.tolist()` give numbers.
import type { BoundArgs } from '../ops/types';
import type { PyValue } from '../ops/values';
import type { DType, Shape } from '../shape/shape';

/** Above this many elements values are not tracked (they are for config arithmetic, not data). */
const MAX_ELEMENTS = 4096;

/** A Python number that is a plain constant (not derived from a symbolic input size). */
function constNum(v: PyValue | undefined): number | null {
  if (!v) return null;
  if (v.kind === 'int') return v.dim.expr === null ? v.dim.value : null;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind === 'float') return v.value;
  return null;
}

/** Rounds to what a tensor of `dtype` stores. */
export function storeAs(x: number, dtype: DType): number {
  if (dtype === 'float32') return Math.fround(x);
  if (dtype === 'bool') return x !== 0 ? 1 : 0;
  if (dtype.startsWith('int') || dtype.startsWith('uint')) return Math.trunc(x);
  return x;
}

/** torch.linspace in the output precision: the first half steps up from start, the second half down from end (as torch's kernel does). */
function linspaceValues(a: BoundArgs, dtype: DType): number[] | null {
  const start = constNum(a.start);
  const end = constNum(a.end);
  const n = constNum(a.steps);
  if (start === null || end === null || n === null || !Number.isInteger(n) || n < 0 || n > MAX_ELEMENTS) return null;
  if (n === 1) return [storeAs(start, dtype)];
  const f = dtype === 'float32' ? Math.fround : (x: number) => x;
  const step = f(f(f(end) - f(start)) / (n - 1));
  const half = Math.floor(n / 2);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(storeAs(i < half ? f(start) + f(step * i) : f(end) - f(step * (n - i - 1)), dtype));
  return out;
}

function arangeValues(a: BoundArgs, dtype: DType): number[] | null {
  const hasEnd = a.end !== undefined && a.end.kind !== 'none';
  const start = hasEnd ? constNum(a.start) : 0;
  const end = constNum(hasEnd ? a.end : a.start);
  const step = constNum(a.step) ?? 1;
  if (start === null || end === null || step === 0) return null;
  const n = Math.max(0, Math.ceil((end - start) / step));
  if (n > MAX_ELEMENTS) return null;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(storeAs(start + i * step, dtype));
  return out;
}

/** Flattened numbers of a nested list/tuple literal (row-major), or null when any leaf is not a constant number. */
function literalValues(v: PyValue | undefined, dtype: DType, out: number[] = []): number[] | null {
  if (!v) return null;
  if (v.kind === 'list' || v.kind === 'tuple') {
    for (const x of v.items) if (!literalValues(x, dtype, out)) return null;
    return out.length > MAX_ELEMENTS ? null : out;
  }
  const x = constNum(v);
  if (x === null) return null;
  out.push(storeAs(x, dtype));
  return out;
}

/** The values a creation op produces with these (bound) arguments, or null when they are not all constants. */
export function creationValues(op: string, a: BoundArgs, dtype: DType): number[] | null {
  switch (op) {
    case 'torch.linspace':
      return linspaceValues(a, dtype);
    case 'torch.arange':
      return arangeValues(a, dtype);
    case 'torch.tensor':
      return literalValues(a.data, dtype);
    default:
      return null;
  }
}

/** A tensor element as the Python number `.item()` returns. */
export function pyNumber(x: number, dtype: DType): PyValue {
  if (dtype === 'bool') return { kind: 'bool', value: x !== 0 };
  if (dtype.startsWith('int') || dtype.startsWith('uint')) return { kind: 'int', dim: { value: x, expr: null } };
  return { kind: 'float', value: x };
}

/** Number of elements of a fully concrete shape, else -1. */
export function shapeNumel(shape: Shape | null): number {
  if (!shape) return -1;
  let n = 1;
  for (const d of shape) {
    if (d.value === null) return -1;
    n *= d.value;
  }
  return n;
}

/** Values of `t[i]` for a constant integer index into a tensor with known values, else null. */
export function rowValues(vals: readonly number[] | undefined, shape: Shape | null, index: PyValue): number[] | null {
  if (!vals || !shape || shape.length === 0 || index.kind !== 'int' || index.dim.value === null) return null;
  const n = shape[0]!.value;
  if (n === null || n === 0) return null;
  const i = index.dim.value < 0 ? index.dim.value + n : index.dim.value;
  if (i < 0 || i >= n) return null;
  const row = vals.length / n;
  return vals.slice(i * row, (i + 1) * row);
}

/** `.tolist()`: nested Python lists in the tensor's shape (a 0-d tensor gives its number). */
export function toPyList(vals: readonly number[], shape: Shape, dtype: DType): PyValue {
  const build = (off: number, axis: number): PyValue => {
    if (axis === shape.length) return pyNumber(vals[off]!, dtype);
    const n = shape[axis]!.value ?? 0;
    const stride = shape.slice(axis + 1).reduce((a, d) => a * (d.value ?? 0), 1);
    const items: PyValue[] = [];
    for (let i = 0; i < n; i++) items.push(build(off + i * stride, axis + 1));
    return { kind: 'list', items };
  };
  return build(0, 0);
}
