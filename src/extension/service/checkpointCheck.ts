// Checks a checkpoint against a model of the workspace: missing, unexpected and mis-shaped entries at the declaring
// layer's line, with a quick fix when a constructor argument of the model explains them (found by re-analysing with it).
import type { ModelGraph, SourceRange } from '../../core/graph/modelGraph';
import { analyzeSource } from '../../core/interp/analyzeFile';
import { parseInputSpecs } from '../../core/interp/inputSpec';
import type { ClassDef, Expr, FuncDef, PyModule, Stmt } from '../../core/python/ast';
import { PythonParser } from '../../core/python/pythonParser';
import { describeWeights, readWeightsFile } from '../../core/weights/readWeightsFile';
import { fitOf, issueCount } from './checkpointFit';
import { analysisRoots, fileAccess, type AnalyzeRequest } from './engineAnalyze';

export interface CheckpointFix {
  readonly title: string;
  readonly range: SourceRange;
  readonly text: string;
}

export interface CheckpointIssue {
  readonly kind: 'missing' | 'unexpected' | 'shape';
  readonly message: string;
  readonly range: SourceRange;
  readonly fix?: CheckpointFix;
}

export interface CheckpointCheck {
  /** `model.pth (torch zip checkpoint, state dict 'model', 17 tensors)`. */
  readonly weights: string;
  readonly fits: boolean;
  /** Entries of the model found in the checkpoint with the right shape, and all entries of the model. */
  readonly matched: number;
  readonly total: number;
  readonly issues: readonly CheckpointIssue[];
  readonly warnings: readonly string[];
  /** One line for a notification. */
  readonly summary: string;
}

/** `self.NAME = …` statements of every class of the file, by attribute name. */
function declarations(module: PyModule): Map<string, { cls: string; range: SourceRange }[]> {
  const out = new Map<string, { cls: string; range: SourceRange }[]>();
  const walk = (stmts: readonly Stmt[], cls: string, depth: number): void => {
    if (depth > 40) return;
    for (const s of stmts) {
      const targets: Expr[] = s.k === 'assign' ? [...s.targets] : s.k === 'annassign' ? [s.target] : [];
      for (const t of targets) {
        if (t.k === 'attr' && t.obj.k === 'name' && t.obj.id === 'self') {
          const list = out.get(t.name) ?? [];
          list.push({ cls, range: { file: '', startLine: s.r.startLine, startCol: s.r.startCol, endLine: s.r.startLine, endCol: lineEnd(s) } });
          out.set(t.name, list);
        }
      }
      for (const child of childBlocks(s)) walk(child, cls, depth + 1);
    }
  };
  for (const s of module.body) if (s.k === 'class') for (const m of s.body) if (m.k === 'def') walk(m.body, s.name, 0);
  return out;
}

function lineEnd(s: Stmt): number {
  return s.r.startLine === s.r.endLine ? s.r.endCol : 1000;
}

function childBlocks(s: Stmt): (readonly Stmt[])[] {
  const rec = s as unknown as Record<string, unknown>;
  const out: (readonly Stmt[])[] = [];
  for (const key of ['body', 'orelse', 'finalbody']) if (Array.isArray(rec[key])) out.push(rec[key] as Stmt[]);
  if (Array.isArray(rec.handlers)) for (const h of rec.handlers as { body: Stmt[] }[]) out.push(h.body);
  return out;
}

/** The statement that declares the module owning `param` (`layer1.0.conv1.weight` → `self.conv1 = …`, else `self.layer1 = …`). */
function declaringRange(param: string, decls: ReturnType<typeof declarations>, modelClass: string, fallback: SourceRange): SourceRange {
  const parts = param.split('.');
  const path = parts.slice(0, -1).filter((p) => !/^\d+$/.test(p));
  for (let i = path.length - 1; i >= 0; i--) {
    const found = decls.get(path[i]!) ?? [];
    const own = i === 0 ? found.filter((d) => d.cls === modelClass) : found;
    const pick = own.length === 1 ? own[0] : own.length > 1 && i === 0 ? own[0] : found.length === 1 ? found[0] : undefined;
    if (pick) return { ...pick.range, file: fallback.file };
  }
  // a parameter or buffer of the model itself (`self.scale = nn.Parameter(…)`), else the class name
  const own = (decls.get(parts[parts.length - 1]!) ?? []).filter((d) => d.cls === modelClass);
  return own[0] ? { ...own[0].range, file: fallback.file } : fallback;
}

