// Publishes the engine's diagnostics (shape errors with causes, unsupported constructs) to the Problems panel.
import * as vscode from 'vscode';
import type { Diagnostic as EngineDiagnostic, SourceRange } from '../../core/graph/modelGraph';
import type { AnalysisStore } from './analysisStore';

export const DIAGNOSTIC_SOURCE = 'Fusion Lens';

export function toVsRange(r: SourceRange | null): vscode.Range {
  return r ? new vscode.Range(r.startLine, r.startCol, r.endLine, r.endCol) : new vscode.Range(0, 0, 0, 0);
}

function severity(s: EngineDiagnostic['severity']): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

/** Whether a tab shows the document: files the extension reads in the background (the checkpoint viewer's search) stay out of Problems. */
function inEditorTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => tabUri(t)?.toString() === key));
}

function tabUri(t: vscode.Tab): vscode.Uri | undefined {
  if (t.input instanceof vscode.TabInputText) return t.input.uri;
  if (t.input instanceof vscode.TabInputTextDiff) return t.input.modified;
  return undefined;
}

export function registerDiagnostics(store: AnalysisStore): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('fusionLens');
  const update = (uri: vscode.Uri): void => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const analysis = doc && inEditorTab(uri) ? store.peek(doc) : undefined;
    if (!analysis) return collection.delete(uri);
    collection.set(
      uri,
      analysis.diagnostics.map((d) => {
        const diag = new vscode.Diagnostic(toVsRange(d.range), d.hint ? `${d.message}\n${d.hint}` : d.message, severity(d.severity));
        diag.source = DIAGNOSTIC_SOURCE;
        diag.code = d.code;
        return diag;
      }),
    );
  };
  return vscode.Disposable.from(
    collection,
    store.onDidUpdate(update),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
    // A file analysed in the background and opened later shows its diagnostics at once, from the analysis already held.
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const t of e.opened) {
        const uri = tabUri(t);
        if (uri) update(uri);
      }
    }),
  );
}
