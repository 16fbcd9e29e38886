// Python-style dimension indices: negative dims count from the end, with torch's range errors.
import { ShapeError } from './types';

/** `dim` in [-rank, rank-1] → [0, rank-1]; `rank` may be widened (unsqueeze accepts rank+1 positions). */
export function normalizeAxis(dimIndex: number, rank: number, op: string): number {
  const lo = rank === 0 ? -1 : -rank;
  const hi = rank === 0 ? 0 : rank - 1;
  if (dimIndex < lo || dimIndex > hi) {
    throw new ShapeError(`${op}: dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dimIndex})`);
  }
  return dimIndex < 0 ? dimIndex + Math.max(rank, 1) : dimIndex;
}

/** Several dims; torch rejects repeats (`dim 1 appears multiple times in the list of dims`). */
export function normalizeAxes(dims: readonly number[], rank: number, op: string): number[] {
  const out = dims.map((d) => normalizeAxis(d, rank, op));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d)) throw new ShapeError(`${op}: dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return out;
}
