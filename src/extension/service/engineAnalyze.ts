// Analyses one Python document with the interpreter: its models, their input specs, graphs, fusion points and diagnostics.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { Diagnostic, SourceRange } from '../../core/graph/modelGraph';
import type { AnalysisCache } from '../../core/interp/analysisCache';
import { analyzeSource, type ChosenSpec, type FileAnalysis } from '../../core/interp/analyzeFile';
import { parseInputSpecs, type InputSpec } from '../../core/interp/inputSpec';
import type { PyModule, Range } from '../../core/python/ast';
import { PythonParser } from '../../core/python/pythonParser';
import type { ModelEntry, SpecSource } from './analysisTypes';
import { fusionAnalysis } from './engineFusion';
import { moduleClasses, type ModuleClassInfo } from './modelClasses';

export interface AnalyzeRequest {
  readonly text: string;
  /** Absolute path of the document. */
  readonly file: string;
  /** Specs remembered per class (Set Input Shape… on a class without a comment). */
  readonly specOverrides: Readonly<Record<string, string>>;
  /** The `fusionLens.defaultInput` setting when the user set it, else null. */
  readonly defaultInput: string | null;
  readonly dimensions: Readonly<Record<string, number>>;
  /** Workspace folders: imports resolve inside them, and files are read only from them. */
  readonly searchRoots: readonly string[];
  /**
   * Further import roots after the workspace (PYTHONPATH, the environment's site-packages, fusionLens.pythonPaths):
   * imports resolve there and `.py` files below them may be read.
   */
  readonly importRoots?: readonly string[];
  /** Unsaved text of open documents by absolute path, preferred over the disk. */
  readonly openTexts: Readonly<Record<string, string>>;
}

export interface EngineAnalysis {
  readonly models: ModelEntry[];
  readonly diagnostics: Diagnostic[];
  readonly blockClasses: string[];
}

/** One parser per file keeps tree-sitter's incremental state between edits of the same document. */
const parsers = new Map<string, PythonParser>();
const MAX_PARSERS = 32;
const MAX_IMPORTED_BYTES = 4 * 1024 * 1024;

function parserFor(file: string): PythonParser {
  let p = parsers.get(file);
  if (!p) {
    if (parsers.size >= MAX_PARSERS) {
      const [oldest, old] = parsers.entries().next().value as [string, PythonParser];
      old.dispose();
      parsers.delete(oldest);
    }
    p = new PythonParser();
    parsers.set(file, p);
  }
  return p;
}

function srcRange(file: string, r: Range): SourceRange {
  return { file, startLine: r.startLine, startCol: r.startCol, endLine: r.endLine, endCol: r.endCol };
}

const SOURCE: Record<ChosenSpec['source'], SpecSource> = {
  comment: 'comment',
  option: 'remembered',
  example: 'example',
  constraint: 'layers',
  default: 'setting',
};

/** Where imports resolve: the workspace folders, then PYTHONPATH, the environment's site-packages and extra paths. */
export function analysisRoots(req: AnalyzeRequest): string[] {
  return [...new Set([...req.searchRoots, ...(req.importRoots ?? [])])];
}

/**
 * Imported files are read only below the import roots (or the document's own folder), only `.py` files, only up
 * to MAX_IMPORTED_BYTES; `isDir` answers for folders below the same roots (namespace packages).
 */
export function fileAccess(req: AnalyzeRequest): { readFile: (path: string) => string | null; isDir: (path: string) => boolean } {
  const roots = [...analysisRoots(req), dirname(req.file)].map((r) => resolve(r) + sep);
  // Symbolic links are followed before the check, so a link inside a folder cannot reach a file outside it.
  const realRoots = roots.map((r) => (existsSync(r) ? realpathSync(r) + sep : r).replace(/[\\/]+$/, sep));
  const inside = (abs: string) => roots.some((r) => abs.startsWith(r));
  const readFile = (path: string): string | null => {
    const abs = resolve(path);
    if (!abs.endsWith('.py') || !inside(abs)) return null;
    if (req.openTexts[abs] !== undefined) return req.openTexts[abs]!;
    try {
      const st = statSync(abs, { throwIfNoEntry: false });
      if (!st || !st.isFile() || st.size > MAX_IMPORTED_BYTES) return null;
      const real = realpathSync(abs);
      if (!realRoots.some((r) => real.startsWith(r))) return null;
      return readFileSync(abs, 'utf8');
    } catch {
      return null;
    }
  };
  const isDir = (path: string): boolean => {
    const abs = resolve(path);
    if (!inside(abs + sep)) return false;
    try {
      return !!statSync(abs, { throwIfNoEntry: false })?.isDirectory() && realRoots.some((r) => (realpathSync(abs) + sep).startsWith(r));
    } catch {
      return false;
    }
  };
  return { readFile, isDir };
}

