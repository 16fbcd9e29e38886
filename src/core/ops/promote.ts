// PyTorch type promotion (torch.result_type) for tensors, 0-d tensors and Python scalars.
import { DType } from '../shape/shape';
import { PyValue } from './values';

const SIZE: Readonly<Record<DType, number>> = {
  bool: 1,
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  float16: 2,
  bfloat16: 2,
  float32: 4,
  float64: 8,
};

export function category(dt: DType): 0 | 1 | 2 {
  if (dt === 'bool') return 0;
  return dt.startsWith('float') || dt === 'bfloat16' ? 2 : 1;
}

export function isFloating(dt: DType): boolean {
  return category(dt) === 2;
}

/** torch.promote_types for two dtypes. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const ca = category(a);
  const cb = category(b);
  if (ca !== cb) return ca > cb ? a : b;
  if (ca === 2) {
    if ((a === 'float16' && b === 'bfloat16') || (a === 'bfloat16' && b === 'float16')) return 'float32';
    return SIZE[a] >= SIZE[b] ? a : b;
  }
  // Mixed signedness of one-byte ints needs a wider signed type.
  if ((a === 'uint8' && b === 'int8') || (a === 'int8' && b === 'uint8')) return 'int16';
  if (a === 'uint8') return b;
  if (b === 'uint8') return a;
  return SIZE[a] >= SIZE[b] ? a : b;
}

/** Default dtype of a Python scalar's category (float → float32, the default dtype). */
const SCALAR_DEFAULT: readonly DType[] = ['bool', 'int64', 'float32'];

/** result_type over operands: dimensioned tensors outrank 0-d tensors, which outrank Python scalars. */
export function resultType(operands: readonly PyValue[]): DType {
  let dimT: DType | null = null;
  let zeroT: DType | null = null;
  let scalar = -1;
  for (const v of operands) {
    if (v.kind === 'tensor') {
      if (v.shape && v.shape.length === 0) zeroT = zeroT ? promoteTypes(zeroT, v.dtype) : v.dtype;
      else dimT = dimT ? promoteTypes(dimT, v.dtype) : v.dtype;
    } else if (v.kind === 'bool') scalar = Math.max(scalar, 0);
    else if (v.kind === 'int') scalar = Math.max(scalar, 1);
    else if (v.kind === 'float') scalar = Math.max(scalar, 2);
  }
  let out: DType | null = dimT;
  if (zeroT) out = out === null ? zeroT : category(zeroT) > category(out) ? zeroT : out;
  if (scalar >= 0) {
    const s = SCALAR_DEFAULT[scalar];
    out = out === null ? s : scalar > category(out) ? s : out;
  }
  return out ?? 'float32';
}
