// Turns an activation tensor into a small heatmap (mean |x| over channels, block-averaged) and colours it.
import type { RunArray } from '../../src/core/run/runner';

export interface Heatmap {
  readonly width: number;
  readonly height: number;
  /** Row-major values scaled to [0, 1]. */
  readonly values: Float32Array;
  /** Range of the unscaled values. */
  readonly min: number;
  readonly max: number;
}

/**
 * [N, C, H, W] → H×W (batch 0, mean |x| over channels); [N, L, D] → L×D; [N, F] or [F] → 1×F.
 * Larger maps are block-averaged down to at most `maxSide` per side.
 */
export function heatmap(data: RunArray, dims: readonly number[], maxSide = 64): Heatmap | null {
  let channels = 1;
  let h: number;
  let w: number;
  if (dims.length === 4) [channels, h, w] = [dims[1]!, dims[2]!, dims[3]!];
  else if (dims.length === 3) [h, w] = [dims[1]!, dims[2]!];
  else if (dims.length === 2) [h, w] = [1, dims[1]!];
  else if (dims.length === 1) [h, w] = [1, dims[0]!];
  else return null;
  if (h * w === 0 || channels === 0) return null;
  const plane = new Float64Array(h * w);
  for (let c = 0; c < channels; c++) {
    const base = c * h * w;
    for (let i = 0; i < h * w; i++) plane[i]! += Math.abs(Number(data[base + i]));
  }
  const sy = Math.ceil(h / maxSide);
  const sx = Math.ceil(w / maxSide);
  const oh = Math.ceil(h / sy);
  const ow = Math.ceil(w / sx);
  const out = new Float32Array(oh * ow);
  const cnt = new Float32Array(oh * ow);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = plane[y * w + x]! / channels;
      if (!Number.isFinite(v)) continue;
      const o = Math.floor(y / sy) * ow + Math.floor(x / sx);
      out[o]! += v;
      cnt[o]!++;
    }
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < out.length; i++) {
    out[i] = cnt[i]! > 0 ? out[i]! / cnt[i]! : 0;
    min = Math.min(min, out[i]!);
    max = Math.max(max, out[i]!);
  }
  const span = max - min || 1;
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! - min) / span;
  return { width: ow, height: oh, values: out, min, max };
}

/** A perceptually ordered dark-blue → green → yellow ramp (viridis-like control points). */
const RAMP: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function rampColor(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i]!;
  const b = RAMP[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** RGBA pixels of a heatmap, for ImageData. */
export function heatmapPixels(m: Heatmap): Uint8ClampedArray {
  const px = new Uint8ClampedArray(m.width * m.height * 4);
  for (let i = 0; i < m.values.length; i++) {
    const [r, g, b] = rampColor(m.values[i]!);
    px.set([r, g, b, 255], i * 4);
  }
  return px;
}
