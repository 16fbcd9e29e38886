// Per-document incremental analysis: incremental re-parse, per-class result reuse, stale results for broken classes, position queries.
//
// API:
//   const cache = new AnalysisCache();
//   cache.update(uri, req)            → FileAnalysis (req as for analyzeSource; `req.cacheSalt` invalidates
//                                       results that depend on other files, e.g. bump it when an import changes)
//   cache.update(uri, req, refine)    → the same, with `refine(module, req)` completing the request from the parsed
//                                       module (e.g. input overrides that depend on the file's classes)
//   cache.queryAt(uri, line, col)     → PositionInfo[]: per analysed class graph, the line records at that line
//                                       grouped by call site, the graph nodes and module calls made there
//   cache.forget(uri)
// A class is re-analysed only when its own text or position, the file's module-level code, or a class it
// refers to changed. A class whose text no longer parses keeps its last good analysis with `stale: true`.
import type { ClassDef, PyModule, Stmt } from '../python/ast';
import type { Edit } from 'web-tree-sitter';
import { PythonParser } from '../python/pythonParser';
import type { GraphNode, LineRecord, ModelGraph, ModuleCall } from '../graph/modelGraph';
import { analyzeSource, topLevelClasses, type AnalyzeRequest, type ClassAnalysis, type FileAnalysis } from './analyzeFile';

export interface CachedRequest extends AnalyzeRequest {
  /** Mixed into every cache key: change it when something outside the document (an imported file) changed. */
  readonly cacheSalt?: string;
}

export interface CallSiteRecords {
  readonly owner: string | null;
  readonly qualname: string;
  readonly records: readonly LineRecord[];
}

export interface PositionInfo {
  readonly className: string;
  readonly graph: ModelGraph;
  /** Line records of the statement at this line, all call sites. */
  readonly records: readonly LineRecord[];
  readonly bySite: readonly CallSiteRecords[];
  /** Ops whose source range contains the position. */
  readonly nodes: readonly GraphNode[];
  /** Module calls made from a range containing the position. */
  readonly calls: readonly ModuleCall[];
}

interface GraphIndex {
  readonly lines: Map<number, LineRecord[]>;
  readonly nodes: Map<number, GraphNode[]>;
  readonly calls: Map<number, ModuleCall[]>;
}

interface DocState {
  parser: PythonParser;
  text: string;
  analysis: FileAnalysis;
  /** Results by class key. */
  results: Map<string, ClassAnalysis>;
  /** Last good result per class name, for stale display. */
  lastGood: Map<string, ClassAnalysis>;
  indexes: WeakMap<ModelGraph, GraphIndex>;
  /** Identifiers per class text, for the next update's cache keys. */
  words: WordCache;
}

/** The tree-sitter edit that turns `a` into `b` (one changed span between a common prefix and suffix). */
export function diffEdit(a: string, b: string): Edit | null {
  if (a === b) return null;
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  const pos = (s: string, i: number) => {
    let row = 0;
    let last = -1;
    for (let k = s.indexOf('\n'); k !== -1 && k < i; k = s.indexOf('\n', k + 1)) {
      row++;
      last = k;
    }
    return { row, column: i - last - 1 };
  };
  return { startIndex: start, oldEndIndex: endA, newEndIndex: endB, startPosition: pos(a, start), oldEndPosition: pos(a, endA), newEndPosition: pos(b, endB) };
}

/** The identifiers a class's text mentions, by text (kept from the previous update: most classes did not change). */
type WordCache = Map<string, readonly string[]>;

function wordsOf(text: string, prev: WordCache | undefined, next: WordCache): readonly string[] {
  let w = next.get(text) ?? prev?.get(text);
  if (!w) w = [...new Set(text.match(/[A-Za-z_]\w*/g) ?? [])];
  next.set(text, w);
  return w;
}

/** Cache keys per class: its text and position, module-level code, and the classes it mentions (transitively). */
function classKeys(req: CachedRequest, body: readonly Stmt[], prevWords?: WordCache): { keys: Map<ClassDef, string>; words: WordCache } {
  const text = req.text;
  const lineStarts = [0];
  for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) lineStarts.push(k + 1);
  // The statement's lines (without the last newline), as lines.slice(start, end + 1).join('\n') would give them.
  const source = (s: Stmt) => {
    const end = s.r.endLine + 1 < lineStarts.length ? lineStarts[s.r.endLine + 1] - 1 : text.length;
    return s.r.startLine < lineStarts.length ? text.slice(lineStarts[s.r.startLine], Math.max(end, lineStarts[s.r.startLine])) : '';
  };
  const slice = (s: Stmt) => `${s.r.startLine}:${s.r.startCol}|${source(s)}`;
  const classes = topLevelClasses(body);
  const classText = new Map(classes.map((c) => [c.name, slice(c)]));
  const context = body
    .filter((s) => s.k !== 'class')
    .map(slice)
    .join('\n');
  const opts = JSON.stringify({
    o: req.inputOverrides ?? null,
    s: req.symbols ?? null,
    b: req.budget ?? null,
    ib: req.importBudget ?? null,
    only: req.onlyClasses ?? null,
    salt: req.cacheSalt ?? '',
  });
  const words: WordCache = new Map();
  const refs = new Map(classes.map((c) => [c.name, wordsOf(source(c), prevWords, words).filter((w) => w !== c.name && classText.has(w))]));
  const out = new Map<ClassDef, string>();
  for (const c of classes) {
    const deps = new Set<string>([c.name]);
    const todo = [c.name];
    while (todo.length) {
      for (const d of refs.get(todo.pop()!) ?? []) {
        if (deps.has(d)) continue;
        deps.add(d);
        todo.push(d);
      }
    }
    out.set(c, [opts, context, ...[...deps].sort().map((d) => classText.get(d))].join('\u0001'));
  }
  return { keys: out, words };
}

