// Summary statistics of a tensor (mean, std, min, max, non-finite count), computed in float64.
import type { RunArray } from './runner';

export interface TensorStats {
  readonly count: number;
  readonly mean: number;
  /** Population standard deviation (as `torch.std(unbiased=False)`). */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** NaN and ±Infinity elements, excluded from the other figures. */
  readonly nonFinite: number;
}

export function tensorStats(data: RunArray): TensorStats {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    // Welford's update: stable for large tensors with a big mean.
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return n === 0 ? { count: 0, mean: NaN, std: NaN, min: NaN, max: NaN, nonFinite } : { count: n, mean, std: Math.sqrt(m2 / n), min, max, nonFinite };
}

/**
 * The statistics an exported graph computed itself (core/ops/lowerStats: count, mean, std, min, max, nonFinite,
 * as float64 or float32), in the same form as `tensorStats` of the whole tensor. With the summarised tensor's
 * `dims` the count is exact whatever the vector's float type (float32 holds integers exactly only up to 2^24).
 */
export function statsFromVector(data: RunArray, dims?: readonly number[]): TensorStats {
  if (data.length !== 6) throw new Error(`a statistics output has 6 values, not ${data.length}`);
  const v = Array.from(data as ArrayLike<number | bigint>, Number) as [number, number, number, number, number, number];
  const [, mean, std, min, max, nonFinite] = v;
  const count = dims && Number.isFinite(nonFinite) ? Math.max(0, dims.reduce((a, b) => a * b, 1) - nonFinite) : v[0];
  return count === 0 ? { count: 0, mean: NaN, std: NaN, min: NaN, max: NaN, nonFinite } : { count, mean, std, min, max, nonFinite };
}
