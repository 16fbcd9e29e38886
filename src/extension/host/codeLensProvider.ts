// CodeLens above each model class: Run · Graph · params · FLOPs · input spec (click to change it).
import * as vscode from 'vscode';
import type { AnalysisStore } from './analysisStore';
import { formatCount, formatFlops } from '../service/format';

export class ModelCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  static register(store: AnalysisStore): vscode.Disposable {
    const provider = new ModelCodeLensProvider(store);
    return vscode.Disposable.from(
      vscode.languages.registerCodeLensProvider({ language: 'python' }, provider),
      store.onDidUpdate(() => provider.changed.fire()),
      provider.changed,
    );
  }

  constructor(private readonly store: AnalysisStore) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const analysis = this.store.peek(doc);
    if (!analysis) {
      this.store.schedule(doc, true);
      return [];
    }
    const lenses: vscode.CodeLens[] = [];
    for (const m of analysis.models) {
      const line = Math.min(m.nameRange.startLine, doc.lineCount - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const args = [doc.uri, m.className];
      const stale = m.stale ? ` ${vscode.l10n.t('(stale)')}` : '';
      lenses.push(new vscode.CodeLens(range, { title: `▶ ${vscode.l10n.t('Run Fusion Model')}`, command: 'fusionLens.runFusionModel', arguments: args }));
      lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Graph'), command: 'fusionLens.showGraph', arguments: args }));
      if (m.graph) {
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('{0} params', formatCount(m.graph.paramsTotal)) + stale, command: '' }));
        lenses.push(new vscode.CodeLens(range, { title: formatFlops(m.graph.flopsTotal), command: '' }));
      } else if (m.error) {
        lenses.push(new vscode.CodeLens(range, { title: `⚠ ${m.error.slice(0, 80)}`, command: '' }));
      }
      const spec = m.inputSpec ? vscode.l10n.t('input {0}', m.inputSpec) : vscode.l10n.t('input: not set');
      lenses.push(
        new vscode.CodeLens(range, { title: spec, tooltip: vscode.l10n.t('Set Input Shape…'), command: 'fusionLens.setInputShape', arguments: args }),
      );
    }
    return lenses;
  }
}
