// The dtype of a module's parameters (its `dtype=` constructor argument, float32 by default) and the input check it implies.
import { DType } from '../shape/shape';
import { dtypeOf, isNone } from './args';
import { isFloating } from './promote';
import { BoundArgs, ShapeError, TensorSpec } from './types';
import { TensorValue } from './values';

export function paramDtype(attrs: BoundArgs, op: string): DType {
  const v = attrs.dtype;
  return v && !isNone(v) ? (dtypeOf(v, op, 'dtype') ?? 'float32') : 'float32';
}

/** Floating parameters and buffers take the module's dtype; integer buffers (num_batches_tracked) keep theirs. */
export function withParamDtype(specs: TensorSpec[], attrs: BoundArgs, op: string): TensorSpec[] {
  const dt = paramDtype(attrs, op);
  return dt === 'float32' ? specs : specs.map((t) => (isFloating(t.dtype) ? { ...t, dtype: dt } : t));
}

/** Layers with parameters compute in their parameters' dtype: the input must match it. */
export function requireInputDtype(op: string, x: TensorValue, want: DType): void {
  if (x.dtype === want) return;
  if (!isFloating(x.dtype)) {
    throw new ShapeError(`${op} expects a ${want} input but got a ${x.dtype} tensor; convert it with .float() (or embed integer ids with nn.Embedding first)`);
  }
  throw new ShapeError(
    `${op} has ${want} parameters but the input is ${x.dtype}; convert the input with .to(torch.${want}) or the module with .to(torch.${x.dtype})`,
  );
}
