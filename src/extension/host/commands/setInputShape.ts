// Set Input Shape…: edits the class's `# fusion-lens: input=` comment, or remembers the spec for the class.
import * as vscode from 'vscode';
import type { AnalysisStore } from '../analysisStore';
import { type InputSpecMemory, isValidSpec } from '../inputSpecs';
import { pickOneModel, targetDocument } from '../modelPick';
import { readSettings } from '../settings';

export async function setInputShape(store: AnalysisStore, memory: InputSpecMemory, uriArg?: unknown, classArg?: unknown): Promise<void> {
  const t = await targetDocument(store, uriArg);
  if (!t) return;
  const model = await pickOneModel(t, classArg, vscode.l10n.t('Model whose input shape to set'));
  if (!model) return;
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Input shape of {0}', model.className),
    prompt: vscode.l10n.t('[NAME=]D0xD1x…[:DTYPE], several separated by commas; symbols take their values from fusionLens.dimensions'),
    value: model.inputSpec ?? readSettings(t.doc.uri).defaultInput,
    validateInput: (v) => (isValidSpec(v) ? undefined : vscode.l10n.t('Not an input spec, e.g. 4x3x256x256 or Bx3xHxW:float32')),
  });
  if (value === undefined) return;
  const spec = value.trim();
  if (model.commentLine !== null) {
    // The comment wins over anything remembered, so change it where the user can see it.
    const line = t.doc.lineAt(model.commentLine);
    const indent = /^\s*/.exec(line.text)![0];
    const edit = new vscode.WorkspaceEdit();
    edit.replace(t.doc.uri, line.range, `${indent}# fusion-lens: input=${spec}`);
    await vscode.workspace.applyEdit(edit);
  } else {
    await memory.remember(t.doc.uri, model.className, spec);
    store.invalidateAll();
  }
}
