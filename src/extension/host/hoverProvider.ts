// Hover provider: answers from the last cached analysis of the document, never waiting for a new one.
import * as vscode from 'vscode';
import type { AnalysisStore } from './analysisStore';
import { analysingHover, hoverMarkdown } from '../service/hoverContent';
import { sourceContext } from '../service/sourceContext';

export class ShapeHoverProvider implements vscode.HoverProvider {
  static register(store: AnalysisStore): vscode.Disposable {
    return vscode.languages.registerHoverProvider({ language: 'python' }, new ShapeHoverProvider(store));
  }

  constructor(private readonly store: AnalysisStore) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const analysis = this.store.peek(doc);
    const range = doc.getWordRangeAtPosition(pos, /[A-Za-z_]\w*/);
    if (!analysis) {
      // No analysis yet (the first one of a file importing a large library takes seconds): say so, and make sure one
      // runs — without restarting one already under way, whose result would then be dropped as superseded.
      if (!this.store.pending(doc)) this.store.schedule(doc, true);
      if (!range) return undefined;
      const note = new vscode.MarkdownString(analysingHover({ l10n: vscode.l10n, zh: false }));
      note.isTrusted = false;
      return new vscode.Hover(note, range);
    }
    if (!range) return undefined;
    const ctx = sourceContext((i) => doc.lineAt(i).text, pos.line);
    const md = hoverMarkdown(
      analysis,
      {
        line: pos.line,
        col: pos.character,
        word: doc.getText(range),
        lineText: doc.lineAt(pos.line).text,
        enclosingClass: ctx.enclosingClass,
        functionStart: ctx.functionStart,
      },
      { l10n: vscode.l10n, zh: vscode.env.language.toLowerCase().startsWith('zh') },
    );
    if (!md) return undefined;
    const content = new vscode.MarkdownString(md);
    content.supportHtml = false;
    content.isTrusted = false;
    return new vscode.Hover(content, range);
  }
}
