// ONNX tensors: element types ↔ Fusion Lens dtypes, and TensorProto contents as validated typed arrays.
import type { DType } from '../shape/shape';
import { OnnxDataType } from './onnxSchema';
import { int64, OnnxFormatError, TensorMsg } from './onnxProto';

export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

const toOnnx: Record<DType, number> = {
  float32: OnnxDataType.FLOAT,
  float64: OnnxDataType.DOUBLE,
  float16: OnnxDataType.FLOAT16,
  bfloat16: OnnxDataType.BFLOAT16,
  int64: OnnxDataType.INT64,
  int32: OnnxDataType.INT32,
  int16: OnnxDataType.INT16,
  int8: OnnxDataType.INT8,
  uint8: OnnxDataType.UINT8,
  bool: OnnxDataType.BOOL,
};

export function onnxElemType(dtype: DType): number {
  return toOnnx[dtype];
}

/** The dtype of an ONNX element type, or null for types Fusion Lens has no name for (string, uint32, complex …). */
export function dtypeOfOnnx(elemType: number): DType | null {
  for (const [k, v] of Object.entries(toOnnx)) if (v === elemType) return k as DType;
  return null;
}

export function elemSize(dtype: DType): number {
  switch (dtype) {
    case 'float64':
    case 'int64':
      return 8;
    case 'float32':
    case 'int32':
      return 4;
    case 'float16':
    case 'bfloat16':
    case 'int16':
      return 2;
    default:
      return 1;
  }
}

/** A typed array of `n` elements for `dtype` (16-bit floats are kept as raw bits). */
export function allocTensorData(dtype: DType, n: number): TensorData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'float16':
    case 'bfloat16':
      return new Uint16Array(n);
    case 'uint8':
    case 'bool':
      return new Uint8Array(n);
  }
}

/** Validated dims of a TensorProto and their product, refusing negative sizes and products beyond `maxElements`. */
export function tensorDims(t: TensorMsg, maxElements: number): { dims: number[]; numel: number } {
  const dims = t.dims.map((d, i) => int64(d, `tensor '${t.name}' dim ${i}`));
  let numel = 1;
  for (const d of dims) {
    if (d < 0) throw new OnnxFormatError(`tensor '${t.name}' has a negative dimension (${dims.join('x')})`);
    numel *= d;
    if (numel > maxElements) throw new OnnxFormatError(`tensor '${t.name}' is too large (${dims.join('x')} elements, limit ${maxElements})`);
  }
  return { dims, numel };
}

export interface DecodedTensor {
  readonly name: string;
  readonly dtype: DType;
  readonly dims: number[];
  readonly numel: number;
  /** null when the data lives in an external file (see `external`). */
  readonly data: TensorData | null;
  readonly external?: { readonly location: string; readonly offset: number; readonly length: number | null };
}

function fromList(dtype: DType, numel: number, list: ArrayLike<number | bigint>, field: string, name: string): TensorData {
  if (list.length !== numel) throw new OnnxFormatError(`tensor '${name}': ${field} has ${list.length} values for ${numel} elements`);
  const out = allocTensorData(dtype, numel);
  if (out instanceof BigInt64Array) for (let i = 0; i < numel; i++) out[i] = BigInt(list[i] as number);
  else for (let i = 0; i < numel; i++) (out as Float32Array)[i] = Number(list[i]);
  return out;
}

/** A TensorProto's contents, validated against its dims and type; never allocates beyond what the bytes hold. */
export function decodeTensor(t: TensorMsg, maxElements: number): DecodedTensor {
  const dtype = dtypeOfOnnx(t.dataType);
  if (!dtype) throw new OnnxFormatError(`tensor '${t.name}' has unsupported element type ${t.dataType}`);
  const { dims, numel } = tensorDims(t, maxElements);
  const name = t.name;
  if (t.dataLocation === 1) {
    const kv = new Map(t.externalData.map((e) => [e.key, e.value]));
    const offset = Number(kv.get('offset') ?? 0);
    const length = kv.has('length') ? Number(kv.get('length')) : null;
    return { name, dtype, dims, numel, data: null, external: { location: kv.get('location') ?? '?', offset, length } };
  }
  const size = elemSize(dtype);
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== numel * size) {
      throw new OnnxFormatError(`tensor '${name}': raw_data has ${t.rawData.length} bytes, ${dims.join('x')} ${dtype} needs ${numel * size}`);
    }
    // Copy into a fresh, aligned buffer (raw_data may start at any byte offset of the file).
    const copy = new Uint8Array(t.rawData);
    const out = allocTensorData(dtype, 0).constructor as new (b: ArrayBuffer) => TensorData;
    return { name, dtype, dims, numel, data: new out(copy.buffer) };
  }
  if (numel === 0) return { name, dtype, dims, numel, data: allocTensorData(dtype, 0) };
  switch (dtype) {
    case 'float32':
      return { name, dtype, dims, numel, data: fromList(dtype, numel, t.floatData, 'float_data', name) };
    case 'float64':
      return { name, dtype, dims, numel, data: fromList(dtype, numel, t.doubleData, 'double_data', name) };
    case 'int64': {
      if (t.int64Data.length !== numel) throw new OnnxFormatError(`tensor '${name}': int64_data has ${t.int64Data.length} values for ${numel} elements`);
      const out = new BigInt64Array(numel);
      for (let i = 0; i < numel; i++) {
        const v = t.int64Data[i]!;
        out[i] = typeof v === 'number' ? BigInt(v) : (BigInt(v.high) << 32n) | BigInt(v.low >>> 0);
      }
      return { name, dtype, dims, numel, data: out };
    }
    default:
      // int32, int16, int8, uint8, bool and the 16-bit float bit patterns all live in int32_data.
      return { name, dtype, dims, numel, data: fromList(dtype, numel, t.int32Data, 'int32_data', name) };
  }
}
