// The abstract interpreter: executes the Python subset on symbolic values, building module trees and recording forward passes.
// It holds the run's state (budget, call site, executing file and frame); statements, expressions, calls, ops, attributes
// and operators live in their own files as functions of the Evaluator interface this class implements.
import type { Arg, ClassDef, Expr, FuncDef, Param, PyModule, Range, Stmt } from '../python/ast';
import type { NodeRole, Severity } from '../graph/modelGraph';
import { dim } from '../shape/dim';
import type { DType, Shape } from '../shape/shape';
import type { BoundArgs, FunctionOpDef, InferContext, ParamSpec } from '../ops/types';
import { NONE, type PyValue } from '../ops/values';
import { Frame } from './frame';
import { LineTracer } from './lineTracer';
import { unknown, type CallSite, type ClassRef, type FrameLike, type ModuleScope, type Tensor, type UserFunction } from './objects';
import { pyStr } from './pyOps';
import { Recorder } from './recorder';
import { makeBuiltins } from './builtins';
import { addStdlibMethods } from './stdlibMethods';
import { Facts } from './facts';
import { BudgetExceeded, PyRaise, TOO_DEEP, isStackExhausted } from './errors';
import { DEFAULT_IMPORT_BUDGET, wallClockBudgets, type DiagExtra, type Evaluator, type InterpOptions, type Signal } from './evaluator';
import * as statements from './statements';
import * as definitions from './definitions';
import * as expressions from './expressions';
import * as calls from './calls';
import * as opCalls from './opCalls';
import * as attributes from './attributes';
import * as operators from './operators';

export { BudgetExceeded, PyRaise, TOO_DEEP, isStackExhausted } from './errors';
export type { InterpOptions } from './evaluator';

/** The analysis' own budget (Infinity for time when wall-clock budgets are off). */
function analysisLimit(opts: InterpOptions): { maxSteps: number; deadline: number } {
  return { maxSteps: opts.maxSteps, deadline: wallClockBudgets() ? opts.deadline : Infinity };
}

/** The parse of an interpreter between analyses (nothing runs then). */
function endedParse(): never {
  throw new Error('no analysis is running in this interpreter');
}

export class Interpreter implements Evaluator {
  rec: Recorder;
  tracer: LineTracer;
  readonly builtins: Map<string, PyValue>;
  readonly modulesByFile = new Map<string, ModuleScope>();
  readonly facts = new Facts();
  private steps = 0;
  /** The budget `tick` checks: the analysis' own (opts), or the imports' while an imported file's top level runs. */
  private limit: { maxSteps: number; deadline: number };
  /** Steps and milliseconds the imports of this analysis have used (their budget is opts.importBudget). */
  private importUsed = { steps: 0, ms: 0 };
  /** > 0 while an imported file's top level runs (the outermost one switches to the import budget). */
  private importing = 0;
  /** Names of imported modules whose top level the import budget cut, not yet reported. */
  private importsCut: string[] = [];
  /** The top-level statement of the analysed file that is running (where a cut import is reported). */
  private topStatement: Range | null = null;
  /** Imported files whose top level did not run to its end (budget): they must not be reused (moduleWorld.ts). */
  readonly incompleteModules = new Set<string>();
  private depth = 0;
  /** The innermost call expression being evaluated, for diagnostics of ops. */
  site: CallSite = { range: null };
  currentFile: string;
  /** > 0 while the top level of an imported file runs. */
  private quiet = 0;
  /** The innermost executing user-function frame (in-place ops rebind its aliases). */
  frame: Frame | null = null;
  private ctx: InferContext | null = null;

  constructor(public opts: InterpOptions) {
    this.limit = analysisLimit(opts);
    this.rec = new Recorder(opts.file);
    this.tracer = new LineTracer(this.rec);
    this.builtins = makeBuiltins(this);
    addStdlibMethods(this, this.builtins);
    this.currentFile = opts.file;
  }

