// Run Fusion Model: lowers the chosen models to ONNX, runs them on one input in the run panel and reports.
import * as vscode from 'vscode';
import { concreteShape } from '../../../core/shape/shape';
import type { ParamChange } from '../../../core/graph/weightOverlay';
import type { RunInput, RunModel, RunResult } from '../../../protocol';
import type { AnalysisStore } from '../analysisStore';
import type { ModelEntry } from '../../service/analysisTypes';
import type { Engine, WeightsChoice } from '../../service/engine';
import { formatBytes } from '../../service/format';
import { pickModels, pickOneModel, targetDocument } from '../modelPick';
import { type RerunRequest, RunPanel } from '../runPanel';
import { readSettings } from '../settings';
import { chooseEntry, chooseTwoCheckpoints, chooseWeights } from './weightsPick';

export interface RunDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: AnalysisStore;
  readonly engine: () => Promise<Engine>;
  readonly log: vscode.LogOutputChannel;
  /** Where a comparison's per-layer weight change is shown on the graph (the graph view). */
  readonly graphView?: WeightChangeView;
}

/** The graph view as Compare Checkpoints uses it: remember the latest comparison, and show a model's graph. */
export interface WeightChangeView {
  setWeightChange(uri: vscode.Uri, className: string, title: string, changes: readonly ParamChange[]): void;
  showModel(uri: vscode.Uri, className: string): Promise<void>;
}

/** What one run needs besides the models: the input source and the weights. */
interface RunSetup {
  seed: number;
  image: RerunRequest['image'];
  weights: WeightsChoice;
  /** A second set of weights: every model also runs with it, and the panel shows the per-parameter change. */
  secondWeights?: WeightsChoice;
  /** Receives each model's per-parameter change between the two weights (with norms, buffers marked). */
  onWeightChange?: (model: ModelEntry, title: string, changes: readonly ParamChange[]) => void;
}

const IMAGE_MIME: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', bmp: 'image/bmp', gif: 'image/gif' };

/** An image of the workspace, picked by the user; it is decoded, resized and normalised in the run panel. */
async function pickWorkspaceImage(): Promise<RerunRequest['image'] | undefined> {
  const files = await vscode.workspace.findFiles('**/*.{png,jpg,jpeg,webp,bmp,gif}', '**/node_modules/**', 500);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No image (png, jpeg, webp, bmp, gif) in the workspace.'));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: vscode.l10n.t('Image to feed the models') },
  );
  if (!pick) return undefined;
  const ext = pick.uri.path.split('.').pop()!.toLowerCase();
  return { data: await vscode.workspace.fs.readFile(pick.uri), mime: IMAGE_MIME[ext] ?? 'image/png' };
}

/** Run Fusion Model on Image…: the same run, with an image of the workspace as input. */
export async function runOnImage(deps: RunDeps, uriArg?: unknown, classArg?: unknown): Promise<RunResult | undefined> {
  const image = await pickWorkspaceImage();
  return image ? runFusionModel(deps, uriArg, classArg, image) : undefined;
}

/** Compare Checkpoints…: one model run with two weight files side by side (outputs compared, per-parameter weight change). */
export async function compareCheckpoints(deps: RunDeps, uriArg?: unknown, classArg?: unknown): Promise<RunResult | undefined> {
  const t = await targetDocument(deps.store, uriArg);
  if (!t) return undefined;
  const model = await pickOneModel(t, classArg, vscode.l10n.t('Model to run with both checkpoints'));
  if (!model?.graph) {
    if (model) void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot run: {1}', model.className, model.error ?? 'not analysed'));
    return undefined;
  }
  const pair = await chooseTwoCheckpoints(readSettings(t.doc.uri).memoryLimitMB * 1024 * 1024, await deps.engine());
  if (!pair) return undefined;
  const setup: RunSetup = {
    seed: readSettings(t.doc.uri).seed,
    image: null,
    weights: pair[0],
    secondWeights: pair[1],
    // the latest comparison is what the graph view overlays on this model's graph
    onWeightChange: (m, title, changes) => deps.graphView?.setWeightChange(t.doc.uri, m.className, title, changes),
  };
  const panel = RunPanel.show(deps.extensionUri, deps.log);
  panel.onShowOnGraph = () => void deps.graphView?.showModel(t.doc.uri, model.className);
  panel.onRerun = (r) => {
    if (r.seed !== null) setup.seed = r.seed;
    setup.image = r.image;
    void execute(deps, panel, [model], setup);
  };
  return execute(deps, panel, [model], setup);
}

export async function runFusionModel(deps: RunDeps, uriArg?: unknown, classArg?: unknown, image: RerunRequest['image'] = null): Promise<RunResult | undefined> {
  const t = await targetDocument(deps.store, uriArg);
  if (!t) return undefined;
  const models = await pickModels(t, classArg);
  if (!models) return undefined;
  const runnable = models.filter((m) => m.graph !== null);
  for (const m of models.filter((x) => !x.graph))
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} cannot run: {1}', m.className, m.error ?? 'not analysed'));
  if (runnable.length === 0) return undefined;
  const picked = await chooseWeights(readSettings(t.doc.uri).seed, readSettings(t.doc.uri).memoryLimitMB * 1024 * 1024);
  const weights = picked && (await chooseEntry(await deps.engine(), picked));
  if (!weights) return undefined;
  const setup: RunSetup = { seed: readSettings(t.doc.uri).seed, image, weights };
  const panel = RunPanel.show(deps.extensionUri, deps.log);
  panel.onRerun = (r) => {
    // A rerun from the panel uses the models' current analysis, so edits since the first run count.
    if (r.seed !== null) setup.seed = r.seed;
    setup.image = r.image;
    void deps.store.ensure(t.doc).then((a) => {
      const fresh = runnable.map((m) => a.models.find((x) => x.className === m.className)).filter((m): m is ModelEntry => m?.graph != null);
      return execute(deps, panel, fresh, setup);
    });
  };
  return execute(deps, panel, runnable, setup);
}

