// Hosts the run-panel webview beside the editor: sends run requests, relays progress, validates every reply.
import * as vscode from 'vscode';
import { type Bytes, type FromRunPanel, type RunRequest, type RunResult, type ToRunPanel, isFromRunPanel, unhandled } from '../../protocol';
import { buildWebviewHtml, webviewOptions } from './webviewHtml';
import { readExecution } from './executionSettings';

export type RerunRequest = Extract<FromRunPanel, { type: 'rerun' }>;

interface PendingRun {
  readonly runId: number;
  readonly resolve: (r: RunResult) => void;
  readonly progress?: (p: Extract<FromRunPanel, { type: 'runProgress' }>) => void;
}

export class RunPanel implements vscode.Disposable {
  private static current: RunPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readyPromise: Promise<void>;
  private markReady!: () => void;
  private pending: PendingRun | undefined;
  private nextRunId = 1;
  private disposed = false;

  /** Called when the user asks the panel to run again (another seed, an image). */
  onRerun: ((r: RerunRequest) => void) | undefined;
  /** Called when the user asks to see a model's weight change on its graph (the weight-change table's button). */
  onShowOnGraph: ((model: string) => void) | undefined;

  static show(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): RunPanel {
    if (RunPanel.current) {
      RunPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return RunPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      'fusionLens.runPanel',
      vscode.l10n.t('Fusion Lens: Run'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        ...webviewOptions(extensionUri),
        retainContextWhenHidden: true,
      },
    );
    RunPanel.current = new RunPanel(panel, extensionUri, log);
    return RunPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.readyPromise = new Promise((r) => (this.markReady = r));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = buildWebviewHtml(panel.webview, extensionUri, { bundle: 'runPanel', title: 'Fusion Lens: Run', wasm: true });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Posts a run and resolves with the panel's result; cancelling the token asks the panel to stop. */
  async run(req: Omit<RunRequest, 'runId'>, token: vscode.CancellationToken, progress?: PendingRun['progress']): Promise<RunResult> {
    await this.readyPromise;
    if (this.disposed) return { runId: 0, models: [], comparisons: [], cancelled: true, error: 'the run panel was closed' };
    if (this.pending) {
      // a newer run supersedes the pending one: stop it, and end its caller's wait (its progress notification) now
      const old = this.pending;
      this.pending = undefined;
      this.post({ type: 'cancel', runId: old.runId });
      old.resolve({ runId: old.runId, models: [], comparisons: [], cancelled: true });
    }
    const runId = this.nextRunId++;
    if (token.isCancellationRequested) return { runId, models: [], comparisons: [], cancelled: true };
    return new Promise<RunResult>((resolve) => {
      const sub = token.onCancellationRequested(() => {
        this.log.info(`run ${runId}: cancel requested`);
        this.post({ type: 'cancel', runId });
        sub.dispose();
      });
      // the subscription ends with the run, whichever way it ends
      this.pending = {
        runId,
        resolve: (r) => {
          sub.dispose();
          resolve(r);
        },
        progress,
      };
      this.post({ type: 'run', runId, ...plainRequest(req), execution: req.execution ?? readExecution() });
    });
  }

  private post(msg: ToRunPanel): void {
    void this.panel.webview.postMessage(msg);
  }

  private receive(m: unknown): void {
    if (!isFromRunPanel(m)) {
      this.log.warn(`run panel: rejected a malformed message (${describe(m)})`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.markReady();
        return;
      case 'runProgress':
        if (this.pending?.runId === m.runId) this.pending.progress?.(m);
        return;
      case 'runResult': {
        if (this.pending?.runId !== m.runId) return;
        const { type: _type, ...result } = m;
        const done = this.pending;
        this.pending = undefined;
        done.resolve(result);
        return;
      }
      case 'rerun':
        this.onRerun?.(m);
        return;
      case 'showOnGraph':
        this.onShowOnGraph?.(m.model);
        return;
      case 'log':
        this.log[m.level === 'warn' ? 'warn' : m.level === 'error' ? 'error' : 'info'](`run panel: ${m.message}`);
        return;
      default:
        unhandled(m);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (RunPanel.current === this) RunPanel.current = undefined;
    this.pending?.resolve({ runId: this.pending.runId, models: [], comparisons: [], cancelled: true, error: 'the run panel was closed' });
    this.pending = undefined;
    this.markReady();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/**
 * Node Buffers (protobufjs output, workspace.fs reads) are Uint8Array subclasses that VS Code's webview
 * serialisation does not rebuild on the other side: send plain Uint8Array views of the same memory.
 */
function plainBytes(b: Bytes): Bytes {
  return typeof b === 'string' || b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function plainRequest(req: Omit<RunRequest, 'runId'>): Omit<RunRequest, 'runId'> {
  return {
    ...req,
    models: req.models.map((m) => ({
      ...m,
      onnx: plainBytes(m.onnx),
      ...(m.externalData ? { externalData: m.externalData.map((e) => ({ ...e, data: plainBytes(e.data) })) } : {}),
    })),
    inputs: req.inputs.map((i) => (i.source.kind === 'seeded' ? i : { ...i, source: { ...i.source, data: plainBytes(i.source.data) } })),
  };
}

/** A short description of a rejected message for the log (never its content). */
export function describe(m: unknown): string {
  if (typeof m !== 'object' || m === null) return typeof m;
  const t = (m as { type?: unknown }).type;
  return typeof t === 'string' ? `type ${JSON.stringify(t.slice(0, 40))}` : 'no type';
}