interface CtorParam {
  readonly name: string;
  readonly value: number | boolean;
  readonly range: SourceRange;
}

/** Integer and boolean defaults of the model class's `__init__` (the arguments a quick fix may change). */
function ctorParams(module: PyModule, className: string, file: string): CtorParam[] {
  const cls = module.body.find((s): s is ClassDef & Stmt => s.k === 'class' && s.name === className) as ClassDef | undefined;
  const init = cls?.body.find((s) => s.k === 'def' && s.name === '__init__') as FuncDef | undefined;
  const out: CtorParam[] = [];
  for (const p of init?.params ?? []) {
    const d = p.default;
    if (p.kind !== 'normal' || !d || (d.k !== 'int' && d.k !== 'bool')) continue;
    out.push({ name: p.name, value: d.value, range: { file, startLine: d.r.startLine, startCol: d.r.startCol, endLine: d.r.endLine, endCol: d.r.endCol } });
  }
  return out;
}

const pyValue = (v: number | boolean): string => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/**
 * Reads the checkpoint, matches it to `graph`, and for what does not fit tries each integer/boolean default of the
 * model's constructor that could explain it (an int equal to a mismatched dimension, a flipped bool) by re-analysing
 * the model with that argument; a change that removes issues without adding any becomes the quick fix.
 */