  /**
   * Starts another analysis in this interpreter (moduleWorld.ts): modules it loaded stay, the run's state is fresh.
   * Ids count from 0 again; tensors made at an imported module's top level have ids of their own (Recorder).
   */
  beginAnalysis(opts: InterpOptions): void {
    this.opts = opts;
    this.limit = analysisLimit(opts);
    this.importUsed = { steps: 0, ms: 0 };
    this.importing = 0;
    this.importsCut = [];
    this.topStatement = null;
    this.rec = new Recorder(opts.file, this.rec.library);
    this.tracer = new LineTracer(this.rec);
    this.facts.nextAnalysis();
    this.steps = 0;
    this.depth = 0;
    this.quiet = 0;
    this.tryHandlers.length = 0;
    this.ctx = null;
    this.site = { range: null };
    this.currentFile = opts.file;
    this.frame = null;
  }

  /**
   * Ends an analysis (moduleWorld.ts): what belongs to it (recorder, facts, the analysed file's module and the options
   * that hold its parse) is let go, so it becomes garbage with the caller's results instead of staying reachable from
   * this long-lived interpreter into the next analysis (where the young-generation GC would copy and promote it).
   */
  endAnalysis(): void {
    const { file, searchRoots } = this.opts;
    this.modulesByFile.delete(file);
    this.rec = new Recorder(file, this.rec.library);
    this.tracer = new LineTracer(this.rec);
    this.facts.nextAnalysis();
    this.opts = { file, searchRoots, maxSteps: 0, deadline: 0, parse: endedParse };
    this.ctx = null;
    this.site = { range: null };
    this.frame = null;
  }

  // ---------------------------------------------------------------- budget and diagnostics

  tick(): void {
    // While an imported file's top level runs (import timm registers ~1,300 models), `limit` is the import budget
    // (runModule): the analysis' own steps and time are for the analysed code; a library is run once and kept.
    this.steps++;
    if (this.steps > this.limit.maxSteps) throw new BudgetExceeded(`step budget of ${this.limit.maxSteps} exceeded`);
    if ((this.steps & 255) === 0 && performance.now() > this.limit.deadline) throw new BudgetExceeded('time budget exceeded');
  }

  diag(severity: Severity, code: string, message: string, range: Range | null, extra: DiagExtra = {}, file = this.currentFile): void {
    // The top level of imported files is not the user's concern: what it fails to define shows up where it is used.
    if (this.quiet > 0 && severity !== 'error') return;
    if (severity === 'info' && file !== this.opts.file) return;
    this.rec.diag({ severity, code, message, range: this.rec.range(range, file), ...extra });
  }

  readonly tryHandlers: ((excType: string) => boolean)[] = [];

  callArgError(message: string, range: Range | null): void {
    if (this.tryHandlers.some((catches) => catches('TypeError'))) throw new PyRaise(message, range, this.currentFile, 'TypeError');
    this.diag('error', 'call-args', message, range);
  }

  unsupported(what: string, range: Range | null): PyValue {
    this.diag('warning', 'unsupported', `unsupported construct: ${what}`, range);
    return unknown(`unsupported ${what}`);
  }

  // ---------------------------------------------------------------- modules (files)

