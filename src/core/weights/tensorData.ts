// A tensor held in memory: dtype, shape and a typed array of its C-ordered elements.
import type { DType } from '../shape/shape';

/**
 * Element storage per dtype: float16 and bfloat16 keep their raw 16-bit patterns (Node 20 has no
 * Float16Array; `toFloat32` converts), bool is one byte per element.
 */
export type TensorArray = Float64Array | Float32Array | Uint16Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

export interface TensorData {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorArray;
}

/** The typed-array constructor that stores each dtype. */
export function arrayTypeFor(dtype: DType): { new (n: number): TensorArray; readonly BYTES_PER_ELEMENT: number } {
  switch (dtype) {
    case 'float64':
      return Float64Array;
    case 'float32':
      return Float32Array;
    case 'float16':
    case 'bfloat16':
      return Uint16Array;
    case 'int64':
      return BigInt64Array;
    case 'int32':
      return Int32Array;
    case 'int16':
      return Int16Array;
    case 'int8':
      return Int8Array;
    case 'uint8':
    case 'bool':
      return Uint8Array;
  }
}

/** True when `data` is the typed array that stores `dtype`. */
export function arrayMatchesDtype(data: TensorArray, dtype: DType): boolean {
  return data instanceof arrayTypeFor(dtype);
}

export function shapeNumel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
