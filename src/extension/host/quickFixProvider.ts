// Quick fixes: apply an analysis fix (e.g. the Linear in_features that fits) and insert the input-size comment.
import * as vscode from 'vscode';
import type { AnalysisStore } from './analysisStore';
import { modelAtLine } from '../service/analysisTypes';
import { DIAGNOSTIC_SOURCE, toVsRange } from './diagnostics';
import { readSettings } from './settings';

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  static register(store: AnalysisStore): vscode.Disposable {
    return vscode.languages.registerCodeActionsProvider({ language: 'python' }, new QuickFixProvider(store), {
      providedCodeActionKinds: QuickFixProvider.kinds,
    });
  }

  constructor(private readonly store: AnalysisStore) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const analysis = this.store.peek(doc);
    if (!analysis || analysis.version !== doc.version) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diag of context.diagnostics) {
      if (diag.source !== DIAGNOSTIC_SOURCE) continue;
      const found = analysis.diagnostics.find((d) => d.code === diag.code && d.fix && toVsRange(d.range).isEqual(diag.range));
      if (!found?.fix) continue;
      const action = new vscode.CodeAction(found.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, toVsRange(found.fix.range), found.fix.text);
      action.diagnostics = [diag];
      action.isPreferred = true;
      actions.push(action);
    }
    const model = modelAtLine(analysis, range.start.line);
    if (model && model.commentLine === null) {
      const spec = model.inputSpec ?? readSettings(doc.uri).defaultInput;
      const classLine = model.classRange.startLine;
      const indent = /^\s*/.exec(doc.lineAt(classLine).text)![0];
      const action = new vscode.CodeAction(vscode.l10n.t('Add input-size comment `# fusion-lens: input={0}`', spec), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.insert(doc.uri, new vscode.Position(classLine, 0), `${indent}# fusion-lens: input=${spec}\n`);
      action.diagnostics = context.diagnostics.filter(
        (d) => d.source === DIAGNOSTIC_SOURCE && d.range.start.line >= classLine && d.range.start.line <= model.classRange.endLine,
      );
      actions.push(action);
    }
    return actions;
  }
}
