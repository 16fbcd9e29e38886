// Inlay hints at line ends with the shapes a line binds; refreshed when a new analysis lands.
import * as vscode from 'vscode';
import type { AnalysisStore } from './analysisStore';
import { inlayItems } from '../service/inlayContent';
import { readSettings } from './settings';

export class ShapeInlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  static register(store: AnalysisStore): vscode.Disposable {
    const provider = new ShapeInlayHintsProvider(store);
    return vscode.Disposable.from(
      vscode.languages.registerInlayHintsProvider({ language: 'python' }, provider),
      store.onDidUpdate(() => provider.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fusionLens.inlayHints')) provider.changed.fire();
      }),
      provider.changed,
    );
  }

  constructor(private readonly store: AnalysisStore) {}

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    if (!readSettings(doc.uri).inlayHints) return [];
    const analysis = this.store.peek(doc);
    if (!analysis) return [];
    return inlayItems(analysis, range.start.line, range.end.line)
      .filter((item) => item.line < doc.lineCount)
      .map((item) => {
        const end = doc.lineAt(item.line).range.end;
        const hint = new vscode.InlayHint(end, item.label, vscode.InlayHintKind.Type);
        hint.paddingLeft = true;
        hint.tooltip = item.tooltip;
        return hint;
      });
  }
}
