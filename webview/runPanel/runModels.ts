// Runs every model of a request on the same inputs through a Runner, then summarises: output stats and previews, per-layer stats, comparisons, fusion heatmaps.
import type { Comparison, LayerResult, ModelResult, OutputResult, RunModel, RunPhase, RunResult, TensorStats } from '../../src/protocol';
import { bytesOf } from '../../src/protocol';
import { compareTensors, sameShape } from '../../src/core/run/compareTensors';
import type { Runner, RunTensor } from '../../src/core/run/runner';
import { tensorStats } from '../../src/core/run/tensorStats';
import { heatmap, type Heatmap } from './featureMap';

export interface FeatureMap {
  readonly model: string;
  readonly fusion: number;
  readonly role: 'fusion-input' | 'fusion-output';
  readonly label: string;
  readonly level: string;
  readonly dims: readonly number[];
  readonly map: Heatmap;
}

export interface LocalRunResult {
  readonly result: RunResult;
  /** Pictures stay in the panel; they are not sent to the host. */
  readonly featureMaps: readonly FeatureMap[];
}

export interface RunHooks {
  readonly progress: (model: string | null, phase: RunPhase, fraction: number) => void;
  readonly cancelled: () => boolean;
}

export function statsOf(t: RunTensor): TensorStats {
  const s = tensorStats(t.data);
  return { dims: [...t.shape], mean: s.mean, std: s.std, min: s.min, max: s.max, nonFinite: s.nonFinite };
}

/** The inputs the session wants, by name: the request's inputs in order when names differ (e.g. an exported `input.1`). */
function feedsFor(names: readonly string[], inputs: readonly { name: string; tensor: RunTensor }[]): Record<string, RunTensor> {
  const feeds: Record<string, RunTensor> = {};
  names.forEach((name, i) => {
    const t = inputs.find((x) => x.name === name)?.tensor ?? inputs[i]?.tensor;
    if (!t) throw new Error(`no input for '${name}'`);
    feeds[name] = t;
  });
  return feeds;
}

export async function runModels(runId: number, models: readonly RunModel[], inputs: readonly { name: string; tensor: RunTensor }[], runner: Runner, hooks: RunHooks, previewCount = 8): Promise<LocalRunResult> {
  const results: ModelResult[] = [];
  const outputsByModel = new Map<string, RunTensor[]>();
  const featureMaps: FeatureMap[] = [];
  for (let m = 0; m < models.length; m++) {
    const model = models[m]!;
    if (hooks.cancelled()) return { result: { runId, models: results, comparisons: [], cancelled: true }, featureMaps };
    const base = m / models.length;
    hooks.progress(model.name, 'creating-session', base);
    if (model.externalData?.length) {
      // the shared Runner takes one byte buffer; initializers stored in separate files cannot be handed to it
      results.push(failed(model, new Error(`${model.name} keeps its weights in ${model.externalData.length} external data file(s), which the run panel cannot load yet`), 0, 0));
      continue;
    }
    let session;
    try {
      session = await runner.createSession(bytesOf(model.onnx));
    } catch (err) {
      results.push(failed(model, err, 0, 0));
      continue;
    }
    try {
      hooks.progress(model.name, 'running', base + 0.4 / models.length);
      const out = await session.run(feedsFor(session.inputNames, inputs));
      hooks.progress(model.name, 'summarising', base + 0.8 / models.length);
      const outputs: OutputResult[] = [];
      const tensors: RunTensor[] = [];
      const outputNames = model.outputs.length > 0 ? model.outputs : session.outputNames.filter((n) => !model.taps.some((t) => t.output === n));
      for (const name of outputNames) {
        const t = out[name];
        if (!t) throw new Error(`the session did not return output '${name}'`);
        tensors.push(t);
        outputs.push({ name, stats: statsOf(t), preview: Array.from(t.data.subarray(0, previewCount) as ArrayLike<number | bigint>, Number) });
      }
      outputsByModel.set(model.name, tensors);
      const layers: LayerResult[] = [];
      for (const tap of model.taps) {
        const t = out[tap.output];
        if (!t) continue;
        layers.push({ output: tap.output, node: tap.node, label: tap.label, role: tap.role, stats: statsOf(t) });
        if (tap.role !== 'layer' && tap.fusion !== undefined) {
          const map = heatmap(t.data, t.shape);
          if (map) featureMaps.push({ model: model.name, fusion: tap.fusion, role: tap.role, label: tap.label, level: tap.level ?? '', dims: [...t.shape], map });
        }
      }
      results.push({ name: model.name, ok: true, outputs, layers, createMs: session.sessionCreateMs, runMs: session.lastRunMs ?? 0, params: model.params, flops: model.flops });
    } catch (err) {
      results.push(failed(model, err, session.sessionCreateMs, session.lastRunMs ?? 0));
    } finally {
      await session.dispose();
    }
  }
  return { result: { runId, models: results, comparisons: compareAll(models, outputsByModel) }, featureMaps };
}

function failed(model: RunModel, err: unknown, createMs: number, runMs: number): ModelResult {
  return { name: model.name, ok: false, error: err instanceof Error ? err.message : String(err), outputs: [], layers: [], createMs, runMs, params: model.params, flops: model.flops };
}

/** Every pair of models, output by output, where both outputs have the same shape. */
export function compareAll(models: readonly RunModel[], outputs: ReadonlyMap<string, readonly RunTensor[]>): Comparison[] {
  const out: Comparison[] = [];
  for (let i = 0; i < models.length; i++) {
    for (let j = i + 1; j < models.length; j++) {
      const a = outputs.get(models[i]!.name);
      const b = outputs.get(models[j]!.name);
      if (!a || !b) continue;
      for (let k = 0; k < Math.min(a.length, b.length); k++) {
        if (!sameShape(a[k]!.shape, b[k]!.shape)) continue;
        const c = compareTensors(a[k]!, b[k]!);
        out.push({ a: models[i]!.name, b: models[j]!.name, output: k, maxAbsDiff: c.maxAbsDiff, cosine: c.cosine });
      }
    }
  }
  return out;
}
