// Read-only custom editor for torch.save checkpoints (.pt/.pth/.bin/.ckpt): the state-dict tree, other entries, warnings,
// and which models of the open Python files it fits. The file is read by the engine without unpickling.
import * as vscode from 'vscode';
import type { CheckpointViewData, ToCheckpointView } from '../../protocolCheckpoint';
import type { Engine, WeightsSummary } from '../service/engine';
import type { AnalysisStore } from './analysisStore';
import { buildWebviewHtml, webviewOptions } from './webviewHtml';
import { readSettings } from './settings';

export const CHECKPOINT_VIEW_TYPE = 'fusionLens.checkpointViewer';

class CheckpointDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
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
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = buildWebviewHtml(panel.webview, this.extensionUri, { bundle: 'checkpointView', title: name, wasm: false });
    const post = (m: ToCheckpointView) => void panel.webview.postMessage(m);
    try {
      // The whole file is read, so its size is checked against the run memory limit first.
      const limit = readSettings(doc.uri).memoryLimitMB * 1024 * 1024;
      const size = (await vscode.workspace.fs.stat(doc.uri)).size;
      if (size > limit) throw new Error(vscode.l10n.t('{0} is larger than the memory limit (fusionLens.memoryLimitMB).', name));
      const summary = (await this.engine()).summariseWeights(await vscode.workspace.fs.readFile(doc.uri), name);
      const data = this.viewData(name, summary);
      this.log.info(`checkpoint viewer ${name}: ${summary.format}, ${summary.totals.count} tensors; fits ${data.fits.join(', ') || 'no open model'}`);
      post({ type: 'checkpoint', data });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`checkpoint viewer ${name}: ${msg}`);
      post({ type: 'error', message: msg });
    }
  }

  private viewData(file: string, s: WeightsSummary): CheckpointViewData {
    const shapes = new Map(s.tensors.map((t) => [t.name, t.shape]));
    const fits: string[] = [];
    for (const d of vscode.workspace.textDocuments.filter((x) => x.languageId === 'python')) {
      for (const m of this.store.peek(d)?.models ?? []) {
        const g = m.graph;
        if (!g) continue;
        const needed = g.stateDict.filter((e) => e.aliasOf === undefined && !(e.dtype === 'int64' && e.name.endsWith('num_batches_tracked')));
        const ok = needed.every((e) => {
          const sh = shapes.get(e.name);
          return sh !== undefined && sh.length === e.shape.length && sh.every((x, i) => x === e.shape[i]);
        });
        if (ok && needed.length > 0 && s.tensors.every((t) => g.stateDict.some((e) => e.name === t.name)))
          fits.push(`${m.className} (${vscode.workspace.asRelativePath(d.uri)})`);
      }
    }
    return {
      file,
      format: s.format,
      entry: s.entry,
      candidates: s.candidates,
      strippedPrefixes: s.strippedPrefixes,
      tensors: s.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, numel: t.numel, bytes: t.bytes })),
      totals: { count: s.totals.count, numel: s.totals.numel, bytes: s.totals.bytes },
      others: s.others,
      warnings: s.warnings,
      fits,
    };
  }
}
