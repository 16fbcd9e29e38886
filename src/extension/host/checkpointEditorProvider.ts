// Read-only custom editor for torch.save checkpoints (.pt/.pth/.bin/.ckpt): the state-dict tree, other entries, warnings,
// the workspace models it fits (or the closest, and why not), and a fitting model's graph with the checkpoint's weights
// attached — drawn by the graph view's own code (GraphApp) inside the viewer. The file is read without unpickling.
import * as vscode from 'vscode';
import { graphPayload } from '../../core/graph/graphPayload';
import { weightsOverlay } from '../../core/graph/weightOverlay';
import type { GraphPayload } from '../../protocol';
import { isFromCheckpointView, type CheckpointViewData, type FromCheckpointView, type ToCheckpointView } from '../../protocolCheckpoint';
import type { ModelEntry } from '../service/analysisTypes';
import type { Engine, ModelFitReport, WeightsSummary } from '../service/engine';
import type { AnalysisStore } from './analysisStore';
import { GraphWebviewHost, type RevealRequest } from './graphWebviewHost';
import { readSettings } from './settings';

export const CHECKPOINT_VIEW_TYPE = 'fusionLens.checkpointViewer';

/** Python files of the workspace read to find a fitting model (open documents always count). */
const MAX_WORKSPACE_FILES = 40;
const PY_EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**,**/.git/**}';

class CheckpointDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

interface Candidate {
  readonly key: string;
  readonly label: string;
  readonly uri: vscode.Uri;
  readonly model: ModelEntry & { readonly graph: NonNullable<ModelEntry['graph']> };
}

/** One open viewer: the file's bytes, the state dict read, the model shown. */
interface ViewerState {
  readonly name: string;
  readonly bytes: Uint8Array;
  entry: string | undefined;
  shown: string | null;
  candidates: Candidate[];
}

export class CheckpointEditorProvider implements vscode.CustomReadonlyEditorProvider<CheckpointDocument> {
  static register(context: vscode.ExtensionContext, engine: () => Promise<Engine>, store: AnalysisStore, log: vscode.LogOutputChannel): vscode.Disposable {
    const provider = new CheckpointEditorProvider(context.extensionUri, engine, store, log);
    // `.bin` is any binary: for those the viewer is offered (Open With…), not the default, except pytorch_model*.bin
    return vscode.Disposable.from(
      ...[CHECKPOINT_VIEW_TYPE, `${CHECKPOINT_VIEW_TYPE}.bin`].map((t) =>
        vscode.window.registerCustomEditorProvider(t, provider, { supportsMultipleEditorsPerDocument: true }),
      ),
    );
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: () => Promise<Engine>,
    private readonly store: AnalysisStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  openCustomDocument(uri: vscode.Uri): CheckpointDocument {
    return new CheckpointDocument(uri);
  }

  async resolveCustomEditor(doc: CheckpointDocument, panel: vscode.WebviewPanel): Promise<void> {
    const name = vscode.workspace.asRelativePath(doc.uri);
    let state: ViewerState | undefined;
    const post = (m: ToCheckpointView) => void panel.webview.postMessage(m);
    // The graph part of the viewer is the graph view's: its messages are validated and handled by a GraphWebviewHost.
    const graph = new GraphWebviewHost(
      panel.webview,
      this.extensionUri,
      this.log,
      (r, p) => void this.reveal(r, p, state),
      `checkpoint viewer ${name}`,
      undefined,
      {
        bundle: 'checkpointView',
        title: name,
        other: (m) => {
          if (!isFromCheckpointView(m) || !state) return false;
          void this.handle(m, state, post, graph);
          return true;
        },
      },
    );
    panel.onDidDispose(() => graph.dispose());
    try {
      // The whole file is read, so its size is checked against the run memory limit first.
      const limit = readSettings(doc.uri).memoryLimitMB * 1024 * 1024;
      const size = (await vscode.workspace.fs.stat(doc.uri)).size;
      if (size > limit) throw new Error(vscode.l10n.t('{0} is larger than the memory limit (fusionLens.memoryLimitMB).', name));
      state = { name, bytes: await vscode.workspace.fs.readFile(doc.uri), entry: undefined, shown: null, candidates: [] };
      // the open documents' models first (already analysed, so the viewer shows at once), then the workspace's
      state.candidates = await this.workspaceModels(false);
      await this.render(state, post, graph);
      const all = await this.workspaceModels(true);
      if (all.length > state.candidates.length) {
        state.candidates = all;
        await this.render(state, post, graph);
      }
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`checkpoint viewer ${name}: ${msg}`);
      post({ type: 'error', message: msg });
    }
  }

