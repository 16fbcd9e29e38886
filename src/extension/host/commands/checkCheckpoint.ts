// Check Checkpoint Against Model…: where a weights file and the model source disagree, as diagnostics at the declaring
// layers with quick fixes for constructor arguments; re-checked as the file is edited, until the document closes.
import * as vscode from 'vscode';
import type { SourceRange } from '../../../core/graph/modelGraph';
import type { AnalyzeRequest, CheckpointCheck, Engine } from '../../service/engine';
import type { AnalysisStore } from '../analysisStore';
import { toVsRange } from '../diagnostics';
import { pickOneModel, targetDocument } from '../modelPick';
import { readSettings } from '../settings';
import { chooseEntry, readWeightsChoice, WEIGHTS_GLOB } from './weightsPick';

export const CHECKPOINT_SOURCE = 'Fusion Lens checkpoint';

interface Watched {
  readonly className: string;
  readonly bytes: Uint8Array;
  readonly source: string;
  /** The state dict chosen when the file holds several. */
  readonly entry: string | undefined;
  last: CheckpointCheck | null;
}

export class CheckpointChecker implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('fusionLens.checkpoint');
  private readonly watched = new Map<string, Watched>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: AnalysisStore,
    private readonly engine: () => Promise<Engine>,
    private readonly requestFor: (doc: vscode.TextDocument) => Promise<AnalyzeRequest>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      this.diagnostics,
      vscode.languages.registerCodeActionsProvider({ language: 'python' }, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.watched.has(e.document.uri.toString()) || e.contentChanges.length === 0) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.recheck(e.document), 400);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.watched.delete(d.uri.toString());
        this.diagnostics.delete(d.uri);
      }),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }

  /** The command: pick the model (the one under the cursor first) and a weights file, then check. */
  async run(uriArg?: unknown, classArg?: unknown, fileArg?: unknown): Promise<CheckpointCheck | undefined> {
    const t = await targetDocument(this.store, uriArg);
    if (!t) return undefined;
    const model = await pickOneModel(t, classArg, vscode.l10n.t('Model to check the checkpoint against'));
    if (!model?.graph) {
      if (model) void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot run: {1}', model.className, model.error ?? 'not analysed'));
      return undefined;
    }
    let uri = fileArg instanceof vscode.Uri ? fileArg : undefined;
    if (!uri) {
      const files = await vscode.workspace.findFiles(WEIGHTS_GLOB, '**/node_modules/**', 200);
      if (files.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No weights file (.pt, .pth, .bin, .safetensors) in the workspace.'));
        return undefined;
      }
      const pick = await vscode.window.showQuickPick(
        files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
        { placeHolder: vscode.l10n.t('Checkpoint to check against {0}', model.className) },
      );
      uri = pick?.uri;
    }
    if (!uri) return undefined;
    const read = await readWeightsChoice(uri, readSettings(t.doc.uri).memoryLimitMB * 1024 * 1024);
    const choice = read && (await chooseEntry(await this.engine(), read));
    if (!choice || choice.kind === 'seeded') return undefined;
    const entry = choice.kind === 'file' ? choice.entry : undefined;
    const w: Watched = { className: model.className, bytes: choice.bytes, source: choice.source, entry, last: null };
    this.watched.set(t.doc.uri.toString(), w);
    const c = await this.recheck(t.doc);
    if (c) void (c.fits ? vscode.window.showInformationMessage(c.summary) : vscode.window.showWarningMessage(c.summary));
    return c;
  }

  private async recheck(doc: vscode.TextDocument): Promise<CheckpointCheck | undefined> {
    const w = this.watched.get(doc.uri.toString());
    if (!w) return undefined;
    const version = doc.version;
    const analysis = await this.store.ensure(doc);
    const model = analysis.models.find((m) => m.className === w.className);
    if (!model?.graph || doc.version !== version) return undefined;
    try {
      const c = (await this.engine()).checkCheckpoint(
        await this.requestFor(doc),
        { className: model.className, graph: model.graph, inputSpec: model.inputSpec },
        w.bytes,
        w.source,
        w.entry,
      );
      if (doc.version !== version) return undefined;
      w.last = c;
      this.log.info(c.summary);
      for (const x of c.warnings) this.log.warn(`${w.source}: ${x}`);
      this.diagnostics.set(
        doc.uri,
        c.issues.map((i) => {
          const d = new vscode.Diagnostic(
            toVsRange(i.range),
            i.message,
            i.kind === 'unexpected' ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning,
          );
          d.source = CHECKPOINT_SOURCE;
          d.code = `checkpoint-${i.kind}`;
          return d;
        }),
      );
      return c;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.error(`checkpoint check: ${msg}`);
      void vscode.window.showErrorMessage(msg);
      this.watched.delete(doc.uri.toString());
      this.diagnostics.delete(doc.uri);
      return undefined;
    }
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const w = this.watched.get(doc.uri.toString());
    if (!w?.last) return [];
    const out: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    for (const diag of context.diagnostics) {
      if (diag.source !== CHECKPOINT_SOURCE) continue;
      const issue = w.last.issues.find((i) => i.message === diag.message && toVsRange(i.range).isEqual(diag.range));
      if (!issue?.fix || seen.has(issue.fix.title)) continue;
      seen.add(issue.fix.title);
      const action = new vscode.CodeAction(issue.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, toVsRange(issue.fix.range as SourceRange), issue.fix.text);
      action.diagnostics = [diag];
      action.isPreferred = true;
      out.push(action);
    }
    return out;
  }
}