export class AnalysisCache {
  private readonly docs = new Map<string, DocState>();

  get(uri: string): FileAnalysis | undefined {
    return this.docs.get(uri)?.analysis;
  }

  forget(uri: string): void {
    const d = this.docs.get(uri);
    d?.parser.dispose();
    this.docs.delete(uri);
  }

  update(uri: string, req: CachedRequest, refine?: (module: PyModule, req: CachedRequest) => CachedRequest): FileAnalysis {
    let doc = this.docs.get(uri);
    if (doc && doc.text === req.text && !req.cacheSalt && !refine) return doc.analysis;
    const parser = doc?.parser ?? new PythonParser();
    const edit = doc ? diffEdit(doc.text, req.text) : null;
    const { module } = parser.parse(req.text, edit ?? undefined);
    // Callers that derive options from the classes of the file get the parse without a second one.
    if (refine) req = refine(module, req);
    const { keys, words } = classKeys(req, module.body, doc?.words);
    const prev = doc?.results ?? new Map<string, ClassAnalysis>();
    const results = new Map<string, ClassAnalysis>();
    const lastGood = doc?.lastGood ?? new Map<string, ClassAnalysis>();
    const fa = analyzeSource(req, parser, module, {
      get: (def) => {
        const k = keys.get(def);
        return k !== undefined ? prev.get(k) : undefined;
      },
      set: (def, value) => {
        const k = keys.get(def);
        if (k !== undefined) results.set(k, value);
      },
    });
    // Classes that are broken, or vanished into a syntax error, keep their last good analysis (stale).
    const classes: ClassAnalysis[] = [];
    const present = new Set<string>();
    for (const c of fa.classes) {
      present.add(c.name);
      const good = lastGood.get(c.name);
      if (c.broken && good && good.graph) classes.push({ ...good, broken: true, stale: true, range: c.range, nameRange: c.nameRange });
      else {
        classes.push(c);
        if (!c.broken && c.graph) lastGood.set(c.name, c);
      }
    }
    if (fa.syntaxErrors.length) {
      for (const [name, good] of lastGood) if (!present.has(name)) classes.push({ ...good, broken: true, stale: true });
    } else for (const name of [...lastGood.keys()]) if (!present.has(name)) lastGood.delete(name);
    const analysis: FileAnalysis = { ...fa, classes };
    if (!doc) {
      doc = { parser, text: req.text, analysis, results, lastGood, indexes: new WeakMap(), words };
      this.docs.set(uri, doc);
    } else Object.assign(doc, { text: req.text, analysis, results, lastGood, words });
    return analysis;
  }

  /** What the analysis knows at a position (0-based line and column), per class graph that ran that code. */
  queryAt(uri: string, line: number, col: number): PositionInfo[] {
    const doc = this.docs.get(uri);
    if (!doc) return [];
    const out: PositionInfo[] = [];
    const graphs: [string, ModelGraph][] = [];
    for (const c of doc.analysis.classes) if (c.graph) graphs.push([c.name, c.graph]);
    for (const m of doc.analysis.models) if (m.graph) graphs.push([m.className ?? m.expr, m.graph]);
    for (const [name, g] of graphs) {
      const idx = this.index(doc, g);
      const records = idx.lines.get(line) ?? [];
      const inRange = (r: { startLine: number; startCol: number; endLine: number; endCol: number } | null) =>
        !!r && (r.startLine < line || (r.startLine === line && r.startCol <= col)) && (r.endLine > line || (r.endLine === line && r.endCol >= col));
      const nodes = (idx.nodes.get(line) ?? []).filter((n) => inRange(n.range));
      const calls = (idx.calls.get(line) ?? []).filter((m) => inRange(m.range));
      if (!records.length && !nodes.length && !calls.length) continue;
      const sites = new Map<string, { owner: string | null; qualname: string; records: LineRecord[] }>();
      for (const r of records) {
        const k = `${r.owner}|${r.qualname}`;
        let s = sites.get(k);
        if (!s) sites.set(k, (s = { owner: r.owner, qualname: r.qualname, records: [] }));
        s.records.push(r);
      }
      out.push({ className: name, graph: g, records, bySite: [...sites.values()], nodes, calls });
    }
    return out;
  }

  private index(doc: DocState, g: ModelGraph): GraphIndex {
    let idx = doc.indexes.get(g);
    if (idx) return idx;
    const push = <T>(m: Map<number, T[]>, from: number, to: number, v: T) => {
      for (let l = from; l <= to; l++) {
        let a = m.get(l);
        if (!a) m.set(l, (a = []));
        a.push(v);
      }
    };
    idx = { lines: new Map(), nodes: new Map(), calls: new Map() };
    for (const r of g.lines) if (r.file === g.file) push(idx.lines, r.line, r.range ? Math.max(r.line, r.range.endLine) : r.line, r);
    for (const n of g.nodes) if (n.range && n.range.file === g.file) push(idx.nodes, n.range.startLine, n.range.endLine, n);
    for (const m of g.modules) if (m.range && m.range.file === g.file) push(idx.calls, m.range.startLine, m.range.endLine, m);
    doc.indexes.set(g, idx);
    return idx;
  }
}