  private async handle(m: FromCheckpointView, state: ViewerState, post: (m: ToCheckpointView) => void, graph: GraphWebviewHost): Promise<void> {
    if (m.type === 'showModel') {
      if (!state.candidates.some((c) => c.key === m.key)) return;
      state.shown = m.key;
    } else state.entry = m.path;
    try {
      await this.render(state, post, graph);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`checkpoint viewer ${state.name}: ${msg}`);
      void vscode.window.showErrorMessage(msg);
    }
  }

  /** Analysed models of the open Python documents and of the workspace's Python files that declare nn.Module classes. */
  private async workspaceModels(withWorkspaceFiles: boolean): Promise<Candidate[]> {
    const docs = new Map<string, vscode.TextDocument>();
    for (const d of vscode.workspace.textDocuments) if (d.languageId === 'python' && d.uri.scheme === 'file') docs.set(d.uri.toString(), d);
    for (const uri of withWorkspaceFiles ? await vscode.workspace.findFiles('**/*.py', PY_EXCLUDE, 400) : []) {
      if (docs.size >= MAX_WORKSPACE_FILES) break;
      if (docs.has(uri.toString())) continue;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      if (!/\bnn\.Module\b|\(\s*Module\s*\)/.test(text)) continue;
      docs.set(uri.toString(), await vscode.workspace.openTextDocument(uri));
    }
    const out: Candidate[] = [];
    for (const d of docs.values()) {
      const analysis = this.store.peek(d) ?? (await this.store.ensure(d));
      const rel = vscode.workspace.asRelativePath(d.uri);
      for (const m of analysis.models) {
        if (!m.graph) continue;
        out.push({ key: `${d.uri.toString()}#${m.className}`, label: `${m.className} (${rel})`, uri: d.uri, model: m as Candidate['model'] });
      }
    }
    return out;
  }

  private async render(state: ViewerState, post: (m: ToCheckpointView) => void, graph: GraphWebviewHost): Promise<void> {
    const engine = await this.engine();
    const summary = engine.summariseWeights(state.bytes, state.name, state.entry);
    const reports = engine.fitModels(
      state.bytes,
      state.name,
      state.entry,
      state.candidates.map((c) => ({ key: c.key, graph: c.model.graph })),
    );
    const fitting = reports.filter((r) => r.fits);
    if (!fitting.some((r) => r.key === state.shown)) state.shown = fitting[0]?.key ?? null;
    // every fitting model, then the closest one that does not fit
    const listed = [...fitting, ...reports.filter((r) => !r.fits).slice(0, 1)];
    const data = this.viewData(state, summary, listed);
    this.log.info(
      `checkpoint viewer ${state.name}: ${summary.format}, ${summary.totals.count} tensors; fits ${fitting.map((r) => this.labelOf(state, r.key)).join(', ') || 'no workspace model'}`,
    );
    post({ type: 'checkpoint', data });
    const shown = state.candidates.find((c) => c.key === state.shown);
    const report = fitting.find((r) => r.key === state.shown);
    if (!shown || !report) {
      graph.showGraph(null, vscode.l10n.t('No model of the workspace fits this state dict.'));
      return;
    }
    const payload: GraphPayload = graphPayload(shown.model.graph, shown.model.fusion, { key: shown.key, stale: shown.model.stale });
    const title = summary.entry ? `${state.name} '${summary.entry}'` : state.name;
    graph.showGraph(payload, undefined, weightsOverlay(payload.nodes, report.params ?? [], title));
  }

  private labelOf(state: ViewerState, key: string): string {
    return state.candidates.find((c) => c.key === key)?.label ?? key;
  }

  private viewData(state: ViewerState, s: WeightsSummary, reports: readonly ModelFitReport[]): CheckpointViewData {
    return {
      file: state.name,
      format: s.format,
      entry: s.entry,
      candidates: s.candidates,
      strippedPrefixes: s.strippedPrefixes,
      tensors: s.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, numel: t.numel, bytes: t.bytes })),
      totals: { count: s.totals.count, numel: s.totals.numel, bytes: s.totals.bytes },
      others: s.others,
      warnings: s.warnings,
      models: reports.map((r) => ({ key: r.key, label: this.labelOf(state, r.key), fits: r.fits, matched: r.matched, total: r.total, reason: r.reason })),
      shown: state.shown,
    };
  }

  /** A click on a graph node: its line in the model's source, beside the viewer. */
  private async reveal(r: RevealRequest, p: GraphPayload, state: ViewerState | undefined): Promise<void> {
    const c = state?.candidates.find((x) => x.key === p.key);
    if (!c) return;
    const doc = await vscode.workspace.openTextDocument(c.uri);
    const pos = new vscode.Position(Math.min(r.line, doc.lineCount - 1), 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  }
}
