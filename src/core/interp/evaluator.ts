// The interpreter as its parts and helpers see it: evaluation entry points, diagnostics and the side tables, never its private state.
import type { Arg, ClassDef, Expr, FuncDef, Param, PyModule, Range, Stmt } from '../python/ast';
import type { Diagnostic, NodeRole, Severity } from '../graph/modelGraph';
import type { DType, Shape } from '../shape/shape';
import type { BoundArgs, FunctionOpDef, InferContext, ParamSpec } from '../ops/types';
import type { PyValue } from '../ops/values';
import type { Facts } from './facts';
import type { Frame } from './frame';
import type { LineTracer } from './lineTracer';
import type { CallSite, ClassRef, FrameLike, ModuleScope, Tensor, UserFunction } from './objects';
import type { Recorder } from './recorder';

export interface InterpOptions {
  readonly file: string;
  readonly maxSteps: number;
  /** performance.now()-based deadline in ms. */
  readonly deadline: number;
  /**
   * Budget of the imports one analysis runs (DEFAULT_IMPORT_BUDGET when absent). Running an imported file's top level
   * (a library, parsed and executed once and then reused) does not count against maxSteps and deadline, which bound
   * the analysis of the file itself; imports have this budget of their own instead.
   */
  readonly importBudget?: { readonly maxSteps: number; readonly timeMs: number };
  /** Reads another Python file of the workspace (null when absent). */
  readonly readFile?: (path: string) => string | null;
  readonly parse: (text: string, file: string) => PyModule;
  /** Folders where absolute imports may resolve (package root, workspace folders). */
  readonly searchRoots: readonly string[];
  /** Whether a folder exists (namespace packages); without it, folders without __init__.py do not import. */
  readonly isDir?: (path: string) => boolean;
}

/**
 * Imports of one analysis: `import timm` runs ~280 files (about 2 s on a quiet 2-core machine, 5 s under load; Python
 * itself takes 3.3 s to import torch and timm), once per file version.
 */
export const DEFAULT_IMPORT_BUDGET = { maxSteps: 50_000_000, timeMs: 30_000 } as const;

/**
 * Whether wall-clock budgets apply. The tests set FUSION_LENS_STEP_BUDGETS_ONLY=1 (test/support/pythonWasm.ts): then
 * only step budgets cut an analysis, so a result never depends on how busy the machine is. The editor and the CLI
 * keep their time budgets.
 */
export function wallClockBudgets(): boolean {
  return typeof process === 'undefined' || process.env?.FUSION_LENS_STEP_BUDGETS_ONLY !== '1';
}

/** How a statement ends other than by falling through. */
export type Signal = null | { readonly k: 'return'; readonly value: PyValue } | { readonly k: 'break' } | { readonly k: 'continue' };

export type DiagExtra = Partial<Pick<Diagnostic, 'hint' | 'fix'>>;

/**
 * What statements, expressions, calls, attribute access and the runtime helpers (builtins, module runtime, imports,
 * torch namespace, deep copy) may use of the interpreter. The Interpreter class implements it; helpers take this.
 */
export interface Evaluator {
  readonly opts: InterpOptions;
  readonly rec: Recorder;
  readonly tracer: LineTracer;
  readonly builtins: ReadonlyMap<string, PyValue>;
  /** Files already executed, by path. */
  readonly modulesByFile: ReadonlyMap<string, ModuleScope>;
  /** What is known about tensors and modules beyond their values. */
  readonly facts: Facts;
  /** The innermost call expression being evaluated, for diagnostics of ops. */
  readonly site: CallSite;
  /** The file whose code is executing. */
  readonly currentFile: string;
  /** The innermost executing user-function frame (in-place ops rebind its aliases). */
  readonly frame: Frame | null;

