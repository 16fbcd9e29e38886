// Resolves which document and model classes a command acts on: its arguments, the cursor, or a quick pick.
import * as vscode from 'vscode';
import type { AnalysisStore } from './analysisStore';
import { type DocumentAnalysis, type ModelEntry, modelAtLine } from '../service/analysisTypes';
import { formatCount, formatFlops } from '../service/format';

export interface Target {
  readonly doc: vscode.TextDocument;
  readonly analysis: DocumentAnalysis;
}

/** The Python document a command is about: the URI argument when given (CodeLens), else the active editor. */
export async function targetDocument(store: AnalysisStore, uriArg: unknown): Promise<Target | undefined> {
  let doc: vscode.TextDocument | undefined;
  if (uriArg instanceof vscode.Uri) doc = await vscode.workspace.openTextDocument(uriArg);
  else doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'python') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a Python file with an nn.Module model first.'));
    return undefined;
  }
  const analysis = await store.ensure(doc);
  if (analysis.models.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No nn.Module model found in {0}.', vscode.workspace.asRelativePath(doc.uri)));
    return undefined;
  }
  return { doc, analysis };
}

function item(m: ModelEntry): vscode.QuickPickItem & { model: ModelEntry } {
  const g = m.graph;
  return {
    label: m.className,
    description: g ? `${formatCount(g.paramsTotal)} params · ${formatFlops(g.flopsTotal)}` : (m.error ?? ''),
    detail: m.inputSpec ? vscode.l10n.t('input {0}', m.inputSpec) : undefined,
    model: m,
  };
}

/** One model: the named class, the class under the cursor, the only model, or a quick pick. */
export async function pickOneModel(t: Target, classArg: unknown, placeHolder: string): Promise<ModelEntry | undefined> {
  if (typeof classArg === 'string') return t.analysis.models.find((m) => m.className === classArg);
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document === t.doc) {
    const atCursor = modelAtLine(t.analysis, editor.selection.active.line);
    if (atCursor) return atCursor;
  }
  if (t.analysis.models.length === 1) return t.analysis.models[0];
  return (await vscode.window.showQuickPick(t.analysis.models.map(item), { placeHolder }))?.model;
}

/** Several models: the named class, or every model of the file with a quick pick to narrow it down. */
export async function pickModels(t: Target, classArg: unknown): Promise<ModelEntry[] | undefined> {
  if (typeof classArg === 'string') {
    const m = t.analysis.models.find((x) => x.className === classArg);
    return m ? [m] : undefined;
  }
  if (t.analysis.models.length === 1) return [...t.analysis.models];
  const items = t.analysis.models.map((m) => ({ ...item(m), picked: m.graph !== null }));
  const chosen = await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder: vscode.l10n.t('Models to run on the same input') });
  return chosen && chosen.length > 0 ? chosen.map((c) => c.model) : undefined;
}
