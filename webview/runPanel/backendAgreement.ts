// How far one model's outputs on two backends are apart (max |a − b| over its outputs), judged by the pair's tolerance.
import { toleranceBetween, type BackendInfo } from '../../src/core/run/backend';
import { compareTensors, sameShape } from '../../src/core/run/compareTensors';
import type { RunTensor } from '../../src/core/run/runner';

export interface BackendAgreement {
  readonly model: string;
  readonly a: BackendInfo;
  readonly b: BackendInfo;
  /** Largest |a − b| over all outputs, and the largest |b| (the scale of the tolerance). */
  readonly maxAbsDiff: number;
  readonly maxAbsRef: number;
  /** Relative tolerance of the pair (the looser backend's). */
  readonly tolerance: number;
  readonly within: boolean;
}

/** One model's run on one backend: its outputs in order. */
export interface BackendOutputs {
  readonly model: string;
  readonly backend?: BackendInfo;
  readonly outputs: readonly RunTensor[];
}

/** Max |a − b| between two runs of one model on different backends, output by output; null when they cannot be compared. */
export function agreementOf(a: BackendOutputs, b: BackendOutputs): BackendAgreement | null {
  if (!a.backend || !b.backend || a.outputs.length === 0 || a.outputs.length !== b.outputs.length) return null;
  let maxAbsDiff = 0;
  let maxAbsRef = 0;
  for (let i = 0; i < a.outputs.length; i++) {
    const x = a.outputs[i]!;
    const y = b.outputs[i]!;
    if (!sameShape(x.shape, y.shape)) return null;
    const c = compareTensors(x, y);
    maxAbsDiff = Number.isNaN(c.maxAbsDiff) || Number.isNaN(maxAbsDiff) ? NaN : Math.max(maxAbsDiff, c.maxAbsDiff);
    maxAbsRef = Math.max(maxAbsRef, c.maxAbsRef);
  }
  const tolerance = toleranceBetween(a.backend.kind, b.backend.kind);
  return { model: a.model, a: a.backend, b: b.backend, maxAbsDiff, maxAbsRef, tolerance, within: maxAbsDiff <= tolerance * Math.max(1, maxAbsRef) };
}
