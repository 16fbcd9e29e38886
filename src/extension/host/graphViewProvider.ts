// The activity-bar graph view: shows the model under the cursor and keeps node selection and cursor in sync.
import * as vscode from 'vscode';
import { graphPayload } from '../../core/graph/graphPayload';
import { changeOverlay, type ParamChange } from '../../core/graph/weightOverlay';
import type { AnalysisStore } from './analysisStore';
import { type ModelEntry, modelAtLine } from '../service/analysisTypes';
import { GraphWebviewHost, type RevealRequest } from './graphWebviewHost';

export const GRAPH_VIEW_ID = 'fusionLens.graphView';

export class GraphViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private host: GraphWebviewHost | undefined;
  private view: vscode.WebviewView | undefined;
  /** Document and class on show; a pinned class (Show Fusion Graph on it) wins over the cursor. */
  private shown: { uri: vscode.Uri; className: string } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  /** The latest Compare Checkpoints: its per-layer change is drawn on that model's graph. */
  private weightChange: { uri: string; className: string; title: string; changes: readonly ParamChange[] } | undefined;

  static register(context: vscode.ExtensionContext, store: AnalysisStore, log: vscode.LogOutputChannel): GraphViewProvider {
    const provider = new GraphViewProvider(context.extensionUri, store, log);
    context.subscriptions.push(
      vscode.window.registerWebviewViewProvider(GRAPH_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: true } }),
      provider,
    );
    return provider;
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: AnalysisStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.cursorMoved(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.cursorMoved(e)),
      store.onDidUpdate((uri) => {
        if (this.shown && this.shown.uri.toString() === uri.toString()) this.refresh();
        else if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) this.cursorMoved(vscode.window.activeTextEditor);
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.host?.dispose();
    this.host = new GraphWebviewHost(
      view.webview,
      this.extensionUri,
      this.log,
      (r, p) => void this.reveal(r, p.file),
      'graph view',
      () => this.run(),
    );
    view.onDidDispose(() => {
      this.host?.dispose();
      this.host = undefined;
      this.view = undefined;
    });
    const editor = vscode.window.activeTextEditor;
    if (this.shown) this.refresh();
    else if (editor) this.cursorMoved(editor);
    else this.host.showGraph(null, vscode.l10n.t('Open a Python file with an nn.Module to see its graph.'));
  }

  /** Show Fusion Graph: focus the view on this class of this document. */
  async showModel(uri: vscode.Uri, className: string): Promise<void> {
    this.shown = { uri, className };
    await vscode.commands.executeCommand(`${GRAPH_VIEW_ID}.focus`);
    this.refresh();
  }

  /** Compare Checkpoints ran: this comparison replaces the previous one on the graph. */
  setWeightChange(uri: vscode.Uri, className: string, title: string, changes: readonly ParamChange[]): void {
    this.weightChange = { uri: uri.toString(), className, title, changes };
    if (this.shown?.uri.toString() === uri.toString() && this.shown.className === className) this.refresh();
  }

  private cursorMoved(editor: vscode.TextEditor): void {
    if (editor.document.languageId !== 'python') return;
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => {
      const analysis = this.store.peek(editor.document);
      const line = editor.selection.active.line;
      const model = modelAtLine(analysis, line) ?? (this.shown?.uri.toString() === editor.document.uri.toString() ? undefined : analysis?.models[0]);
      if (model && (this.shown?.className !== model.className || this.shown.uri.toString() !== editor.document.uri.toString())) {
        this.shown = { uri: editor.document.uri, className: model.className };
        this.refresh();
      }
      if (this.shown?.uri.toString() === editor.document.uri.toString()) {
        const file = this.currentModel()?.graph?.file;
        if (file !== undefined) this.host?.highlight({ file, line });
      }
    }, 120);
  }

  private currentModel(): ModelEntry | undefined {
    if (!this.shown) return undefined;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.shown!.uri.toString());
    return doc ? this.store.peek(doc)?.models.find((m) => m.className === this.shown!.className) : undefined;
  }

  private refresh(): void {
    if (!this.host || !this.shown) return;
    const model = this.currentModel();
    if (this.view) this.view.description = this.shown.className;
    if (!model?.graph) {
      this.host.showGraph(null, model?.error ?? vscode.l10n.t('No analysis of {0} yet.', this.shown.className));
      return;
    }
    const payload = graphPayload(model.graph, model.fusion, { key: `${this.shown.uri.toString()}#${model.className}`, stale: model.stale });
    const wc = this.weightChange;
    const overlay =
      wc && wc.uri === this.shown.uri.toString() && wc.className === model.className ? changeOverlay(payload.nodes, wc.changes, wc.title) : undefined;
    this.host.showGraph(payload, undefined, overlay);
  }

  /** The Run button of the view: Run Fusion Model on the class on show. */
  private run(): void {
    if (!this.shown) return;
    void vscode.commands.executeCommand('fusionLens.runFusionModel', this.shown.uri, this.shown.className);
  }

  private async reveal(r: RevealRequest, file: string): Promise<void> {
    if (!this.shown) return;
    const model = this.currentModel();
    if (!model?.graph || model.graph.file !== file) return;
    const doc = await vscode.workspace.openTextDocument(this.shown.uri);
    const line = Math.min(r.line, doc.lineCount - 1);
    const node = model.graph.nodes.find((n) => n.id === r.nodeId);
    const col = node?.range && node.range.startLine === line ? node.range.startCol : doc.lineAt(line).firstNonWhitespaceCharacterIndex;
    const pos = new vscode.Position(line, col);
    const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString())?.viewColumn;
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: column, preserveFocus: false });
    vscode.window.activeTextEditor?.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.host?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
