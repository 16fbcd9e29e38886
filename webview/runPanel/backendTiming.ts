// Time 5 runs per backend: each model timed on every engine the setting allows (WebGPU, wasm), and the largest difference between their outputs.
import { backendText } from '../../src/core/run/backend';
import { agreementOf, type BackendAgreement } from './backendAgreement';
import type { RunModel } from '../../src/protocol';
import type { RunTensor } from '../../src/core/run/runner';
import { h } from '../shared/dom';
import type { BackendStrings } from './backendStrings';
import type { Engine } from './backends';
import { steadyState, type SteadyState } from './runModels';

export interface BackendTimings {
  readonly runs: readonly SteadyState[];
  readonly agreement: readonly BackendAgreement[];
}

/** Times every model on every engine (in order), then compares each model's outputs between the first engine and the others. */
export async function timeBackends(
  models: readonly RunModel[],
  inputs: readonly { name: string; tensor: RunTensor }[],
  engines: readonly Engine[],
  runs: number,
  cancelled: () => boolean,
): Promise<BackendTimings> {
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
    h(
      'div',
      {
        'data-model': r.model,
        'data-backend': r.backend?.kind ?? 'wasm',
        'data-median-ms': r.medianMs.toFixed(1),
        'data-cold-ms': r.coldMs.toFixed(1),
        'data-warm-ms': JSON.stringify(r.warmMs.map((x) => Math.round(x * 10) / 10)),
      },
      `${r.model} · ${r.backend ? backendText(r.backend) : 'wasm'}: ${s.steadyState} ${fixed(r.medianMs)} ms (${r.warmMs.map(fixed).join(', ')}); ${s.coldRun} ${fixed(r.coldMs)} ms`,
    ),
  );
  for (const c of t.agreement) {
    rows.push(
      h(
        'div',
        {
          'data-testid': 'backend-diff',
          'data-diff-model': c.model,
          'data-max-abs-diff': String(c.maxAbsDiff),
          'data-within': String(c.within),
          class: c.within ? '' : 'warn',
        },
        `${c.model}: ${backendText(c.a)} ${s.vs} ${backendText(c.b)} — max |a − b| ${c.maxAbsDiff.toExponential(2)} ` +
          `(${c.within ? s.backendsAgree : s.backendsDiffer} ${c.tolerance} × max(1, ${c.maxAbsRef.toPrecision(3)}))`,
      ),
    );
  }
  if (gpuReason) rows.push(h('div', { class: 'muted', 'data-testid': 'webgpu-not-timed' }, `${s.gpuNotTimed}: ${gpuReason}`));
  return rows;
}
