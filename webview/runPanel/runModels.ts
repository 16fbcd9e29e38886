// Runs every model of a request on the same inputs through a Runner, then summarises: output stats and previews, per-layer stats (computed in the graph for summarised taps), comparisons, fusion heatmaps.
import type { Comparison, LayerResult, ModelResult, OutputResult, RunModel, RunPhase, RunResult, TensorStats } from '../../src/protocol';
import { bytesOf } from '../../src/protocol';
import { compareTensors, sameShape } from '../../src/core/run/compareTensors';
import type { Runner, RunTensor } from '../../src/core/run/runner';
import type { BackendInfo } from '../../src/core/run/backend';
import { statsFromVector, tensorStats, type TensorStats as CoreStats } from '../../src/core/run/tensorStats';
import { modelInputNames, summaryGateFeed } from '../../src/core/run/layerStats';
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
  return { dims: [...t.shape], ...statsFields(tensorStats(t.data)) };
}

function statsFields(s: CoreStats): Omit<TensorStats, 'dims'> {
  return { mean: s.mean, std: s.std, min: s.min, max: s.max, nonFinite: s.nonFinite };
}

/**
 * The inputs the session wants, by name: the request's inputs in order when names differ (e.g. an exported `input.1`),
 * and the in-graph summaries' gate, on or off, when the model has one.
 */
function feedsFor(sessionInputs: readonly string[], inputs: readonly { name: string; tensor: RunTensor }[], summaries: boolean): Record<string, RunTensor> {
  const feeds: Record<string, RunTensor> = { ...summaryGateFeed(sessionInputs, summaries) };
  modelInputNames(sessionInputs).forEach((name, i) => {
    const t = inputs.find((x) => x.name === name)?.tensor ?? inputs[i]?.tensor;
    if (!t) throw new Error(`no input for '${name}'`);
    feeds[name] = t;
  });
  return feeds;
}

/**
 * Asks `hooks.cancelled()` after a macrotask: the runtime's promises settle as microtasks, so without this
 * pause a 'cancel' message from the host would wait in the queue until every model had run.
 */
async function cancelledNow(hooks: RunHooks): Promise<boolean> {
  await new Promise<void>((r) => setTimeout(r, 0));
  return hooks.cancelled();
}

export async function runModels(
  runId: number,
  models: readonly RunModel[],
  inputs: readonly { name: string; tensor: RunTensor }[],
  runner: Runner,
  hooks: RunHooks,
  previewCount = 8,
): Promise<LocalRunResult> {
  const results: ModelResult[] = [];
  const outputsByModel = new Map<string, RunTensor[]>();
  const featureMaps: FeatureMap[] = [];
  for (let m = 0; m < models.length; m++) {
    const model = models[m]!;
    if (await cancelledNow(hooks)) return { result: { runId, models: results, comparisons: [], cancelled: true }, featureMaps };
    const base = m / models.length;
    hooks.progress(model.name, 'creating-session', base);
    if (model.externalData?.length) {
      // the shared Runner takes one byte buffer; initializers stored in separate files cannot be handed to it
      results.push(
        failed(
          model,
          new Error(`${model.name} keeps its weights in ${model.externalData.length} external data file(s), which the run panel cannot load yet`),
          0,
          0,
        ),
      );
      continue;
    }
    let session;
    try {
      session = await runner.createSession(bytesOf(model.onnx));
    } catch (err) {
      results.push(failed(model, err, 0, 0));
      continue;
    }
    if (await cancelledNow(hooks)) {
      // cancelled while the session was being created: release it without running
      await session.dispose();
      return { result: { runId, models: results, comparisons: [], cancelled: true }, featureMaps };
    }
    try {
      hooks.progress(model.name, 'running', base + 0.4 / models.length);
      const outputNames = modelOutputs(model, session.outputNames);
      // Fetch only what is shown: a lowered model may declare more tap outputs than this request lists,
      // and every fetched output is copied out of the wasm heap.
      const fetch = [...outputNames, ...model.taps.flatMap((t) => [t.output, ...(t.summary?.map !== undefined ? [t.summary.map] : [])])];
      const out = await session.run(
        feedsFor(session.inputNames, inputs, true),
        [...new Set(fetch)].filter((n) => session.outputNames.includes(n)),
      );
      hooks.progress(model.name, 'summarising', base + 0.8 / models.length);
      const outputs: OutputResult[] = [];
      const tensors: RunTensor[] = [];
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
        // a summarised tap arrives as its statistics (and the reduced tensor its heatmap reads), a plain one whole
        const stats = tap.summary ? { dims: [...tap.summary.dims], ...statsFields(statsFromVector(t.data, tap.summary.dims)) } : statsOf(t);
        layers.push({ output: tap.output, node: tap.node, label: tap.label, role: tap.role, stats });
        if (tap.role !== 'layer' && tap.fusion !== undefined) {
          const m = tap.summary ? (tap.summary.map !== undefined ? out[tap.summary.map] : undefined) : t;
          const map = m ? heatmap(m.data, m.shape) : null;
          if (map)
            featureMaps.push({ model: model.name, fusion: tap.fusion, role: tap.role, label: tap.label, level: tap.level ?? '', dims: [...stats.dims], map });
        }
      }
      const backend = session.backend ? { backend: session.backend } : {};
      results.push({
        name: model.name,
        ok: true,
        outputs,
        layers,
        createMs: session.sessionCreateMs,
        runMs: session.lastRunMs ?? 0,
        params: model.params,
        flops: model.flops,
        ...backend,
        ...weightsOf(model),
      });
    } catch (err) {
      results.push({ ...failed(model, err, session.sessionCreateMs, session.lastRunMs ?? 0), ...(session.backend ? { backend: session.backend } : {}) });
    } finally {
      await session.dispose();
    }
  }
  // a cancel that came during the last model's run (a wasm run cannot be interrupted) still marks the run cancelled
  const cancelledLate = await cancelledNow(hooks);
  return { result: { runId, models: results, comparisons: compareAll(models, outputsByModel), ...(cancelledLate ? { cancelled: true } : {}) }, featureMaps };
}

