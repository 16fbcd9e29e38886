// File analysis API for the extension and the CLI: every nn.Module class of a file (or explicit model expressions), analysed.
//
// API (after `await initPythonParser(...)` from src/core/python/pythonParser):
//   analyzeSource(req: AnalyzeRequest, parser?: PythonParser, parsed?: PyModule, memo?: ClassMemo): FileAnalysis
//     (pass `parsed` when the document is already parsed; `memo` lets a cache reuse per-class results)
//     req.text / req.file           the document and its path (used for imports and ranges)
//     req.readFile(path)            other files of the workspace (open documents first); null when absent
//     req.searchRoots               folders where absolute imports may resolve (workspace folders)
//     req.models                    explicit models [{ expr: 'UNet(base=4)', inputs?, inputKind? }] (CLI --model);
//                                   without it, every nn.Module class of the file is analysed
//     req.inputOverrides[class]     input specs from the user's setting / last choice (second in precedence)
//     req.symbols                   values of symbolic dims used in specs ({ B: 4, H: 256, W: 256 })
//     req.budget                    { maxSteps, timeMs } per model run (defaults 2e6 steps, 2000 ms), imports excluded
//     req.importBudget              { maxSteps, timeMs } of the imports of one analysis (DEFAULT_IMPORT_BUDGET); a module
//                                   it cuts gets a warning where the import starts and is imported again next time
//     req.onlyClasses               analyse only these classes (the others are listed without a graph)
//   FileAnalysis: { classes: ClassAnalysis[], models: ModelAnalysis[], syntaxErrors, diagnostics }
//   ClassAnalysis: { name, range, isModel, buildable, broken, expr, inputSpec, graph, diagnostics, stale }
//     inputSpec.source is 'comment' | 'option' | 'example' | 'constraint' (guessed from the entry layers);
//     inputSpec.note states what the layers require (e.g. "Linear(in_features=262144) only admits 256×256
//     inputs"), also given as an `input-constraint` info diagnostic. Errors under a guessed input are warnings.
//   Never throws for bad Python: budgets, unsupported constructs and analysis defects become diagnostics.
//   See analysisCache.ts for the incremental, per-document cache and the position queries used by hovers.
import '../ops/index';
import type { ClassDef, FuncDef, PyModule, Range, Stmt } from '../python/ast';
import { PythonParser } from '../python/pythonParser';
import type { Diagnostic, ModelGraph } from '../graph/modelGraph';
import type { Shape } from '../shape/shape';
import { exprEval, exprFormat, exprSymbols } from '../shape/expr';
import type { SizeConstraint } from './facts';
import { BudgetExceeded, isStackExhausted, TOO_DEEP, type InterpOptions, type Interpreter } from './interpreter';
import { asObject, instanceOf, type Instance, type ModuleScope } from './objects';
import { buildModel, forwardModel, loadFile, moduleClasses, type ModelInput } from './runModel';
import { formatInputSpec, parseInputSpecs, specShape, type InputKind, type InputSpec, type SpecSource } from './inputSpec';
import { exampleSpecs } from './exampleSpecs';
import { namedModules } from './moduleRuntime';
import { worldFor } from './moduleWorld';

export interface ModelRequest {
  readonly expr: string;
  readonly inputs?: readonly InputSpec[];
  readonly inputKind?: InputKind;
}

export interface AnalyzeRequest {
  readonly text: string;
  readonly file: string;
  readonly readFile?: (path: string) => string | null;
  /** Whether a folder exists (namespace packages: folders without __init__.py); without it they do not resolve. */
  readonly isDir?: (path: string) => boolean;
  readonly searchRoots?: readonly string[];
  readonly models?: readonly ModelRequest[];
  readonly inputOverrides?: Readonly<Record<string, readonly InputSpec[]>>;
  readonly symbols?: Readonly<Record<string, number>>;
  readonly budget?: { readonly maxSteps?: number; readonly timeMs?: number };
  readonly importBudget?: { readonly maxSteps: number; readonly timeMs: number };
  /** Analyse only these classes (others are listed without a graph). */
  readonly onlyClasses?: readonly string[];
  /**
   * Imported modules are kept between analyses (moduleWorld.ts) and run again only when their file's version
   * changes: this tells the version cheaply (mtime and size); without it the text is compared.
   */
  readonly fileVersion?: (path: string) => string | null;
  /** false: a fresh interpreter that keeps nothing (every import parsed and run again). */
  readonly reuseModules?: boolean;
}

