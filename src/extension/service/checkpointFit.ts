// How a weights file fits models of the workspace: matched, missing, unexpected and mis-shaped entries per model, the
// models ranked (fitting first, then the closest), and a fitting model's tensors with their figures for its graph.
import type { ModelGraph, StateEntry } from '../../core/graph/modelGraph';
import type { OverlayParam } from '../../core/graph/weightOverlay';
import { toFloat32 } from '../../core/weights/toFloat32';
import type { WeightsFile } from '../../core/weights/readWeightsFile';

export interface Fit {
  readonly missing: StateEntry[];
  readonly unexpected: string[];
  readonly shape: { entry: StateEntry; actual: readonly number[] }[];
  readonly matched: number;
}

/** The state dict of a model against a file's tensors, as `load_state_dict(strict=True)` would judge it. */
export function fitOf(entries: readonly StateEntry[], file: WeightsFile): Fit {
  const names = new Set(entries.map((e) => e.name));
  const missing: StateEntry[] = [];
  const shape: Fit['shape'] = [];
  let matched = 0;
  for (const e of entries) {
    const t = file.tensors.get(e.name);
    if (!t) {
      // tied parameters stored once, and BatchNorm counters, are filled by the loader as PyTorch does
      if (e.aliasOf === undefined && !(e.dtype === 'int64' && e.name.endsWith('num_batches_tracked'))) missing.push(e);
      else matched++;
    } else if (t.shape.length !== e.shape.length || t.shape.some((d, i) => d !== e.shape[i])) shape.push({ entry: e, actual: t.shape });
    else matched++;
  }
  return { missing, unexpected: [...file.tensors.keys()].filter((n) => !names.has(n)), shape, matched };
}

export const issueCount = (f: Fit): number => f.missing.length + f.unexpected.length + f.shape.length;

export interface ModelFitReport {
  readonly key: string;
  readonly fits: boolean;
  readonly matched: number;
  readonly total: number;
  /** Why it does not fit, in a line (`not in the checkpoint: refine.weight, refine.bias`); empty when it fits. */
  readonly reason: string;
  /** For a fitting model: each entry's tensor in the file, with its figures (the graph's weights). */
  readonly params?: readonly OverlayParam[];
}

const list = (names: readonly string[]): string => (names.length > 4 ? `${names.slice(0, 4).join(', ')}, … (${names.length})` : names.join(', '));
const dims = (s: readonly number[]): string => `[${s.join(', ')}]`;

function reasonOf(f: Fit): string {
  const parts: string[] = [];
  if (f.missing.length) parts.push(`not in the checkpoint: ${list(f.missing.map((m) => m.name))}`);
  if (f.shape.length)
    parts.push(`other shape: ${list(f.shape.map((s) => `${s.entry.name} ${dims(s.actual)} in the checkpoint, ${dims(s.entry.shape)} in the model`))}`);
  if (f.unexpected.length) parts.push(`not in the model: ${list(f.unexpected)}`);
  return parts.join('; ');
}

function stats(data: Float32Array): NonNullable<OverlayParam['stats']> {
  let sum = 0;
  let sq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    sum += v;
    sq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const n = Math.max(1, data.length);
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)), min: data.length ? min : 0, max: data.length ? max : 0 };
}

/** Each state-dict entry of `graph` found in the file: the file tensor's shape, dtype and statistics. */
export function attachedWeights(graph: ModelGraph, file: WeightsFile): OverlayParam[] {
  const out: OverlayParam[] = [];
  for (const e of graph.stateDict) {
    const t = file.tensors.get(e.aliasOf ?? e.name);
    if (!t) continue;
    out.push({ name: e.name, shape: t.shape, dtype: t.dtype, stats: stats(toFloat32(t)) });
  }
  return out;
}

/** Every model against the file, fitting models first (with their weights), then by the share of entries that match. */
export function rankFits(models: readonly { readonly key: string; readonly graph: ModelGraph }[], file: WeightsFile): ModelFitReport[] {
  const reports = models
    .filter((m) => m.graph.stateDict.length > 0)
    .map((m) => {
      const f = fitOf(m.graph.stateDict, file);
      const fits = issueCount(f) === 0;
      const total = m.graph.stateDict.length;
      return {
        report: { key: m.key, fits, matched: f.matched, total, reason: reasonOf(f), ...(fits ? { params: attachedWeights(m.graph, file) } : {}) },
        issues: issueCount(f),
      };
    });
  // matched entries over the larger of the two state dicts: a small model inside a big checkpoint is not close
  const share = (r: ModelFitReport): number => r.matched / Math.max(r.total, file.tensors.size, 1);
  reports.sort((a, b) => Number(b.report.fits) - Number(a.report.fits) || share(b.report) - share(a.report) || a.issues - b.issues);
  return reports.map((r) => r.report);
}