  // budget and diagnostics
  tick(): void;
  diag(severity: Severity, code: string, message: string, range: Range | null, extra?: DiagExtra, file?: string): void;
  unsupported(what: string, range: Range | null): PyValue;
  /** Which exception types the try statements running now catch, innermost last. */
  readonly tryHandlers: ((excType: string) => boolean)[];
  /**
   * Arguments that do not fit a call: a TypeError when a running try statement catches it (code that probes a
   * signature: `try: act(inplace=True) except TypeError: act()`), else an error diagnostic and the analysis goes on.
   */
  callArgError(message: string, range: Range | null): void;

  // files, statements and names
  runModule(mod: PyModule, file: string, name: string, scope?: ModuleScope): ModuleScope;
  /** Runs `f` with `file` as the executing file. */
  inFile<T>(file: string, f: () => T): T;
  execBlock(stmts: readonly Stmt[], frame: Frame): Signal;
  execStmt(s: Stmt, frame: Frame): Signal;
  assign(t: Expr, v: PyValue, frame: Frame): void;
  setName(frame: Frame, name: string, v: PyValue): void;
  lookup(name: string, frame: Frame, r: Range | null): PyValue;
  forceIn(map: Map<string, PyValue>, name: string, v: PyValue): PyValue;

  // definitions
  defineFunction(s: FuncDef, frame: Frame): PyValue;
  defineClass(s: ClassDef, frame: Frame): PyValue;
  makeFunction(
    name: string,
    qualname: string,
    params: readonly Param[],
    body: UserFunction['body'],
    defLine: number,
    r: Range,
    frame: Frame,
    closure: FrameLike | null,
  ): UserFunction;

  // expressions
  eval(e: Expr, frame: Frame): PyValue;
  evalArgs(list: readonly Arg[], frame: Frame): { args: PyValue[]; kwargs: Map<string, PyValue> };
  dictSet(entries: Map<string, PyValue>, keys: PyValue[], k: PyValue, v: PyValue): void;

  // calls and ops
  call(fn: PyValue, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue;
  callUser(fn: UserFunction, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue;
  bindSpec(spec: readonly ParamSpec[], args: readonly PyValue[], kwargs: ReadonlyMap<string, PyValue>, what: string): BoundArgs | string;
  inferContext(): InferContext;
  callOpKey(key: string, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue;
  callOp(def: FunctionOpDef, key: string, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue;
  opFailure(e: unknown, op: string, r: Range | null, extra?: DiagExtra): PyValue;
  markInPlace(out: PyValue, self: PyValue | undefined): PyValue;
  ensureTensors(v: PyValue): PyValue;
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
  ): void;

  // attributes
  getAttr(v: PyValue, name: string, r: Range | null): PyValue;
  setAttr(target: PyValue, name: string, v: PyValue, r: Range | null): void;
  lookupInClass(c: ClassRef, name: string): PyValue | null;
  bindFromClass(raw: PyValue, self: PyValue, cls: ClassRef): PyValue;
  classAttr(c: ClassRef, name: string, r: Range | null, self: PyValue | null): PyValue;
  torchClassMember(c: Extract<ClassRef, { t: 'torch' }>, name: string, self: PyValue, r: Range | null): PyValue;
  tensorAttr(t: Tensor, name: string, r: Range | null): PyValue;
  valueMethod(v: PyValue, name: string, r: Range | null): PyValue;

  // items and operators
  getItem(v: PyValue, index: PyValue, r: Range | null): PyValue;
  setItem(target: PyValue, index: PyValue, v: PyValue, r: Range | null): void;
  sliceIndices(s: Extract<PyValue, { kind: 'slice' }>, len: number): number[] | null;
  binary(op: string, a: PyValue, b: PyValue, r: Range | null): PyValue;
  augmented(op: string, cur: PyValue, rhs: PyValue, r: Range | null): PyValue;
  compare(op: string, a: PyValue, b: PyValue, r: Range | null): PyValue;
  iterate(v: PyValue, r: Range | null): PyValue[] | null;
  length(v: PyValue, r: Range | null): PyValue;

  // tensors
  newTensor(shape: Shape, dtype: DType, source?: 'input' | 'param' | 'buffer' | 'const', name?: string): Tensor;
}