export interface ChosenSpec {
  readonly specs: readonly InputSpec[];
  readonly source: SpecSource;
  readonly text: string;
  readonly symbols: Readonly<Record<string, number>>;
  /** A constraint the layers put on the input size, stated in words. */
  readonly note?: string;
}

export interface ModelAnalysis {
  readonly expr: string;
  readonly className: string | null;
  readonly inputSpec: ChosenSpec | null;
  readonly graph: ModelGraph | null;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ClassAnalysis extends ModelAnalysis {
  readonly name: string;
  readonly range: Range;
  readonly nameRange: Range;
  readonly isModel: boolean;
  readonly buildable: boolean;
  /** A syntax error lies inside the class (the editor keeps its last good analysis, marked stale). */
  readonly broken: boolean;
  /** True when this result is an older analysis kept while the class does not parse. */
  readonly stale: boolean;
}

export interface FileAnalysis {
  readonly file: string;
  readonly classes: readonly ClassAnalysis[];
  readonly models: readonly ModelAnalysis[];
  readonly syntaxErrors: readonly Diagnostic[];
  /** Diagnostics of the module level (imports, top-level code). */
  readonly diagnostics: readonly Diagnostic[];
}

// ---------------------------------------------------------------- parsing of imported files

/** Parsed imported files by path (kept while their text is the same); bounded by the total size of their text. */
const parseCache = new Map<string, { text: string; mod: PyModule }>();
let parseCacheChars = 0;
const PARSE_CACHE_CHARS = 64 * 1024 * 1024;

function parseOther(text: string, file: string): PyModule {
  const hit = parseCache.get(file);
  if (hit && hit.text === text) return hit.mod;
  const p = new PythonParser();
  try {
    const mod = p.parse(text).module;
    if (hit) parseCacheChars -= hit.text.length;
    parseCache.delete(file);
    // The oldest entries go first when the cache is full (an installed library has a few hundred files).
    for (const [k, v] of parseCache) {
      if (parseCacheChars + text.length <= PARSE_CACHE_CHARS) break;
      parseCache.delete(k);
      parseCacheChars -= v.text.length;
    }
    parseCache.set(file, { text, mod });
    parseCacheChars += text.length;
    return mod;
  } finally {
    p.dispose();
  }
}

// ---------------------------------------------------------------- analysis

export class FileAnalyzer {
  private readonly lines: string[];
  private examples: Map<string, InputSpec[]> | null = null;
  private loads = 0;
  /** Some import of this analysis was cut by the import budget: its results must not be reused (ClassMemo). */
  importsCut = false;

  constructor(
    readonly req: AnalyzeRequest,
    readonly mod: PyModule,
  ) {
    this.lines = req.text.split('\n');
  }

  options(): InterpOptions {
    const b = this.req.budget ?? {};
    return {
      file: this.req.file,
      maxSteps: b.maxSteps ?? 2_000_000,
      deadline: performance.now() + (b.timeMs ?? 2000),
      ...(this.req.importBudget ? { importBudget: this.req.importBudget } : {}),
      readFile: this.req.readFile,
      isDir: this.req.isDir,
      parse: (text, file) => (file === this.req.file && text === this.req.text ? this.mod : parseOther(text, file)),
      searchRoots: this.req.searchRoots ?? [],
    };
  }

  load(): { ip: Interpreter; scope: ModuleScope } {
    const opts = this.options();
    if (this.req.reuseModules === false) {
      const fresh = loadFile(opts, this.mod, moduleNameOf(this.req.file));
      if (fresh.ip.incompleteModules.size > 0) this.importsCut = true;
      return fresh;
    }
    const world = worldFor(opts);
    // Modules cut by the import budget are retried once per analysis of the file, not once per class.
    const ip = world.interpreter(opts, this.req.fileVersion, this.loads++ === 0);
    const scope = ip.runModule(this.mod, opts.file, moduleNameOf(this.req.file));
    world.settle(this.req.fileVersion ?? ((p) => this.req.readFile?.(p) ?? null));
    if (ip.incompleteModules.size > 0) this.importsCut = true;
    return { ip, scope };
  }

  /** Lets go of what the analysis left in the kept interpreter (moduleWorld.ts), once its results are built. */
  release(): void {
    if (this.req.reuseModules !== false) worldFor(this.options()).release();
  }

  exampleSpecs(scope: ModuleScope): Map<string, InputSpec[]> {
    if (!this.examples) this.examples = exampleSpecs(this.mod.body, scope.globals);
    return this.examples;
  }

