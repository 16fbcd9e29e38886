// Show Fusion Graph: focuses the graph view on the chosen model of the document.
import * as vscode from 'vscode';
import type { AnalysisStore } from '../analysisStore';
import type { GraphViewProvider } from '../graphViewProvider';
import { pickOneModel, targetDocument } from '../modelPick';

export async function showGraph(store: AnalysisStore, view: GraphViewProvider, uriArg?: unknown, classArg?: unknown): Promise<void> {
  const t = await targetDocument(store, uriArg);
  if (!t) return;
  const model = await pickOneModel(t, classArg, vscode.l10n.t('Model to show'));
  if (model) await view.showModel(t.doc.uri, model.className);
}
