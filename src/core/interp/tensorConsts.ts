// Element values of small constant tensors as the interpreter keeps them (factory fills, `.item()`, `.tolist()`, `t[i]`);
// which op results have values is each registry entry's `constValues` hook (src/core/ops/constValues.ts).
import type { InitRule } from '../ops/types';
import type { PyValue } from '../ops/values';
import type { DType, Shape } from '../shape/shape';
import { MAX_CONST_ELEMENTS as MAX_ELEMENTS } from '../ops/constValues';

/** Element values of a tensor still as a deterministic factory made it (zeros, ones, full), when small. */
export function initRuleValues(rule: InitRule | undefined, shape: Shape | null): number[] | null {
  if (!rule) return null;
  const value = rule.kind === 'zeros' ? 0 : rule.kind === 'ones' ? 1 : rule.kind === 'constant' ? rule.value : null;
  const n = shapeNumel(shape);
  if (value === null || n < 0 || n > MAX_ELEMENTS) return null;
  return new Array<number>(n).fill(value);
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