  /** `# fusion-lens: input=SPEC, …` on the line above the class (or its decorators). */
  commentSpec(cls: ClassDef): InputSpec[] | string | null {
    const above = this.lines[cls.r.startLine - 1];
    if (above === undefined) return null;
    const m = /#\s*fusion-lens:\s*input\s*=\s*(.+?)\s*$/.exec(above);
    return m ? parseInputSpecs(m[1]) : null;
  }

  analyzeClass(cls: ClassDef, scope: ModuleScope): ClassAnalysis {
    const base = { name: cls.name, range: cls.r, nameRange: cls.nameRange, broken: cls.broken, stale: false, className: cls.name };
    const value = scope.globals.get(cls.name);
    const o = value ? asObject(value) : null;
    const isModel = !!o && o.t === 'class' && o.cls.t === 'user' && o.cls.cls.mro.some((c) => c.t === 'torch');
    if (!isModel || !o || o.t !== 'class' || o.cls.t !== 'user') {
      return { ...base, isModel: false, buildable: false, expr: null as unknown as string, inputSpec: null, graph: null, diagnostics: [] };
    }
    const init = findInit(o.cls.cls.mro);
    const buildable = init === null || init.params.slice(1).every((p) => p.default !== null || p.kind !== 'normal');
    const expr = `${cls.name}()`;
    if (!buildable || (this.req.onlyClasses && !this.req.onlyClasses.includes(cls.name))) {
      const diags: Diagnostic[] = buildable
        ? []
        : [
            {
              severity: 'info',
              code: 'needs-args',
              message: `${cls.name} needs constructor arguments; give a model expression to analyse it`,
              range: toRange(this.req.file, cls.nameRange),
            },
          ];
      return { ...base, isModel, buildable, expr, inputSpec: null, graph: null, diagnostics: diags };
    }
    const r = this.analyzeModel({ expr }, cls);
    return { ...base, ...r, isModel, buildable };
  }

  /** Builds and runs one model: chooses its input spec (first match wins) and runs forward on it. */
  analyzeModel(m: ModelRequest, clsHint: ClassDef | null): ModelAnalysis {
    const { ip, scope } = this.load();
    const root = buildModel(ip, scope, m.expr);
    if (!root) return { expr: m.expr, className: clsHint?.name ?? null, inputSpec: null, graph: null, diagnostics: ip.rec.diagnostics };
    const cls = clsHint ?? this.classDefOf(root);
    const fwd = forwardParams(root);
    const spec = this.chooseSpec(m, cls, root, fwd, scope);
    const extra: Diagnostic[] = [];
    if (typeof spec === 'string') {
      extra.push({ severity: 'error', code: 'input-spec', message: spec, range: cls ? toRange(this.req.file, cls.nameRange) : null });
      return { expr: m.expr, className: root.typeName, inputSpec: null, graph: null, diagnostics: [...extra, ...ip.rec.diagnostics] };
    }
    if (!spec) {
      extra.push({
        severity: 'info',
        code: 'no-input-spec',
        message: `no input shape for ${root.typeName}: add '# fusion-lens: input=SPEC' above the class or pass --input`,
        range: cls ? toRange(this.req.file, cls.nameRange) : null,
      });
      return { expr: m.expr, className: root.typeName, inputSpec: null, graph: null, diagnostics: [...extra, ...ip.rec.diagnostics] };
    }
    let run = forwardModel(ip, root, { expr: m.expr, inputs: specInputs(spec, fwd), inputKind: m.inputKind ?? 'args', classRange: cls?.r ?? null });
    let chosen: ChosenSpec = spec;
    const solved = solveSizes(ip.facts.constraints, spec);
    if (solved) {
      chosen = { ...spec, note: solved.note };
      extra.push({ severity: 'info', code: 'input-constraint', message: solved.note, range: toRange(this.req.file, solved.range ?? cls?.nameRange ?? ZERO) });
      // A spec guessed from the first layer is re-run with the sizes the Linear layers admit.
      if (spec.source === 'constraint' && solved.symbols.some(([k, v]) => spec.symbols[k] !== v)) {
        chosen = { ...chosen, symbols: { ...spec.symbols, ...Object.fromEntries(solved.symbols) } };
        const again = this.load();
        const root2 = buildModel(again.ip, again.scope, m.expr);
        if (root2)
          run = forwardModel(again.ip, root2, { expr: m.expr, inputs: specInputs(chosen, fwd), inputKind: m.inputKind ?? 'args', classRange: cls?.r ?? null });
      }
    }
    // With an input guessed from the first layer, a shape error may be the guess's fault, not the code's.
    const guessed = chosen.source === 'constraint' && !solved;
    const own = run.graph
      ? run.graph.diagnostics.map((d) =>
          guessed && d.severity === 'error'
            ? {
                ...d,
                severity: 'warning' as const,
                message: `${d.message} (with the guessed input ${chosen.text}; set the input with '# fusion-lens: input=SPEC' above the class)`,
              }
            : d,
        )
      : [];
    const graph = run.graph ? { ...run.graph, diagnostics: [...extra, ...own] } : null;
    return { expr: m.expr, className: root.typeName, inputSpec: chosen, graph, diagnostics: graph ? graph.diagnostics : [...extra, ...run.diagnostics] };
  }