/** The reader of fileAccess (kept for callers that need only files). */
export function fileReader(req: AnalyzeRequest): (path: string) => string | null {
  return fileAccess(req).readFile;
}

interface Prepared {
  readonly info: Map<string, ModuleClassInfo>;
  readonly overrides: Record<string, InputSpec[]>;
}

/** Class facts of the parsed file and the input specs chosen per class (remembered, else the setting for non-blocks). */
function prepare(req: AnalyzeRequest, module: PyModule): Prepared {
  const info = new Map(moduleClasses(module, req.text.split('\n')).map((c) => [c.name, c]));
  const overrides: Record<string, InputSpec[]> = {};
  const defaultSpecs = req.defaultInput ? parseInputSpecs(req.defaultInput) : null;
  for (const [name, c] of info) {
    const remembered = req.specOverrides[name] !== undefined ? parseInputSpecs(req.specOverrides[name]!) : null;
    const chosen = Array.isArray(remembered) ? remembered : c.isBlock ? null : defaultSpecs;
    if (Array.isArray(chosen)) overrides[name] = chosen;
  }
  return { info, overrides };
}

export function analyzeText(req: AnalyzeRequest): EngineAnalysis {
  const { module } = parserFor(req.file).parse(req.text);
  const prep = prepare(req, module);
  const fa = analyzeSource(
    { text: req.text, file: req.file, ...fileAccess(req), searchRoots: analysisRoots(req), inputOverrides: prep.overrides, symbols: req.dimensions },
    undefined,
    module,
  );
  return engineAnalysis(req, fa, prep);
}

/**
 * The same analysis through an incremental per-document cache (the analysis worker's path). `importsSalt` must
 * change whenever a file the document imports changed; `readFile` defaults to the workspace-only reader.
 */
export function analyzeTextCached(
  req: AnalyzeRequest,
  cache: AnalysisCache,
  uri: string,
  importsSalt: string,
  readFile = fileReader(req),
  fileVersion?: (path: string) => string | null,
): EngineAnalysis {
  let prep: Prepared | undefined;
  const fa = cache.update(
    uri,
    {
      text: req.text,
      file: req.file,
      readFile,
      isDir: fileAccess(req).isDir,
      ...(fileVersion ? { fileVersion } : {}),
      searchRoots: analysisRoots(req),
      symbols: req.dimensions,
      cacheSalt: `imports:${importsSalt}`,
    },
    (module, r) => {
      prep = prepare(req, module);
      return { ...r, inputOverrides: prep.overrides };
    },
  );
  if (!prep) throw new Error('analysis cache skipped its refine step');
  return engineAnalysis(req, fa, prep);
}

/** The extension's view of a file analysis: model entries (blocks hidden), fusion notes, deduplicated diagnostics. */
function engineAnalysis(req: AnalyzeRequest, fa: FileAnalysis, { info, overrides }: Prepared): EngineAnalysis {
  const diagnostics: Diagnostic[] = [...fa.syntaxErrors, ...fa.diagnostics];
  const seen = new Set(diagnostics.map(diagKey));
  const models: ModelEntry[] = [];
  for (const c of fa.classes) {
    const i = info.get(c.name);
    // Blocks (built inside another model of the file) and classes that need constructor arguments are shown through their users.
    if (!c.isModel || !c.buildable || (i?.isBlock && i.commentSpec === null && overrides[c.name] === undefined)) continue;
    for (const d of c.diagnostics) {
      const key = diagKey(d);
      if (!seen.has(key)) {
        seen.add(key);
        diagnostics.push(d);
      }
    }
    const fusion = c.graph ? fusionAnalysis(c.graph) : null;
    const error = c.graph
      ? null
      : c.broken
        ? 'the class does not parse'
        : (c.diagnostics.find((d) => d.severity !== 'info' || d.code === 'no-input-spec')?.message ?? 'not analysed');
    models.push({
      className: c.name,
      nameRange: srcRange(req.file, c.nameRange),
      classRange: srcRange(req.file, c.range),
      inputSpec: c.inputSpec?.text ?? null,
      specSource: c.inputSpec ? SOURCE[c.inputSpec.source] : null,
      commentLine: i?.commentLine ?? null,
      graph: c.graph,
      fusion: fusion?.payload ?? [],
      fusionNotes: fusion?.notes ?? [],
      error,
      stale: c.broken,
    });
  }
  return { models, diagnostics, blockClasses: [...info.values()].filter((c) => c.isBlock).map((c) => c.name) };
}

function diagKey(d: Diagnostic): string {
  return `${d.code}|${d.message}|${d.range?.startLine}:${d.range?.startCol}`;
}
