// Time 5 runs per backend: each model timed on every engine the setting allows (WebGPU, wasm), and the largest difference between their outputs.
import { backendText, toleranceBetween, type BackendInfo } from '../../src/core/run/backend';
import { compareTensors, sameShape } from '../../src/core/run/compareTensors';
import type { RunModel } from '../../src/protocol';
import type { RunTensor } from '../../src/core/run/runner';
import { h } from '../shared/dom';
import type { BackendStrings } from './backendStrings';
import type { Engine } from './backends';
import { steadyState, type SteadyState } from './runModels';

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

export interface BackendTimings {
  readonly runs: readonly SteadyState[];
  readonly agreement: readonly BackendAgreement[];
}

/** Max |a − b| between two runs of one model on different backends, output by output (same shapes only). */
export function agreementOf(a: SteadyState, b: SteadyState): BackendAgreement | null {
  if (!a.backend || !b.backend || a.outputs.length === 0 || a.outputs.length !== b.outputs.length) return null;
  let maxAbsDiff = 0;
  let maxAbsRef = 0;
  for (let i = 0; i < a.outputs.length; i++) {
    const x: RunTensor = a.outputs[i]!;
    const y: RunTensor = b.outputs[i]!;
    if (!sameShape(x.shape, y.shape)) return null;
    const c = compareTensors(x, y);
    maxAbsDiff = Number.isNaN(c.maxAbsDiff) || Number.isNaN(maxAbsDiff) ? NaN : Math.max(maxAbsDiff, c.maxAbsDiff);
    maxAbsRef = Math.max(maxAbsRef, c.maxAbsRef);
  }
  const tolerance = toleranceBetween(a.backend.kind, b.backend.kind);
  return { model: a.model, a: a.backend, b: b.backend, maxAbsDiff, maxAbsRef, tolerance, within: maxAbsDiff <= tolerance * Math.max(1, maxAbsRef) };
}

/** Times every model on every engine (in order), then compares each model's outputs between the first engine and the others. */
export async function timeBackends(models: readonly RunModel[], inputs: readonly { name: string; tensor: RunTensor }[], engines: readonly Engine[], runs: number, cancelled: () => boolean): Promise<BackendTimings> {
  const perEngine: SteadyState[][] = [];
  for (const e of engines) {
    if (cancelled()) break;
    perEngine.push((await steadyState(models, inputs, e.runner, runs, cancelled)).map((r) => (r.backend ? r : { ...r, backend: e.info })));
  }
  const agreement: BackendAgreement[] = [];
  const [first, ...others] = perEngine;
  for (const other of others) {
    for (const b of other) {
      const a = first?.find((r) => r.model === b.model);
      const c = a ? agreementOf(a, b) : null;
      if (c) agreement.push(c);
    }
  }
  return { runs: perEngine.flat(), agreement };
}

const fixed = (t: number): string => String(Math.round(t));

/** One line per model and backend (data attributes carry the figures), one per backend pair, and why WebGPU was not timed. */
export function timingRows(t: BackendTimings, gpuReason: string | null, s: BackendStrings & { steadyState: string; coldRun: string }): HTMLElement[] {
  const rows = t.runs.map((r) =>
    h('div', {
      'data-model': r.model, 'data-backend': r.backend?.kind ?? 'wasm', 'data-median-ms': r.medianMs.toFixed(1), 'data-cold-ms': r.coldMs.toFixed(1),
      'data-warm-ms': JSON.stringify(r.warmMs.map((x) => Math.round(x * 10) / 10)),
    }, `${r.model} · ${r.backend ? backendText(r.backend) : 'wasm'}: ${s.steadyState} ${fixed(r.medianMs)} ms (${r.warmMs.map(fixed).join(', ')}); ${s.coldRun} ${fixed(r.coldMs)} ms`));
  for (const c of t.agreement) {
    rows.push(h('div', { 'data-testid': 'backend-diff', 'data-diff-model': c.model, 'data-max-abs-diff': String(c.maxAbsDiff), 'data-within': String(c.within), class: c.within ? '' : 'warn' },
      `${c.model}: ${backendText(c.a)} ${s.vs} ${backendText(c.b)} — max |a − b| ${c.maxAbsDiff.toExponential(2)} ` +
        `(${c.within ? s.backendsAgree : s.backendsDiffer} ${c.tolerance} × max(1, ${c.maxAbsRef.toPrecision(3)}))`));
  }
  if (gpuReason) rows.push(h('div', { class: 'muted', 'data-testid': 'webgpu-not-timed' }, `${s.gpuNotTimed}: ${gpuReason}`));
  return rows;
}