  /** Executes a parsed file's top level as module `name`. */
  runModule(mod: PyModule, file: string, name: string, scope: ModuleScope = { file, name, globals: new Map() }): ModuleScope {
    const imported = file !== this.opts.file;
    if (!imported || this.importing > 0) return this.runModuleBody(mod, file, name, scope, imported);
    // The outermost import of a file runs under the import budget; the time it takes is not the analysis'.
    const budget = this.opts.importBudget ?? DEFAULT_IMPORT_BUDGET;
    const saved = { steps: this.steps, limit: this.limit, t0: performance.now(), site: this.topStatement ?? this.site.range, from: this.currentFile };
    this.steps = 0;
    this.limit = {
      maxSteps: Math.max(0, budget.maxSteps - this.importUsed.steps),
      deadline: wallClockBudgets() ? saved.t0 + Math.max(0, budget.timeMs - this.importUsed.ms) : Infinity,
    };
    this.importing++;
    try {
      return this.runModuleBody(mod, file, name, scope, imported);
    } finally {
      this.importing--;
      const ms = performance.now() - saved.t0;
      this.importUsed = { steps: this.importUsed.steps + this.steps, ms: this.importUsed.ms + ms };
      this.steps = saved.steps;
      this.limit = { maxSteps: saved.limit.maxSteps, deadline: saved.limit.deadline + ms };
      if (this.importsCut.length > 0) {
        const cut = [...new Set(this.importsCut)];
        this.importsCut = [];
        this.diag(
          'warning',
          'budget',
          `importing ${name} stopped: the import budget (${budget.timeMs / 1000} s, ${budget.maxSteps.toLocaleString('en-US')} steps) ran out in ${cut.slice(0, 3).join(', ')}${cut.length > 3 ? ', …' : ''}; names it defines may be missing (it is read again at the next analysis)`,
          saved.site,
          {},
          saved.from,
        );
      }
    }
  }

  private runModuleBody(mod: PyModule, file: string, name: string, scope: ModuleScope, imported: boolean): ModuleScope {
    scope.globals.set('__name__', pyStr(name));
    scope.globals.set('__file__', pyStr(file));
    this.modulesByFile.set(file, scope);
    const frame = new Frame(null, scope, '<module>', '<module>', null, false, null);
    const prevFile = this.currentFile;
    const prevFrame = this.frame;
    this.currentFile = file;
    this.frame = null;
    if (imported) {
      this.quiet++;
      this.rec.libraryLevel++;
    }
    try {
      for (const s of mod.body) {
        if (!imported) this.topStatement = s.r;
        try {
          const sig = this.execStmt(s, frame);
          if (sig) break;
        } catch (e) {
          if (e instanceof PyRaise) {
            this.diag('warning', 'raise', `module-level code raised ${e.excType}: ${e.message}`, e.range, {}, e.file);
            continue;
          }
          if (e instanceof BudgetExceeded) {
            if (imported) {
              // Not kept for later analyses (moduleWorld.ts), and reported where the import started.
              this.incompleteModules.add(file);
              this.importsCut.push(name);
            } else this.diag('warning', 'budget', `module-level code of ${name}: ${e.message}; the rest of the file's top level was skipped`, s.r, {}, file);
            break;
          }
          // A defect of the analysis must not take the editor down: report it and go on with the next statement.
          if (isStackExhausted(e)) this.diag('warning', 'too-deep', TOO_DEEP, s.r, {}, file);
          else this.diag('warning', 'internal', `analysis error: ${e instanceof Error ? e.message : String(e)}`, s.r, {}, file);
        }
      }
    } finally {
      if (!imported) this.topStatement = null;
      this.currentFile = prevFile;
      this.frame = prevFrame;
      if (imported) {
        this.quiet--;
        this.rec.libraryLevel--;
      }
    }
    return scope;
  }

  inFile<T>(file: string, f: () => T): T {
    const prev = this.currentFile;
    this.currentFile = file;
    try {
      return f();
    } finally {
      this.currentFile = prev;
    }
  }

  // ---------------------------------------------------------------- calls (the state they push and pop)