/** The model's own outputs (not its per-layer taps). */
function modelOutputs(model: RunModel, sessionOutputs: readonly string[]): readonly string[] {
  return model.outputs.length > 0 ? model.outputs : sessionOutputs.filter((n) => !model.taps.some((t) => t.output === n));
}

export interface SteadyState {
  readonly model: string;
  /** First run of a fresh session (wasm code and the session's buffers still cold). */
  readonly coldMs: number;
  /** Later runs of the same session, in order. */
  readonly warmMs: readonly number[];
  readonly medianMs: number;
  /** The engine it ran on, when the runner says. */
  readonly backend?: BackendInfo;
  /** The model's outputs of the last run (for comparing backends). */
  readonly outputs: readonly RunTensor[];
}

/**
 * Steady-state forward time of each model, like the Node bench: one fresh session, one cold run, then
 * `runs` timed runs, fetching the model's own outputs only with the in-graph summaries switched off (no
 * per-layer taps), so the figure compares with the Node runner on the model alone.
 */
export async function steadyState(
  models: readonly RunModel[],
  inputs: readonly { name: string; tensor: RunTensor }[],
  runner: Runner,
  runs: number,
  cancelled: () => boolean,
): Promise<SteadyState[]> {
  const out: SteadyState[] = [];
  for (const model of models) {
    await new Promise<void>((r) => setTimeout(r, 0));
    if (cancelled() || model.externalData?.length) continue;
    const session = await runner.createSession(bytesOf(model.onnx));
    try {
      // the in-graph summaries off: the model alone, as the Node bench runs it
      const feeds = feedsFor(session.inputNames, inputs, false);
      const fetch = modelOutputs(model, session.outputNames);
      let last = await session.run(feeds, fetch);
      const coldMs = session.lastRunMs ?? 0;
      const warmMs: number[] = [];
      for (let i = 0; i < runs && !cancelled(); i++) {
        // a macrotask between runs: the runtime's promises settle as microtasks, and the page (a cancel, a click) waits on them
        await new Promise<void>((r) => setTimeout(r, 0));
        last = await session.run(feeds, fetch);
        warmMs.push(session.lastRunMs ?? 0);
      }
      const sorted = [...warmMs].sort((a, b) => a - b);
      const outputs = fetch.map((n) => last[n]).filter((t): t is RunTensor => t !== undefined);
      out.push({
        model: model.name,
        coldMs,
        warmMs,
        medianMs: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : coldMs,
        outputs,
        ...(session.backend ? { backend: session.backend } : {}),
      });
    } finally {
      await session.dispose();
    }
  }
  return out;
}

function failed(model: RunModel, err: unknown, createMs: number, runMs: number): ModelResult {
  return {
    name: model.name,
    ok: false,
    error: err instanceof Error ? err.message : String(err),
    outputs: [],
    layers: [],
    createMs,
    runMs,
    params: model.params,
    flops: model.flops,
    ...weightsOf(model),
  };
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

/** What a model ran with, carried from the request to its result (weights label, weight change against another run). */
function weightsOf(model: RunModel): Pick<ModelResult, 'weights' | 'weightChange'> {
  return { ...(model.weights !== undefined ? { weights: model.weights } : {}), ...(model.weightChange ? { weightChange: model.weightChange } : {}) };
}