  private classDefOf(root: Instance): ClassDef | null {
    if (root.cls.t !== 'user') return null;
    const def = root.cls.cls.def;
    return def && root.cls.cls.scope.file === this.req.file ? def : null;
  }

  private chooseSpec(m: ModelRequest, cls: ClassDef | null, root: Instance, fwd: string[], scope: ModuleScope): ChosenSpec | string | null {
    const symbols = this.req.symbols ?? {};
    const make = (specs: readonly InputSpec[], source: SpecSource): ChosenSpec => ({ specs, source, text: specs.map(formatInputSpec).join(', '), symbols });
    if (m.inputs && m.inputs.length) return make(m.inputs, 'option');
    if (cls) {
      const c = this.commentSpec(cls);
      if (typeof c === 'string') return c;
      if (c && c.length) return make(c, 'comment');
      const o = this.req.inputOverrides?.[cls.name];
      if (o && o.length) return make(o, 'option');
    }
    const ex = this.exampleSpecs(scope).get(root.typeName);
    if (ex) return make(ex, 'example');
    return this.constraintSpec(root, fwd.length);
  }

  /** The input the first layer implies (`Bx3xHxW`); spatial sizes start at a default and are solved after the run. */
  private constraintSpec(root: Instance, inputs: number): ChosenSpec | null {
    const specs = entryLayers(root, inputs);
    if (!specs) return null;
    const symbols: Record<string, number> = { ...(this.req.symbols ?? {}) };
    if (symbols.B === undefined) symbols.B = 1;
    for (const spec of specs) {
      const spatial = spec.dims.filter((d): d is string => typeof d === 'string' && d !== 'B' && d !== 'T');
      const size = spatial.length === 1 ? 256 : spatial.length === 3 ? 32 : 224;
      for (const d of spatial) if (symbols[d] === undefined) symbols[d] = size;
    }
    return { specs, source: 'constraint', text: specs.map(formatInputSpec).join(', '), symbols };
  }
}

const ZERO: Range = { startLine: 0, startCol: 0, endLine: 0, endCol: 0 };

/**
 * Solves the Linear constraints recorded during a run (feature size as an expression of the input's symbolic
 * dims = in_features) for one common spatial size; states the result in words.
 */
export function solveSizes(all: readonly SizeConstraint[], spec: ChosenSpec): { note: string; symbols: [string, number][]; range: Range | null } | null {
  const cons = all.filter((c) => c.equals !== undefined);
  const splits = all.filter((c) => c.divisibleBy !== undefined);
  if (!cons.length) return splits.length ? solveSplits(splits, spec) : null;
  const names = [...new Set(cons.flatMap((c) => exprSymbols(c.expr)))];
  const spatial = names.filter((n) => n !== 'B');
  if (!spatial.length) return null;
  const fixed = new Map<string, number>();
  for (const n of names) if (n === 'B') fixed.set(n, spec.symbols.B ?? 1);
  const fits: number[] = [];
  for (let s = 1; s <= 4096; s++) {
    const env = new Map(fixed);
    for (const n of spatial) env.set(n, s);
    if (cons.every((c) => exprEval(c.expr, env) === c.equals) && splits.every((c) => fitsSplit(c, env))) fits.push(s);
  }
  const c = cons[0];
  const label = spatial.length === 2 ? `${spatial.join('×')}` : spatial.join(', ');
  if (!fits.length) {
    return { note: `Linear(in_features=${c.equals}) admits no input with equal ${label}`, symbols: [], range: c.range };
  }
  // Prefer the size the strided layers divide exactly (a multiple of the largest power of two).
  const best = [...fits].sort((a, b) => twoAdic(b) - twoAdic(a) || a - b)[0];
  const sizeText = spatial.map(() => String(best)).join('×');
  const others = fits.length > 1 ? ` (sizes ${fits[0]}–${fits[fits.length - 1]} give the same flattened size)` : '';
  return { note: `Linear(in_features=${c.equals}) only admits ${sizeText} inputs${others}`, symbols: spatial.map((n) => [n, best]), range: c.range };
}

const fitsSplit = (c: SizeConstraint, env: ReadonlyMap<string, number>): boolean => {
  const v = exprEval(c.expr, env);
  return v !== null && v > 0 && v % c.divisibleBy! === 0;
};

/**
 * Only einops splits constrain the input (`(h p1)` with p1=8 over H/4): nothing to say when the spec's sizes fit;
 * else the common spatial size nearest above the spec's that fits every split.
 */
function solveSplits(splits: readonly SizeConstraint[], spec: ChosenSpec): { note: string; symbols: [string, number][]; range: Range | null } | null {
  const names = [...new Set(splits.flatMap((c) => exprSymbols(c.expr)))];
  const spatial = names.filter((n) => n !== 'B');
  if (!spatial.length) return null;
  const env = new Map(names.map((n): [string, number] => [n, spec.symbols[n] ?? (n === 'B' ? 1 : 224)]));
  if (splits.every((c) => fitsSplit(c, env))) return null;
  const c = splits.find((x) => !fitsSplit(x, env))!;
  const start = Math.max(...spatial.map((n) => env.get(n)!));
  for (let s = start; s <= 4096; s++) {
    const e = new Map(env);
    for (const n of spatial) e.set(n, s);
    if (splits.every((x) => fitsSplit(x, e))) {
      const label = spatial.length === 2 ? spatial.join('×') : spatial.join(', ');
      return {
        note: `an einops pattern splits ${exprFormat(c.expr)} into chunks of ${c.divisibleBy}: ${label} = ${s} fits`,
        symbols: spatial.map((n) => [n, s]),
        range: c.range,
      };
    }
  }
  return {
    note: `an einops pattern splits ${exprFormat(c.expr)} into chunks of ${c.divisibleBy}, which no input size up to 4096 fits`,
    symbols: [],
    range: c.range,
  };
}

function twoAdic(n: number): number {
  let k = 0;
  while (n % 2 === 0 && n > 0) {
    n /= 2;
    k++;
  }
  return k;
}

function findInit(mro: readonly import('./objects').ClassRef[]): FuncDef | null {
  for (const c of mro) {
    if (c.t !== 'user') return null;
    const init = c.cls.ns.get('__init__');
    const o = init ? asObject(init) : null;
    if (o && o.t === 'func' && 'stmts' in o.fn.body) return { params: o.fn.params } as FuncDef;
  }
  return null;
}

/** Names of forward's tensor parameters (after self). */
function forwardParams(root: Instance): string[] {
  if (root.cls.t === 'user') {
    for (const c of root.cls.cls.mro) {
      if (c.t !== 'user') break;
      const f = c.cls.ns.get('forward');
      const o = f ? asObject(f) : null;
      if (o && o.t === 'func')
        return o.fn.params
          .slice(1)
          .filter((p) => p.kind === 'normal' && !p.default)
          .map((p) => p.name);
    }
  }
  return ['input'];
}

/** The input spec the first parameterised layer implies (`Bx3xHxW` for a Conv2d with 3 input channels). */
/** The input a parameterised layer implies (`Bx3xHxW` for a Conv2d with 3 input channels) and its kind. */
function layerInput(m: Instance): { kind: string; spec: InputSpec } | null {
  const e = m.leafAttrs ? m.leaf?.impliedInput?.(m.leafAttrs) : null;
  return e ? { kind: e.kind, spec: { name: null, dims: [...e.dims], dtype: e.dtype } } : null;
}

/**
 * Inputs implied by the model's entry layers: the first parameterised layer in registration order, and
 * for a forward with several inputs, the first layer of each further kind (an image encoder's conv,
 * then a text encoder's embedding).
 */
function entryLayers(root: Instance, n: number): InputSpec[] | null {
  if (n < 1) return null;
  const out: InputSpec[] = [];
  const kinds = new Set<string>();
  for (const [, m] of namedModules(root)) {
    const e = layerInput(m);
    if (!e || kinds.has(e.kind)) continue;
    kinds.add(e.kind);
    out.push(e.spec);
    if (out.length === n) return out;
  }
  return null;
}

/** Concrete model inputs for a chosen spec, named after forward's parameters. */
export function specInputs(spec: ChosenSpec, fwd: readonly string[]): ModelInput[] {
  const single = spec.specs.length === 1;
  return spec.specs.map((s, i) => {
    const symbols = { ...spec.symbols };
    if (s.dims.includes('T') && symbols.T === undefined) symbols.T = 16;
    const shape: Shape = specShape(s, symbols, single);
    return { name: s.name ?? fwd[i] ?? `input${i}`, shape, dtype: s.dtype };
  });
}

function moduleNameOf(file: string): string {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? file;
  return base.replace(/\.py$/, '');
}

export function toRange(file: string, r: Range) {
  return { file, startLine: r.startLine, startCol: r.startCol, endLine: r.endLine, endCol: r.endCol };
}

function syntaxDiagnostics(file: string, mod: PyModule): Diagnostic[] {
  return mod.syntaxErrors.map((e) => ({ severity: 'error' as const, code: 'syntax', message: e.message, range: toRange(file, e.range) }));
}

/** Analyses one document (see the API summary at the top of this file). */
export interface ClassMemo {
  get(def: ClassDef): ClassAnalysis | undefined;
  set(def: ClassDef, value: ClassAnalysis): void;
}

export function analyzeSource(req: AnalyzeRequest, parser?: PythonParser, parsed?: PyModule, memo?: ClassMemo): FileAnalysis {
  let mod = parsed;
  if (!mod) {
    const p = parser ?? new PythonParser();
    try {
      mod = p.parse(req.text).module;
    } finally {
      if (!parser) p.dispose();
    }
  }
  const fa = new FileAnalyzer(req, mod);
  try {
    const { ip, scope } = fa.load();
    const moduleDiags = [...ip.rec.diagnostics];
    const models = (req.models ?? []).map((m) => safeAnalyzeModel(fa, m));
    const classes: ClassAnalysis[] = [];
    if (!req.models) {
      const defs = topLevelClasses(mod.body);
      const known = moduleClasses(scope);
      for (const def of defs) {
        if (!known.has(def.name) && !scope.globals.has(def.name)) continue;
        const r = memo?.get(def) ?? safeAnalyzeClass(fa, def, scope);
        // A result computed on imports the budget cut is not reused: the next analysis imports them again.
        if (!fa.importsCut) memo?.set(def, r);
        classes.push(r);
      }
    }
    return { file: req.file, classes, models, syntaxErrors: syntaxDiagnostics(req.file, mod), diagnostics: moduleDiags };
  } finally {
    fa.release();
  }
}

/** Budget overruns and defects of the analysis become diagnostics of the class, never exceptions. */
function failure(e: unknown, file: string, r: Range | null): Diagnostic {
  if (isStackExhausted(e)) return { severity: 'warning', code: 'too-deep', message: TOO_DEEP, range: r ? toRange(file, r) : null };
  const budget = e instanceof BudgetExceeded;
  return {
    severity: budget ? 'warning' : 'error',
    code: budget ? 'budget' : 'internal',
    message: `${budget ? '' : 'analysis error: '}${e instanceof Error ? e.message : String(e)}`,
    range: r ? toRange(file, r) : null,
  };
}

function safeAnalyzeClass(fa: FileAnalyzer, def: ClassDef, scope: ModuleScope): ClassAnalysis {
  try {
    return fa.analyzeClass(def, scope);
  } catch (e) {
    const d = failure(e, fa.req.file, def.nameRange);
    return {
      name: def.name,
      range: def.r,
      nameRange: def.nameRange,
      broken: def.broken,
      stale: false,
      className: def.name,
      isModel: true,
      buildable: true,
      expr: `${def.name}()`,
      inputSpec: null,
      graph: null,
      diagnostics: [d],
    };
  }
}

function safeAnalyzeModel(fa: FileAnalyzer, m: ModelRequest): ModelAnalysis {
  try {
    return fa.analyzeModel(m, null);
  } catch (e) {
    return { expr: m.expr, className: null, inputSpec: null, graph: null, diagnostics: [failure(e, fa.req.file, null)] };
  }
}

export function topLevelClasses(body: readonly Stmt[]): ClassDef[] {
  const out: ClassDef[] = [];
  for (const s of body) {
    if (s.k === 'class') out.push(s);
    else if (s.k === 'if' || s.k === 'try') {
      for (const inner of s.k === 'if' ? [...s.body, ...s.orelse] : s.body) if (inner.k === 'class') out.push(inner);
    }
  }
  return out;
}

export { instanceOf };