async function execute(deps: RunDeps, panel: RunPanel, models: readonly ModelEntry[], setup: RunSetup): Promise<RunResult | undefined> {
  const settings = readSettings();
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Fusion Lens: running {0}', models.map((m) => m.className).join(', ')),
      cancellable: true,
    },
    async (progress, token) => {
      const engine = await deps.engine();
      progress.report({ message: vscode.l10n.t('lowering to ONNX…') });
      const first = models[0]!.graph!;
      const dims = first.inputs.map((i) => concreteShape(i.shape));
      // Every model gets the same input, so only models whose inputs match the first model's can be compared.
      const same = models.filter((m) => JSON.stringify(m.graph!.inputs.map((i) => concreteShape(i.shape))) === JSON.stringify(dims));
      for (const m of models.filter((x) => !same.includes(x))) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} has a different input shape than {1}; run it on its own.', m.className, models[0]!.className));
      }
      if (dims.some((d) => d === null)) {
        void vscode.window.showErrorMessage(vscode.l10n.t('{0}: the input shape is not fully known; use Set Input Shape…', models[0]!.className));
        return undefined;
      }
      const runModels: RunModel[] = [];
      let inputNames: readonly string[] = first.inputs.map((i) => i.name);
      const choices = setup.secondWeights ? [setup.weights, setup.secondWeights] : [setup.weights];
      const label = (w: WeightsChoice): string => (w.kind === 'seeded' ? `seed ${w.seed}` : w.source.split('/').pop()!);
      for (const m of same) {
        let reference: { name: string; label: string; stateDict: ReturnType<Engine['prepareRun']>['stateDict'] } | null = null;
        for (const w of choices) {
          if (token.isCancellationRequested) return undefined;
          const name = choices.length > 1 ? `${m.className} @ ${label(w)}` : m.className;
          try {
            const prepared = engine.prepareRun(m.graph!, w, settings.memoryLimitMB * 1024 * 1024);
            deps.log.info(
              `${name}: ONNX ${formatBytes(prepared.onnx.length)}, ${prepared.taps.length} taps, estimated memory ${formatBytes(prepared.estimatedBytes)}; weights ${prepared.weights}`,
            );
            inputNames = prepared.inputNames;
            for (const x of prepared.warnings) deps.log.warn(`${name}: ${x}`);
            let change = {};
            if (reference) {
              const changes = engine.weightChanges(reference.stateDict, prepared.stateDict);
              change = { weightChange: { against: reference.name, parameters: changes.map((c) => ({ name: c.name, relative: c.relative })) } };
              const roles = new Map(m.graph!.stateDict.map((e) => [e.name, e.role]));
              setup.onWeightChange?.(
                m,
                `${reference.label} → ${label(w)}`,
                changes.map((c) => ({ ...c, buffer: roles.get(c.name) === 'buffer' })),
              );
            }
            reference ??= { name, label: label(w), stateDict: prepared.stateDict };
            runModels.push({
              name,
              onnx: prepared.onnx,
              outputs: prepared.outputs,
              taps: prepared.taps,
              params: m.graph!.paramsTotal,
              flops: m.graph!.flopsTotal,
              weights: prepared.weights,
              ...change,
            });
          } catch (e) {
            const msg = e instanceof Error ? e.message : String(e);
            deps.log.error(`${name}: cannot lower to ONNX: ${msg}`);
            void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot run: {1}', name, msg));
          }
        }
      }
      if (runModels.length === 0) return undefined;
      const inputs: RunInput[] = first.inputs.map((inp, i) => ({
        name: inputNames[i] ?? inp.name,
        dims: dims[i]!,
        dtype: 'float32',
        source:
          setup.image && i === 0
            ? { kind: 'image', data: setup.image.data, mime: setup.image.mime, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }
            : { kind: 'seeded', seed: setup.seed },
      }));
      let last = 0;
      const result = await panel.run({ models: runModels, inputs, previewCount: 10 }, token, (p) => {
        const done = Math.round(p.fraction * 100);
        progress.report({ message: `${p.model ?? ''} ${p.phase.replace(/-/g, ' ')}…`.trim(), increment: Math.max(0, done - last) });
        last = Math.max(last, done);
      });
      report(deps.log, result);
      return result;
    },
  );
}

function report(log: vscode.LogOutputChannel, r: RunResult): void {
  if (r.cancelled) log.info(`run ${r.runId} cancelled`);
  if (r.error) {
    log.error(`run ${r.runId} failed: ${r.error}`);
    if (!r.cancelled) void vscode.window.showErrorMessage(vscode.l10n.t('Fusion Lens run failed: {0}', r.error));
  }
  for (const m of r.models) {
    log.info(
      `run ${r.runId} ${m.name}: ${m.ok ? `ok, session ${m.createMs.toFixed(0)} ms, run ${m.runMs.toFixed(0)} ms${m.layers.length ? ` (with ${m.layers.length} per-layer summaries)` : ''}, outputs ${m.outputs.map((o) => `[${o.stats.dims.join(', ')}] mean ${o.stats.mean}`).join('; ')}` : `error ${m.error}`}`,
    );
  }
  for (const c of r.comparisons) log.info(`run ${r.runId} ${c.a} vs ${c.b} (output ${c.output}): max-abs-diff ${c.maxAbsDiff}, cosine ${c.cosine}`);
}
