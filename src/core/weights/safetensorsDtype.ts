// The safetensors dtype codes Fusion Lens accepts, their element sizes and the project DType each maps to.
import type { DType } from '../shape/shape';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

interface DtypeInfo {
  readonly dtype: DType;
  readonly size: number;
}

const TABLE: Readonly<Record<SafetensorsDtype, DtypeInfo>> = {
  F64: { dtype: 'float64', size: 8 },
  F32: { dtype: 'float32', size: 4 },
  F16: { dtype: 'float16', size: 2 },
  BF16: { dtype: 'bfloat16', size: 2 },
  I64: { dtype: 'int64', size: 8 },
  I32: { dtype: 'int32', size: 4 },
  I16: { dtype: 'int16', size: 2 },
  I8: { dtype: 'int8', size: 1 },
  U8: { dtype: 'uint8', size: 1 },
  BOOL: { dtype: 'bool', size: 1 },
};

export function isSafetensorsDtype(code: unknown): code is SafetensorsDtype {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(TABLE, code);
}

export const SAFETENSORS_DTYPES: readonly SafetensorsDtype[] = Object.keys(TABLE) as SafetensorsDtype[];

export function dtypeFromCode(code: SafetensorsDtype): DType {
  return TABLE[code].dtype;
}

export function codeFromDtype(dtype: DType): SafetensorsDtype {
  for (const code of SAFETENSORS_DTYPES) if (TABLE[code].dtype === dtype) return code;
  throw new Error(`dtype ${dtype} has no safetensors code`);
}

/** Bytes per element of a project DType. */
export function dtypeSize(dtype: DType): number {
  return TABLE[codeFromDtype(dtype)].size;
}
