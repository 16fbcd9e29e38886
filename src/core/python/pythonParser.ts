// The tree-sitter adapter: loads the wasm grammar once (location configurable) and parses Python text into the typed AST.
//
// API:
//   await initPythonParser({ wasmDir })        // or { treeSitterWasm, pythonWasm } as paths or bytes
//   const p = new PythonParser();              // after init; one per document for incremental parsing
//   const { module, tree } = p.parse(text);    // module: PyModule (typed AST + syntax errors)
//   p.parse(newText, edit)                     // incremental: pass the edit since the previous parse
import { Language, Parser, type Edit, type Tree, type TreeCursor } from 'web-tree-sitter';
import type { PyModule } from './ast';
import type { Stmt, SyntaxError } from './ast';
import { RawTreeReader } from './rawTree';
import { DirectCursorAccess } from './cursorOps';
import { toAstTopLevel } from './toAst';
import { shiftLines } from './shiftLines';

export interface ParserInitOptions {
  /** Folder holding tree-sitter.wasm and tree-sitter-python.wasm (dist/wasm in the bundles). */
  readonly wasmDir?: string;
  /** Explicit locations (path or URL) or bytes, overriding wasmDir. */
  readonly treeSitterWasm?: string;
  readonly pythonWasm?: string | Uint8Array;
}

let language: Language | null = null;
let loading: Promise<Language> | null = null;
/** Direct wasm reads of the tree (cursorOps.ts), when web-tree-sitter's internals are as expected. */
let direct: DirectCursorAccess | null = null;

/** A sample with fields, extras and nesting for the direct-read probe. */
const PROBE_SAMPLE =
  'import torch\nclass M(nn.Module):  # c\n    def forward(self, x: int = 1, *a, **k):\n        y = f(x, k=2)[0, 1:] + (x \\\n            if x else -x)\n        return y.view(-1)\n';

/** Loads web-tree-sitter and the Python grammar; safe to call several times. */
export function initPythonParser(opts: ParserInitOptions = {}): Promise<Language> {
  if (language) return Promise.resolve(language);
  if (!loading) {
    const dir = opts.wasmDir ? opts.wasmDir.replace(/[\\/]$/, '') : null;
    const core = opts.treeSitterWasm ?? (dir ? `${dir}/tree-sitter.wasm` : undefined);
    const grammar = opts.pythonWasm ?? (dir ? `${dir}/tree-sitter-python.wasm` : undefined);
    if (!grammar) return Promise.reject(new Error('initPythonParser: give wasmDir or pythonWasm'));
    loading = (async () => {
      // Always an object: emscripten makes it the module, whose exports the direct tree reads call.
      const moduleOptions: { locateFile?: () => string } = core ? { locateFile: () => core } : {};
      await Parser.init(moduleOptions);
      const lang = await Language.load(grammar);
      const probe = new Parser();
      try {
        probe.setLanguage(lang);
        direct = DirectCursorAccess.probe(moduleOptions, probe, PROBE_SAMPLE);
      } finally {
        probe.delete();
      }
      language = lang;
      return lang;
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

export function parserReady(): boolean {
  return language !== null;
}

/** The direct reader of trees (null: the public cursor is used), for tests that compare both ways of reading. */
export function directCursorAccess(): DirectCursorAccess | null {
  return direct;
}

export interface ParseResult {
  readonly module: PyModule;
  readonly tree: Tree;
}

/** Parses one document; keeps the previous tree so edits re-parse incrementally. */
export class PythonParser {
  private readonly parser: Parser;
  private tree: Tree | null = null;
  /** Converted top-level statements by position and text: unchanged statements are not converted again. */
  private converted = new Map<string, { stmts: Stmt[]; errors: SyntaxError[]; row: number }>();

  constructor() {
    if (!language) throw new Error('PythonParser: call initPythonParser() first');
    this.parser = new Parser();
    this.parser.setLanguage(language);
  }

  parse(text: string, edit?: Edit): ParseResult {
    let old: Tree | null = null;
    if (edit && this.tree) {
      this.tree.edit(edit);
      old = this.tree;
    }
    const tree = this.parser.parse(text, old);
    if (!tree) throw new Error('tree-sitter returned no tree');
    if (this.tree && this.tree !== tree) this.tree.delete();
    this.tree = tree;
    return { module: this.convert(tree, text), tree };
  }

  private convert(tree: Tree, text: string): PyModule {
    const body: Stmt[] = [];
    const syntaxErrors: SyntaxError[] = [];
    const next = new Map<string, { stmts: Stmt[]; errors: SyntaxError[]; row: number }>();
    const c = tree.walk();
    const reader = new RawTreeReader(language!, text, direct);
    try {
      if (c.nodeType === 'ERROR') {
        // The whole file failed to parse into statements: keep only definitions found inside.
        const part = convertGuarded(c, reader, text);
        this.converted = next;
        return { body: part.stmts, syntaxErrors: part.errors };
      }
      if (c.gotoFirstChild()) {
        do {
          if (c.nodeType === 'comment' || !c.nodeIsNamed) {
            if (c.nodeIsMissing)
              syntaxErrors.push({
                message: `missing '${c.nodeType}'`,
                range: { startLine: c.startPosition.row, startCol: c.startPosition.column, endLine: c.endPosition.row, endCol: c.endPosition.column },
              });
            continue;
          }
          const sp = c.startPosition;
          // Keyed without the row: a statement that only moved (lines inserted above) is shifted, not re-read.
          const key = `${sp.column}:${c.nodeType}:${text.slice(c.startIndex, c.endIndex)}`;
          let part = next.has(key) ? undefined : this.converted.get(key);
          if (part && part.row !== sp.row) {
            shiftLines(part.stmts, part.errors, sp.row - part.row);
            part.row = sp.row;
          }
          if (!part) part = { ...convertGuarded(c, reader, text), row: sp.row };
          if (!next.has(key)) next.set(key, part);
          body.push(...part.stmts);
          syntaxErrors.push(...part.errors);
        } while (c.gotoNextSibling());
      }
    } finally {
      c.delete();
    }
    this.converted = next;
    return { body, syntaxErrors };
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
    this.parser.delete();
  }
}

/**
 * Converts the statement at the cursor; a statement nested too deeply for the call stack (thousands of
 * brackets) becomes a syntax error instead of a RangeError, and the cursor is put back on the statement.
 */
function convertGuarded(c: TreeCursor, reader: RawTreeReader, text: string): { stmts: Stmt[]; errors: SyntaxError[] } {
  const depth = c.currentDepth;
  const range = { startLine: c.startPosition.row, startCol: c.startPosition.column, endLine: c.endPosition.row, endCol: c.endPosition.column };
  try {
    // Only statements tree-sitter flags as containing errors pay for the MISSING-token checks.
    return toAstTopLevel(reader.copy(c, c.currentNode.hasError), text);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    while (c.currentDepth > depth && c.gotoParent());
    return { stmts: [], errors: [{ message: 'statement nested too deeply to analyse', range }] };
  }
}
