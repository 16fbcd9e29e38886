// The elements of a tensor view (offset, strides) of a storage, as a C-ordered typed array; zero-copy when the view allows.
import { arrayTypeFor, type TensorArray, type TensorData } from '../tensorData';
import type { TorchTensor } from './pickleValues';

export interface ViewedTensor extends TensorData {
  /** True when `data` views the file's bytes. */
  readonly zeroCopy: boolean;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expect = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && stride[i] !== expect) return false;
    expect *= shape[i]!;
  }
  return true;
}

/**
 * The tensor's elements, or null when its dtype has no typed array here (complex, quantized, float8).
 * The view was checked against the storage's declared size when it was built, and the storage's
 * bytes against that size when they were attached.
 */
export function tensorFromStorage(t: TorchTensor, bigEndian: boolean): ViewedTensor | null {
  const dtype = t.dtype.dtype;
  const bytes = t.storage.bytes;
  if (!dtype || !bytes) return null;
  const Ctor = arrayTypeFor(dtype);
  const size = Ctor.BYTES_PER_ELEMENT;
  const numel = t.shape.reduce((a, b) => a * b, 1);
  const swap = size > 1 && bigEndian === LITTLE_ENDIAN_HOST;
  const start = t.offset * size;
  const contiguous = isContiguous(t.shape, t.stride) && start + numel * size <= bytes.length;
  if (contiguous && !swap && (bytes.byteOffset + start) % size === 0) {
    const data = new (Ctor as unknown as new (b: ArrayBufferLike, o: number, n: number) => TensorArray)(bytes.buffer, bytes.byteOffset + start, numel);
    return { dtype, shape: t.shape, data, zeroCopy: true };
  }
  const out = new Ctor(numel);
  const dst = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  if (contiguous) {
    const src = bytes.subarray(start, start + numel * size);
    if (!swap) dst.set(src);
    else for (let i = 0; i < dst.length; i += size) for (let b = 0; b < size; b++) dst[i + b] = src[i + size - 1 - b]!;
    return { dtype, shape: t.shape, data: out, zeroCopy: false };
  }
  const rank = t.shape.length;
  const index = new Array<number>(rank).fill(0);
  let src = t.offset;
  for (let i = 0; i < numel; i++) {
    const from = src * size;
    if (from + size > bytes.length) throw new RangeError(`tensor view reads past its storage (element ${src})`);
    if (swap) for (let b = 0; b < size; b++) dst[i * size + b] = bytes[from + size - 1 - b]!;
    else for (let b = 0; b < size; b++) dst[i * size + b] = bytes[from + b]!;
    // advance the multi-index in C order
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      src += t.stride[d]!;
      if (index[d]! < t.shape[d]!) break;
      src -= t.stride[d]! * t.shape[d]!;
      index[d] = 0;
    }
  }
  return { dtype, shape: t.shape, data: out, zeroCopy: false };
}
