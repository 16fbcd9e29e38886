// Comparison of two same-shaped tensors: max-abs-diff, cosine similarity, and the oracle tolerance check.
import type { RunTensor } from './runner';

export interface TensorComparison {
  readonly maxAbsDiff: number;
  /** max |reference| — the scale the oracle tolerance is relative to. */
  readonly maxAbsRef: number;
  /** Cosine similarity of the flattened tensors (1 when both are all zeros). */
  readonly cosine: number;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Compares `actual` with `reference`; throws when the shapes differ. */
export function compareTensors(actual: RunTensor, reference: RunTensor): TensorComparison {
  if (!sameShape(actual.shape, reference.shape)) {
    throw new Error(`cannot compare tensors of shapes [${actual.shape.join(', ')}] and [${reference.shape.join(', ')}]`);
  }
  let maxAbsDiff = 0;
  let maxAbsRef = 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < actual.data.length; i++) {
    const a = Number(actual.data[i]);
    const b = Number(reference.data[i]);
    const d = Math.abs(a - b);
    // NaN anywhere makes the difference NaN, which must not pass as "within tolerance".
    if (!(d <= maxAbsDiff)) maxAbsDiff = Number.isNaN(d) ? NaN : Math.max(maxAbsDiff, d);
    maxAbsRef = Math.max(maxAbsRef, Math.abs(b));
    dot += a * b;
    na += a * a;
    nb += b * b;
  }
  const cosine = na === 0 && nb === 0 ? 1 : dot / (Math.sqrt(na) * Math.sqrt(nb));
  return { maxAbsDiff, maxAbsRef, cosine };
}

/** The oracle's tolerance: max |actual − ref| ≤ 1e-4 × max(1, max |ref|). */
export function withinOracleTolerance(c: TensorComparison, rel = 1e-4): boolean {
  return c.maxAbsDiff <= rel * Math.max(1, c.maxAbsRef);
}
