// Read-only custom editor for .onnx files: decodes the model and shows it in the graph view; Run sends it to the run panel.
import * as vscode from 'vscode';
import { graphPayload } from '../../core/graph/graphPayload';
import type { ModelGraph } from '../../core/graph/modelGraph';
import { formatDim } from '../../core/shape/dim';
import type { RunInput, RunModel, RunResult } from '../../protocol';
import type { Engine } from '../service/engine';
import { formatBytes } from '../service/format';
import { GraphWebviewHost } from './graphWebviewHost';
import { RunPanel } from './runPanel';
import { readSettings } from './settings';

export const ONNX_VIEW_TYPE = 'fusionLens.onnxViewer';
/** Files above this size are refused before reading: the decoder would need several times as much memory. */
const MAX_ONNX_BYTES = 2 * 1024 * 1024 * 1024 - 1;

class OnnxDocument implements vscode.CustomDocument {
  graph: ModelGraph | null = null;
  constructor(
    readonly uri: vscode.Uri,
    readonly bytes: Uint8Array | null,
    readonly error: string | null,
  ) {}
  dispose(): void {}
}

export class OnnxEditorProvider implements vscode.CustomReadonlyEditorProvider<OnnxDocument> {
  private active: OnnxDocument | undefined;

  static register(context: vscode.ExtensionContext, engine: () => Promise<Engine>, log: vscode.LogOutputChannel): OnnxEditorProvider {
    const provider = new OnnxEditorProvider(context.extensionUri, engine, log);
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(ONNX_VIEW_TYPE, provider, {
        webviewOptions: { retainContextWhenHidden: true },
        supportsMultipleEditorsPerDocument: true,
      }),
    );
    return provider;
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: () => Promise<Engine>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async openCustomDocument(uri: vscode.Uri): Promise<OnnxDocument> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_ONNX_BYTES)
        return new OnnxDocument(uri, null, vscode.l10n.t('{0} is larger than 2 GiB; store its weights as external data.', formatBytes(stat.size)));
      return new OnnxDocument(uri, await vscode.workspace.fs.readFile(uri), null);
    } catch (e) {
      return new OnnxDocument(uri, null, e instanceof Error ? e.message : String(e));
    }
  }

  async resolveCustomEditor(doc: OnnxDocument, panel: vscode.WebviewPanel): Promise<void> {
    const where = `onnx editor ${vscode.workspace.asRelativePath(doc.uri)}`;
    const host = new GraphWebviewHost(
      panel.webview,
      this.extensionUri,
      this.log,
      () => undefined,
      where,
      () => void this.runDocument(doc),
    );
    panel.onDidDispose(() => host.dispose());
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = doc;
      else if (this.active === doc) this.active = undefined;
    });
    if (panel.active) this.active = doc;
    if (doc.error || !doc.bytes) {
      host.showGraph(null, vscode.l10n.t('Cannot open this ONNX file: {0}', doc.error ?? ''));
      return;
    }
    try {
      const t0 = performance.now();
      const decoded = (await this.engine()).decodeOnnx(doc.bytes, vscode.workspace.asRelativePath(doc.uri));
      doc.graph = decoded.graph;
      this.log.info(`${where}: ${decoded.summary}, decoded in ${(performance.now() - t0).toFixed(0)} ms`);
      for (const d of decoded.graph.diagnostics) this.log.warn(`${where}: ${d.message}`);
      host.showGraph(graphPayload(decoded.graph, decoded.fusion, { key: doc.uri.toString() }));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`${where}: ${msg}`);
      host.showGraph(null, vscode.l10n.t('Cannot open this ONNX file: {0}', msg));
    }
  }

  /** The .onnx editor in front, if any (Run Fusion Model acts on it). */
  get activeDocument(): { uri: vscode.Uri } | undefined {
    return this.active;
  }

  /** The front .onnx model as the run panel takes it, with seeded inputs of its input shapes. */
  activeRunModel(): { model: RunModel; inputs: RunInput[] } | undefined {
    return this.active && this.runModelOf(this.active);
  }

  private runModelOf(doc: OnnxDocument): { model: RunModel; inputs: RunInput[] } | undefined {
    if (!doc.bytes || !doc.graph) return undefined;
    const graph = doc.graph;
    const settings = readSettings(doc.uri);
    // Symbolic dims of an exported model (batch `N`) take their value from the settings, else 1.
    const inputs: RunInput[] = graph.inputs.map((inp) => ({
      name: inp.name,
      dims: inp.shape.map((d) => d.value ?? settings.dimensions[formatDim(d)] ?? 1),
      dtype: 'float32',
      source: { kind: 'seeded', seed: settings.seed },
    }));
    const model: RunModel = {
      name: vscode.workspace.asRelativePath(doc.uri),
      onnx: doc.bytes,
      outputs: graph.outputs.map((o) => graph.values.get(o)?.name ?? o),
      taps: [],
      params: graph.paramsTotal,
      flops: graph.flopsTotal,
    };
    return { model, inputs };
  }

  /** Runs the front .onnx model (and any models to compare it with) on one seeded input in the run panel. */
  async runActive(others: readonly RunModel[] = []): Promise<RunResult | undefined> {
    return this.active && this.runDocument(this.active, others);
  }

  /** Runs one .onnx document's model (the Run button of its editor, or the front one) in the run panel. */
  private async runDocument(doc: OnnxDocument, others: readonly RunModel[] = []): Promise<RunResult | undefined> {
    const front = this.runModelOf(doc);
    if (!front) return undefined;
    const models = [front.model, ...others];
    // The same memory guard as Run Fusion Model: refuse before the panel allocates anything.
    try {
      const est = (await this.engine()).checkRunMemory(doc.graph!, readSettings(doc.uri).memoryLimitMB * 1024 * 1024);
      this.log.info(`${front.model.name}: estimated memory ${formatBytes(est.totalBytes)}`);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`${front.model.name}: ${msg}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot run: {1}', front.model.name, msg));
      return undefined;
    }
    const panel = RunPanel.show(this.extensionUri, this.log);
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Fusion Lens: running {0}', models.map((m) => m.name).join(', ')),
        cancellable: true,
      },
      (progress, token) =>
        panel.run({ models, inputs: front.inputs, previewCount: 10 }, token, (p) =>
          progress.report({ message: `${p.model ?? ''} ${p.phase.replace(/-/g, ' ')}…`.trim() }),
        ),
    );
  }
}
