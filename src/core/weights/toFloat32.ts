// Converts a tensor of any stored dtype to float32 elements (float32 data is returned as is, not copied).
import type { TensorData } from './tensorData';

/** IEEE half-precision bits → number. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

export function toFloat32(t: TensorData): Float32Array {
  const src = t.data;
  if (t.dtype === 'float32' && src instanceof Float32Array) return src;
  const out = new Float32Array(src.length);
  if (t.dtype === 'bfloat16') {
    // bfloat16 is the upper half of a float32
    const wide = new Uint32Array(out.buffer);
    for (let i = 0; i < src.length; i++) wide[i] = Number(src[i]) << 16;
    return out;
  }
  if (t.dtype === 'float16') {
    for (let i = 0; i < src.length; i++) out[i] = halfToNumber(Number(src[i]));
    return out;
  }
  for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
  return out;
}