  call(fn: PyValue, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    this.tick();
    const prevSite = this.site;
    this.site = { range: r };
    try {
      return calls.callInner(this, fn, args, kwargs, r);
    } catch (e) {
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        this.diag('warning', 'recursion', 'call nesting too deep; result unknown', r);
        return unknown('recursion');
      }
      throw e;
    } finally {
      this.site = prevSite;
    }
  }

  callUser(fn: UserFunction, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    if (this.depth > 150) {
      this.diag('warning', 'recursion', `call nesting deeper than 150 at ${fn.qualname}; result unknown`, r);
      return unknown('recursion limit');
    }
    const traced = this.rec.active && fn.scope.file === this.opts.file;
    const frame = new Frame(fn.closure, fn.scope, fn.name, fn.qualname, null, traced, fn);
    calls.bindParams(this, fn, args, kwargs, frame, r);
    if (traced) frame.owner = calls.ownerOf(this, fn, frame);
    const argNames = fn.params.map((p) => p.name);
    this.depth++;
    const prevFile = this.currentFile;
    const prevFrame = this.frame;
    this.currentFile = fn.scope.file;
    this.frame = frame;
    try {
      this.tracer.enter(frame, argNames, fn.defLine);
      if ('expr' in fn.body) {
        // A lambda's line events belong to the statement that defined it.
        if (fn.defStmt) this.tracer.line(frame, fn.defStmt);
        const v = this.eval(fn.body.expr, frame);
        this.tracer.leave(frame, v);
        return v;
      }
      const sig = this.execBlock(fn.body.stmts, frame);
      const value = sig?.k === 'return' ? sig.value : NONE;
      this.tracer.leave(frame, value.kind === 'none' ? null : value);
      return value;
    } catch (e) {
      if (e instanceof PyRaise) this.tracer.leave(frame, null);
      throw e;
    } finally {
      this.depth--;
      this.currentFile = prevFile;
      this.frame = prevFrame;
    }
  }

  inferContext(): InferContext {
    return (this.ctx ??= {
      tensor: (shape: Shape | null, dtype: DType) => this.rec.tensor(shape, dtype),
      constrain: (c) => this.facts.addConstraint({ expr: c.expr, divisibleBy: c.divisibleBy, range: this.site.range }),
    });
  }

  /** A fresh tensor with a concrete shape (used for inputs and parameters). */
  newTensor(shape: Shape, dtype: DType, source: 'input' | 'param' | 'buffer' | 'const' = 'const', name?: string): Tensor {
    return this.rec.tensor(shape, dtype, source, null, name, source === 'input');
  }

  shapeOfNumbers(ns: readonly number[]): Shape {
    return ns.map((n) => dim(n));
  }

  // ---------------------------------------------------------------- the Evaluator's parts, in their own files

  execBlock(stmts: readonly Stmt[], frame: Frame): Signal {
    return statements.execBlock(this, stmts, frame);
  }
  execStmt(s: Stmt, frame: Frame): Signal {
    return statements.execStmt(this, s, frame);
  }
  assign(t: Expr, v: PyValue, frame: Frame): void {
    statements.assign(this, t, v, frame);
  }
  setName(frame: Frame, name: string, v: PyValue): void {
    statements.setName(this, frame, name, v);
  }
  lookup(name: string, frame: Frame, r: Range | null): PyValue {
    return statements.lookup(this, name, frame, r);
  }
  forceIn(map: Map<string, PyValue>, name: string, v: PyValue): PyValue {
    return statements.forceIn(this, map, name, v);
  }
  defineFunction(s: FuncDef, frame: Frame): PyValue {
    return definitions.defineFunction(this, s, frame);
  }
  defineClass(s: ClassDef, frame: Frame): PyValue {
    return definitions.defineClass(this, s, frame);
  }
  makeFunction(
    name: string,
    qualname: string,
    params: readonly Param[],
    body: UserFunction['body'],
    defLine: number,
    r: Range,
    frame: Frame,
    closure: FrameLike | null,
  ): UserFunction {
    return definitions.makeFunction(this, name, qualname, params, body, defLine, r, frame, closure);
  }
  eval(e: Expr, frame: Frame): PyValue {
    return expressions.evalExpr(this, e, frame);
  }
  evalArgs(list: readonly Arg[], frame: Frame): { args: PyValue[]; kwargs: Map<string, PyValue> } {
    return expressions.evalArgs(this, list, frame);
  }
  dictSet(entries: Map<string, PyValue>, keys: PyValue[], k: PyValue, v: PyValue): void {
    expressions.dictSet(this, entries, keys, k, v);
  }
  bindSpec(spec: readonly ParamSpec[], args: readonly PyValue[], kwargs: ReadonlyMap<string, PyValue>, what: string): BoundArgs | string {
    return calls.bindSpec(this, spec, args, kwargs, what);
  }
  callOpKey(key: string, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    return opCalls.callOpKey(this, key, args, kwargs, r);
  }
  callOp(def: FunctionOpDef, key: string, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    return opCalls.callOp(this, def, key, args, kwargs, r);
  }
  opFailure(e: unknown, op: string, r: Range | null, extra: DiagExtra = {}): PyValue {
    return opCalls.opFailure(this, e, op, r, extra);
  }
  markInPlace(out: PyValue, self: PyValue | undefined): PyValue {
    return opCalls.markInPlace(this, out, self);
  }
  ensureTensors(v: PyValue): PyValue {
    return opCalls.ensureTensors(this, v);
  }
  addNode(
    op: string,
    role: NodeRole,
    modulePath: string | null,
    attrs: BoundArgs,
    args: BoundArgs,
    out: PyValue,
    params: number,
    flops: number,
    r: Range | null,
  ): void {
    opCalls.addNode(this, op, role, modulePath, attrs, args, out, params, flops, r);
  }
  getAttr(v: PyValue, name: string, r: Range | null): PyValue {
    return attributes.getAttr(this, v, name, r);
  }
  setAttr(target: PyValue, name: string, v: PyValue, r: Range | null): void {
    attributes.setAttr(this, target, name, v, r);
  }
  lookupInClass(c: ClassRef, name: string): PyValue | null {
    return attributes.lookupInClass(this, c, name);
  }
  bindFromClass(raw: PyValue, self: PyValue, cls: ClassRef): PyValue {
    return attributes.bindFromClass(this, raw, self, cls);
  }
  classAttr(c: ClassRef, name: string, r: Range | null, self: PyValue | null): PyValue {
    return attributes.classAttr(this, c, name, r, self);
  }
  torchClassMember(c: Extract<ClassRef, { t: 'torch' }>, name: string, self: PyValue, r: Range | null): PyValue {
    return attributes.torchClassMember(this, c, name, self, r);
  }
  tensorAttr(t: Tensor, name: string, r: Range | null): PyValue {
    return attributes.tensorAttr(this, t, name, r);
  }
  valueMethod(v: PyValue, name: string, r: Range | null): PyValue {
    return attributes.valueMethod(this, v, name, r);
  }
  getItem(v: PyValue, index: PyValue, r: Range | null): PyValue {
    return operators.getItem(this, v, index, r);
  }
  setItem(target: PyValue, index: PyValue, v: PyValue, r: Range | null): void {
    operators.setItem(this, target, index, v, r);
  }
  sliceIndices(s: Extract<PyValue, { kind: 'slice' }>, len: number): number[] | null {
    return operators.sliceIndices(this, s, len);
  }
  binary(op: string, a: PyValue, b: PyValue, r: Range | null): PyValue {
    return operators.binary(this, op, a, b, r);
  }
  augmented(op: string, cur: PyValue, rhs: PyValue, r: Range | null): PyValue {
    return operators.augmented(this, op, cur, rhs, r);
  }
  compare(op: string, a: PyValue, b: PyValue, r: Range | null): PyValue {
    return operators.compare(this, op, a, b, r);
  }
  iterate(v: PyValue, r: Range | null): PyValue[] | null {
    return operators.iterate(this, v, r);
  }
  length(v: PyValue, r: Range | null): PyValue {
    return operators.length(this, v, r);
  }
}