export function checkCheckpoint(
  req: AnalyzeRequest,
  model: { readonly className: string; readonly graph: ModelGraph; readonly inputSpec: string | null },
  bytes: Uint8Array,
  source: string,
  entry?: string,
): CheckpointCheck {
  const file = readWeightsFile(bytes, source, entry !== undefined ? { entry } : {});
  const graph = model.graph;
  const fit = fitOf(graph.stateDict, file);
  const parser = new PythonParser();
  let module: PyModule;
  try {
    module = parser.parse(req.text).module;
  } finally {
    parser.dispose();
  }
  const classLine: SourceRange = graph.classRange ?? { file: req.file, startLine: 0, startCol: 0, endLine: 0, endCol: 0 };
  const decls = declarations(module);
  const at = (name: string): SourceRange =>
    declaringRange(name, decls, model.className, { ...classLine, file: req.file, endLine: classLine.startLine, endCol: 1000 });

  // Constructor arguments that explain issues: re-analyse with each plausible value.
  const fixes = new Map<string, { param: CtorParam; to: number | boolean; resolves: Set<string> }>();
  if (issueCount(fit) > 0 && /^\w+\(\)$/.test(graph.expr)) {
    const params = ctorParams(module, model.className, req.file);
    const tries: { param: CtorParam; to: number | boolean }[] = [];
    for (const s of fit.shape) {
      s.entry.shape.forEach((d, i) => {
        const to = s.actual[i];
        if (to === undefined || to === d) return;
        for (const p of params) if (p.value === d && !tries.some((t) => t.param === p && t.to === to)) tries.push({ param: p, to });
      });
    }
    if (fit.missing.length || fit.unexpected.length) for (const p of params) if (typeof p.value === 'boolean') tries.push({ param: p, to: !p.value });
    const specs = model.inputSpec ? parseInputSpecs(model.inputSpec) : null;
    for (const t of tries.slice(0, 12)) {
      const expr = `${model.className}(${t.param.name}=${pyValue(t.to)})`;
      const fa = analyzeSource({
        text: req.text,
        file: req.file,
        ...fileAccess(req),
        searchRoots: analysisRoots(req),
        symbols: req.dimensions,
        models: [{ expr, ...(Array.isArray(specs) ? { inputs: specs } : {}), inputKind: graph.inputKind }],
      });
      const g = fa.models[0]?.graph;
      if (!g) continue;
      const after = fitOf(g.stateDict, file);
      const before = new Set([...fit.missing.map((m) => m.name), ...fit.unexpected, ...fit.shape.map((s) => s.entry.name)]);
      const now = new Set([...after.missing.map((m) => m.name), ...after.unexpected, ...after.shape.map((s) => s.entry.name)]);
      if ([...now].some((n) => !before.has(n)) || now.size >= before.size) continue;
      const resolves = new Set([...before].filter((n) => !now.has(n)));
      for (const n of resolves) if (!fixes.has(n)) fixes.set(n, { param: t.param, to: t.to, resolves });
    }
  }
  const fixFor = (name: string): { fix?: CheckpointFix; why: string } => {
    const f = fixes.get(name);
    if (!f) return { why: '' };
    const arg = `${f.param.name}=${pyValue(f.to)}`;
    return {
      why: ` — trained with ${arg}`,
      fix: {
        title: `Change the default ${f.param.name} = ${pyValue(f.param.value)} to ${pyValue(f.to)} (the checkpoint was trained with ${arg})`,
        range: f.param.range,
        text: pyValue(f.to),
      },
    };
  };
  const issues: CheckpointIssue[] = [];
  const dims = (s: readonly number[]) => `[${s.join(', ')}]`;
  for (const s of fit.shape) {
    const { fix, why } = fixFor(s.entry.name);
    issues.push({
      kind: 'shape',
      message: `${s.entry.name}: the checkpoint has ${dims(s.actual)}, the model ${dims(s.entry.shape)}${why}`,
      range: at(s.entry.name),
      ...(fix ? { fix } : {}),
    });
  }
  // missing and unexpected entries: one diagnostic per declaring statement
  const grouped = new Map<string, { range: SourceRange; missing: string[]; unexpected: string[]; fix?: CheckpointFix; why: string }>();
  const add = (name: string, kind: 'missing' | 'unexpected') => {
    const range = at(name);
    const key = `${range.startLine}:${range.startCol}`;
    const g = grouped.get(key) ?? { range, missing: [], unexpected: [], why: '' };
    g[kind].push(name);
    const f = fixFor(name);
    if (f.fix && !g.fix) {
      g.fix = f.fix;
      g.why = f.why;
    }
    grouped.set(key, g);
  };
  for (const m of fit.missing) add(m.name, 'missing');
  for (const u of fit.unexpected) add(u, 'unexpected');
  const list = (names: string[]) => (names.length > 6 ? `${names.slice(0, 6).join(', ')}, … (${names.length})` : names.join(', '));
  for (const g of grouped.values()) {
    if (g.missing.length) {
      issues.push({ kind: 'missing', message: `not in the checkpoint: ${list(g.missing)}${g.why}`, range: g.range, ...(g.fix ? { fix: g.fix } : {}) });
    }
    if (g.unexpected.length) {
      issues.push({
        kind: 'unexpected',
        message: `in the checkpoint but not in the model: ${list(g.unexpected)}${g.missing.length ? '' : g.why}`,
        range: g.range,
        ...(g.fix && !g.missing.length ? { fix: g.fix } : {}),
      });
    }
  }
  const total = graph.stateDict.length;
  const fits = issueCount(fit) === 0;
  const weights = describeWeights(file, source);
  const summary = fits
    ? `${weights} fits ${model.className}: all ${total} parameters and buffers match`
    : `${weights} does not fit ${model.className}: ${fit.matched} of ${total} match; ${fit.missing.length} missing, ${fit.unexpected.length} unexpected, ${fit.shape.length} with another shape`;
  return { weights, fits, matched: fit.matched, total, issues, warnings: file.format === 'safetensors' ? [] : file.warnings, summary };
}
