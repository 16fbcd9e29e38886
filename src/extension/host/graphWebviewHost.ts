// One graph-view webview (side view or .onnx editor): posts graphs and highlights, validates and handles its messages.
import * as vscode from 'vscode';
import { type FromGraphView, type GraphPayload, type ToGraphView, type WeightOverlay, isFromGraphView, unhandled } from '../../protocol';
import { describe } from './runPanel';
import { buildWebviewHtml, webviewOptions } from './webviewHtml';
import { isInWorkspace } from './workspacePaths';

export type RevealRequest = Extract<FromGraphView, { type: 'revealSource' }>;

export class GraphWebviewHost implements vscode.Disposable {
  private ready = false;
  private lastGraph: ToGraphView | undefined;
  private lastHighlight: ToGraphView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The payload currently shown, to check reveal requests against it. */
  private payload: GraphPayload | null = null;

  constructor(
    private readonly webview: vscode.Webview,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly onReveal: (r: RevealRequest, payload: GraphPayload) => void,
    readonly where: string,
    /** Runs the model on show in the run panel (the graph view's Run button); without it the button stays hidden. */
    private readonly onRun?: (payload: GraphPayload) => void,
    /** A page that embeds the graph view (the checkpoint viewer): its bundle, and a handler for its own messages. */
    private readonly shell?: { readonly bundle: string; readonly title: string; readonly other: (m: unknown) => boolean },
  ) {
    webview.options = webviewOptions(extensionUri);
    webview.html = buildWebviewHtml(webview, extensionUri, { bundle: shell?.bundle ?? 'graphView', title: shell?.title ?? 'Fusion Lens: Graph', wasm: false });
    this.disposables.push(webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
  }

  showGraph(payload: GraphPayload | null, reason?: string, overlay?: WeightOverlay): void {
    this.payload = payload;
    const canRun = this.onRun !== undefined && payload !== null;
    this.lastGraph = {
      type: 'graph',
      payload,
      canRun,
      ...(reason !== undefined ? { reason } : {}),
      ...(overlay && payload ? { overlay } : {}),
    };
    this.lastHighlight = undefined;
    if (this.ready) void this.webview.postMessage(this.lastGraph);
  }

  highlight(msg: Omit<Extract<ToGraphView, { type: 'highlight' }>, 'type'>): void {
    this.lastHighlight = { type: 'highlight', ...msg };
    if (this.ready) void this.webview.postMessage(this.lastHighlight);
  }

  get shownKey(): string | null {
    return this.payload?.key ?? null;
  }

  private receive(m: unknown): void {
    if (!isFromGraphView(m)) {
      if (this.shell?.other(m)) return;
      this.log.warn(`${this.where}: rejected a malformed message (${describe(m)})`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.lastGraph) void this.webview.postMessage(this.lastGraph);
        if (this.lastHighlight) void this.webview.postMessage(this.lastHighlight);
        return;
      case 'revealSource':
        // Only nodes of the graph on show, in the file it came from, can be revealed.
        if (this.payload && m.file === this.payload.file && this.payload.nodes.some((n) => n.id === m.nodeId && n.line === m.line))
          this.onReveal(m, this.payload);
        else this.log.warn(`${this.where}: reveal request for an unknown node refused`);
        return;
      case 'exportImage':
        void this.exportImage(m);
        return;
      case 'runModel':
        // Only the model on show can be run, and only where a Run handler was given.
        if (this.onRun && this.payload && m.key === this.payload.key) this.onRun(this.payload);
        else this.log.warn(`${this.where}: run request for a model not on show refused`);
        return;
      case 'layoutDone':
        this.log.info(`${this.where}: laid out ${m.nodes} nodes, ${m.edges} edges in ${m.ms.toFixed(0)} ms (${m.mode})`);
        return;
      case 'log':
        this.log[m.level === 'warn' ? 'warn' : m.level === 'error' ? 'error' : 'info'](`${this.where}: ${m.message}`);
        return;
      default:
        unhandled(m);
    }
  }

  private async exportImage(m: Extract<FromGraphView, { type: 'exportImage' }>): Promise<void> {
    const reply = (ok: boolean, error?: string): void => {
      void this.webview.postMessage({ type: 'response', requestId: m.requestId, ok, ...(error ? { error } : {}) } satisfies ToGraphView);
    };
    try {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, m.fileName) : undefined,
        filters: m.format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] },
      });
      if (!target) return reply(false, 'cancelled');
      if (folder && !isInWorkspace(target)) this.log.info(`exporting graph image outside the workspace: ${target.fsPath}`);
      const bytes = m.format === 'svg' ? new TextEncoder().encode(m.data) : Buffer.from(m.data, 'base64');
      await vscode.workspace.fs.writeFile(target, bytes);
      reply(true);
    } catch (e) {
      reply(false, e instanceof Error ? e.message : String(e));
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
