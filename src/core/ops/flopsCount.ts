// FLOP counting helpers. Convention: 2 FLOPs per multiply-accumulate (conv, linear, matmul, attention);
// elementwise ops count one FLOP per output element and arithmetic step; shape-only ops count 0;
// anything whose size is not concretely known counts 0 rather than a guess.
import { numel } from '../shape/shape';
import { PyValue } from './values';

/** Elements of a tensor value (0 when unknown); tuples sum their tensors. */
export function numelOf(v: PyValue | undefined): number {
  if (!v) return 0;
  if (v.kind === 'tensor') return v.shape ? (numel(v.shape) ?? 0) : 0;
  let total = 0;
  if (v.kind === 'tuple' || v.kind === 'list') for (const x of v.items) total += numelOf(x);
  return total;
}

/** The first tensor of an op's output (multi-output ops return tuples). */
export function firstTensor(v: PyValue): PyValue | undefined {
  if (v.kind === 'tensor') return v;
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.find((x) => x.kind === 'tensor');
  return undefined;
}

export function prod(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}
