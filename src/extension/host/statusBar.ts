// Status-bar item for the model under the cursor: class, input → output, params; click shows its graph.
import * as vscode from 'vscode';
import type { AnalysisStore } from './analysisStore';
import { modelAtLine } from '../service/analysisTypes';
import { formatCount, formatFlops } from '../service/format';
import { shortShape } from '../service/shapeText';

export function registerStatusBar(store: AnalysisStore): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('fusionLens.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Fusion Lens';
  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    const analysis = editor && editor.document.languageId === 'python' ? store.peek(editor.document) : undefined;
    void vscode.commands.executeCommand('setContext', 'fusionLens.editorHasModels', (analysis?.models.length ?? 0) > 0);
    const model = editor ? modelAtLine(analysis, editor.selection.active.line) : undefined;
    if (!editor || !model) {
      item.hide();
      return;
    }
    const g = model.graph;
    const io = g
      ? `${g.inputs.map((i) => shortShape(i.shape)).join(', ')} → ${g.outputs.map((o) => shortShape(g.values.get(o)?.shape ?? null)).join(', ')}`
      : vscode.l10n.t('not analysed');
    item.text = `$(type-hierarchy) ${model.className}${model.stale ? ' $(warning)' : ''} ${io}`;
    item.tooltip = g
      ? `${model.className}: ${formatCount(g.paramsTotal)} params · ${formatFlops(g.flopsTotal)} · ${vscode.l10n.t('{0} fusion points', model.fusion.length)}`
      : (model.error ?? '');
    item.command = { title: vscode.l10n.t('Show Fusion Graph'), command: 'fusionLens.showGraph', arguments: [editor.document.uri, model.className] };
    item.show();
  };
  update();
  return vscode.Disposable.from(
    item,
    store.onDidUpdate(update),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.window.onDidChangeTextEditorSelection(update),
  );
}
