// The abstract interpreter: executes the Python subset on symbolic values, building module trees and recording forward passes.
import type { Arg, ClassDef, Expr, FuncDef, Param, PyModule, Range, Stmt } from '../python/ast';
import type { Diagnostic, Severity } from '../graph/modelGraph';
import { dim } from '../shape/dim';
import type { DType, Shape } from '../shape/shape';
import { functionOp } from '../ops/registry';
import { ShapeError, UnknownArgError, type BoundArgs, type FunctionOpDef, type InferContext, type ParamSpec } from '../ops/types';
import { NONE, type PyValue } from '../ops/values';
import { Frame, type StmtInfo } from './frame';
import { LineTracer, stmtInfo } from './lineTracer';
import { asObject, instanceOf, obj, unknown, type CallSite, type ClassRef, type FrameLike, type Instance, type ModuleScope, type Tensor, type UserClass, type UserFunction } from './objects';
import { pyBinary, pyBool, pyContains, pyEquals, pyInt, pyIs, pyOrder, pyStr, pyStrOf, truthy } from './pyOps';
import { Recorder, attrValue } from './recorder';
import { dictKey } from './tensorLeaves';
import { makeBuiltins } from './builtins';
import { namespaceAttr } from './torchNamespace';
import { callModule, instantiate, instanceGetAttr, instanceSetAttr, moduleGetItem, moduleIter, moduleLen, moduleSetItem } from './moduleRuntime';
import { importFrom, importModule } from './imports';
import { creationValues, derivedValues, initRuleValues, rowValues, shapeNumel } from './tensorConsts';
import { makeSet, setItems, setMethod } from './pySet';

/** A Python exception raised by the analysed code (or by a failed operation inside it). */
export class PyRaise extends Error {
  constructor(
    message: string,
    readonly range: Range | null,
    readonly file: string,
    readonly excType = 'Exception',
  ) {
    super(message);
  }
}

export class BudgetExceeded extends Error {}

type Signal = null | { readonly k: 'return'; readonly value: PyValue } | { readonly k: 'break' } | { readonly k: 'continue' };

export interface InterpOptions {
  readonly file: string;
  readonly maxSteps: number;
  /** performance.now()-based deadline in ms. */
  readonly deadline: number;
  /** Reads another Python file of the workspace (null when absent). */
  readonly readFile?: (path: string) => string | null;
  readonly parse: (text: string, file: string) => PyModule;
  /** Folders where absolute imports may resolve (package root, workspace folders). */
  readonly searchRoots: readonly string[];
  /** Whether a folder exists (namespace packages); without it, folders without __init__.py do not import. */
  readonly isDir?: (path: string) => boolean;
}

const NO_KWARGS: Map<string, PyValue> = new Map();

/** How tensors made by factories start out, so nn.Parameter(torch.ones(n)) gets the right initialisation. */
const CREATION_INIT: Record<string, (a: BoundArgs) => import('../ops/types').InitRule> = {
  'torch.zeros': () => ({ kind: 'zeros' }),
  'torch.zeros_like': () => ({ kind: 'zeros' }),
  'torch.empty': () => ({ kind: 'zeros' }),
  'torch.ones': () => ({ kind: 'ones' }),
  'torch.ones_like': () => ({ kind: 'ones' }),
  'torch.randn': () => ({ kind: 'normal', std: 1 }),
  'torch.randn_like': () => ({ kind: 'normal', std: 1 }),
  'torch.full': (a) => ({ kind: 'constant', value: a.fill_value?.kind === 'float' ? a.fill_value.value : a.fill_value?.kind === 'int' ? a.fill_value.dim.value ?? 0 : 0 }),
};

const BIN_KEYS: Record<string, string> = {
  '+': 'op.add', '-': 'op.sub', '*': 'op.mul', '/': 'op.truediv', '//': 'op.floordiv', '%': 'op.mod', '**': 'op.pow',
  '@': 'op.matmul', '&': 'op.and_', '|': 'op.or_', '^': 'op.xor', '<<': 'op.lshift', '>>': 'op.rshift',
};
const INPLACE_KEYS: Record<string, string> = {
  '+': 'op.iadd', '-': 'op.isub', '*': 'op.imul', '/': 'op.itruediv', '//': 'op.ifloordiv', '%': 'op.imod', '**': 'op.ipow', '@': 'op.imatmul',
  '&': 'op.iand', '|': 'op.ior', '^': 'op.ixor',
};
const CMP_KEYS: Record<string, string> = { '<': 'op.lt', '<=': 'op.le', '>': 'op.gt', '>=': 'op.ge', '==': 'op.eq', '!=': 'op.ne' };
const UNARY_KEYS: Record<string, string> = { '-': 'op.neg', '+': 'op.pos', '~': 'op.invert' };

export class Interpreter {
  rec: Recorder;
  tracer: LineTracer;
  readonly builtins: Map<string, PyValue>;
  readonly modulesByFile = new Map<string, ModuleScope>();
  /** named_modules() paths of the model being traced. */
  paths = new Map<Instance, string>();
  /** How parameters created by torch factories are initialised (by tensor object id). */
  readonly initOf = new Map<number, import('../ops/types').InitRule>();
  /** Element values of small constant tensors (by tensor value; an in-place op makes a new value without them). */
  readonly constValues = new WeakMap<Tensor, readonly number[]>();
  /** Tensor objects that are nn.Parameters. */
  readonly paramObjs = new Set<number>();
  /** Source ranges of literal constructor arguments of torch modules (for quick fixes). */
  readonly ctorLiterals = new Map<Instance, Map<string, { range: Range; file: string }>>();
  /** Linear in_features checks that met an input size not known at analysis time (solved for input specs). */
  readonly constraints: { expr: import('../shape/expr').Expr; equals: number; range: Range | null }[] = [];
  private steps = 0;
  private depth = 0;
  /** The innermost call expression being evaluated, for diagnostics of ops. */
  site: CallSite = { range: null };
  currentFile: string;
  /** > 0 while the top level of an imported file runs. */
  private quiet = 0;
  /** The innermost executing user-function frame (in-place ops rebind its aliases). */
  frame: Frame | null = null;

  constructor(public opts: InterpOptions) {
    this.rec = new Recorder(opts.file);
    this.tracer = new LineTracer(this.rec);
    this.builtins = makeBuiltins(this);
    this.currentFile = opts.file;
  }

  /**
   * Starts another analysis in this interpreter (moduleWorld.ts): modules it loaded stay, the run's state is fresh.
   * Tensor ids continue from the last recorder, so values made at a kept module's top level stay distinct.
   */
  beginAnalysis(opts: InterpOptions): void {
    this.opts = opts;
    this.rec = new Recorder(opts.file, this.rec);
    this.tracer = new LineTracer(this.rec);
    this.paths = new Map();
    this.initOf.clear();
    this.paramObjs.clear();
    this.ctorLiterals.clear();
    this.constraints.length = 0;
    this.steps = 0;
    this.depth = 0;
    this.quiet = 0;
    this.site = { range: null };
    this.currentFile = opts.file;
    this.frame = null;
  }

  // ---------------------------------------------------------------- budget and diagnostics

  tick(): void {
    this.steps++;
    if (this.steps > this.opts.maxSteps) throw new BudgetExceeded(`step budget of ${this.opts.maxSteps} exceeded`);
    if ((this.steps & 255) === 0 && performance.now() > this.opts.deadline) throw new BudgetExceeded('time budget exceeded');
  }

  diag(severity: Severity, code: string, message: string, range: Range | null, extra: Partial<Pick<Diagnostic, 'hint' | 'fix'>> = {}, file = this.currentFile): void {
    // The top level of imported files is not the user's concern: what it fails to define shows up where it is used.
    if (this.quiet > 0 && severity !== 'error') return;
    if (severity === 'info' && file !== this.opts.file) return;
    this.rec.diag({ severity, code, message, range: this.rec.range(range, file), ...extra });
  }

  unsupported(what: string, range: Range | null): PyValue {
    this.diag('warning', 'unsupported', `unsupported construct: ${what}`, range);
    return unknown(`unsupported ${what}`);
  }

  // ---------------------------------------------------------------- modules (files)

  /** Executes a parsed file's top level as module `name`. */
  runModule(mod: PyModule, file: string, name: string, scope: ModuleScope = { file, name, globals: new Map() }): ModuleScope {
    scope.globals.set('__name__', pyStr(name));
    scope.globals.set('__file__', pyStr(file));
    this.modulesByFile.set(file, scope);
    const frame = new Frame(null, scope, '<module>', '<module>', null, false, null);
    const prevFile = this.currentFile;
    const prevFrame = this.frame;
    const imported = file !== this.opts.file;
    this.currentFile = file;
    this.frame = null;
    if (imported) this.quiet++;
    try {
      for (const s of mod.body) {
        try {
          const sig = this.execStmt(s, frame);
          if (sig) break;
        } catch (e) {
          if (e instanceof PyRaise) {
            this.diag('warning', 'raise', `module-level code raised ${e.excType}: ${e.message}`, e.range, {}, e.file);
            continue;
          }
          if (e instanceof BudgetExceeded) {
            this.diag('warning', 'budget', `module-level code of ${name}: ${e.message}; the rest of the file's top level was skipped`, s.r, {}, file);
            break;
          }
          // A defect of the analysis must not take the editor down: report it and go on with the next statement.
          if (isStackExhausted(e)) this.diag('warning', 'too-deep', TOO_DEEP, s.r, {}, file);
          else this.diag('warning', 'internal', `analysis error: ${e instanceof Error ? e.message : String(e)}`, s.r, {}, file);
        }
      }
    } finally {
      this.currentFile = prevFile;
      this.frame = prevFrame;
      if (imported) this.quiet--;
    }
    return scope;
  }

  // ---------------------------------------------------------------- statements

  execBlock(stmts: readonly Stmt[], frame: Frame): Signal {
    for (const s of stmts) {
      const sig = this.execStmt(s, frame);
      if (sig) return sig;
    }
    return null;
  }

  private lineEvent(frame: Frame, s: Stmt): StmtInfo {
    const info = stmtInfo(s);
    this.tracer.line(frame, info);
    return info;
  }

  execStmt(s: Stmt, frame: Frame): Signal {
    this.tick();
    switch (s.k) {
      case 'expr':
        this.lineEvent(frame, s);
        this.eval(s.value, frame);
        return null;
      case 'assign': {
        this.lineEvent(frame, s);
        const v = this.eval(s.value, frame);
        for (const t of s.targets) this.assign(t, v, frame);
        return null;
      }
      case 'annassign':
        this.lineEvent(frame, s);
        if (s.value) this.assign(s.target, this.eval(s.value, frame), frame);
        return null;
      case 'augassign': {
        this.lineEvent(frame, s);
        if (s.target.k === 'sub') {
          // `x[i] += y` evaluates x and i once: x.__setitem__(i, x.__getitem__(i).__iadd__(y)).
          const target = this.eval(s.target.obj, frame);
          const index = this.eval(s.target.index, frame);
          const cur = this.getItem(target, index, s.target.r);
          const rhs = this.eval(s.value, frame);
          this.setItem(target, index, this.augmented(s.op, cur, rhs, s.r), s.target.r);
          return null;
        }
        const cur = this.eval(s.target, frame);
        const rhs = this.eval(s.value, frame);
        this.assign(s.target, this.augmented(s.op, cur, rhs, s.r), frame);
        return null;
      }
      case 'return': {
        this.lineEvent(frame, s);
        return { k: 'return', value: s.value ? this.eval(s.value, frame) : NONE };
      }
      case 'pass':
        this.lineEvent(frame, s);
        return null;
      case 'break':
        this.lineEvent(frame, s);
        return { k: 'break' };
      case 'continue':
        this.lineEvent(frame, s);
        return { k: 'continue' };
      case 'if': {
        this.lineEvent(frame, s);
        const c = truthy(this.eval(s.test, frame));
        if (c === null) {
          this.diag('info', 'unknown-condition', 'condition is not known at analysis time; assuming it is true', s.test.r);
          return this.execBlock(s.body, frame);
        }
        return this.execBlock(c ? s.body : s.orelse, frame);
      }
      case 'for':
        return this.execFor(s, frame);
      case 'while': {
        let guard = 0;
        for (;;) {
          this.lineEvent(frame, s);
          const c = truthy(this.eval(s.test, frame));
          if (c === null) {
            this.diag('warning', 'unknown-condition', 'while condition is not known at analysis time; loop skipped', s.test.r);
            return null;
          }
          if (!c) return this.execBlock(s.orelse, frame);
          if (++guard > 10000) {
            this.diag('warning', 'loop-budget', 'while loop ran more than 10000 times; stopped', s.r);
            return null;
          }
          const sig = this.execBlock(s.body, frame);
          if (sig?.k === 'break') return null;
          if (sig?.k === 'return') return sig;
        }
      }
      case 'with': {
        this.lineEvent(frame, s);
        for (const it of s.items) {
          const ctx = this.eval(it.ctx, frame);
          if (it.target) this.assign(it.target, ctx, frame);
        }
        return this.execBlock(s.body, frame);
      }
      case 'try': {
        this.lineEvent(frame, s);
        let sig: Signal = null;
        try {
          sig = this.execBlock(s.body, frame);
        } catch (e) {
          if (!(e instanceof PyRaise)) throw e;
          const h = s.handlers.find((x) => handles(x.type, e.excType));
          if (!h) throw e;
          if (h.name) frame.locals.set(h.name, obj({ t: 'opaque', what: e.excType }, e.excType));
          sig = this.execBlock(h.body, frame);
          return sig ?? this.execBlock(s.final, frame);
        }
        if (!sig) sig = this.execBlock(s.orelse, frame);
        const fin = this.execBlock(s.final, frame);
        return fin ?? sig;
      }
      case 'raise': {
        this.lineEvent(frame, s);
        let msg = 'exception';
        let type = 'Exception';
        if (s.exc) {
          const ex = s.exc;
          if (ex.k === 'call') {
            if (ex.func.k === 'name') type = ex.func.id;
            const first = ex.args[0];
            if (first && first.kind === 'pos') msg = pyStrOf(this.eval(first.value, frame));
          } else if (ex.k === 'name') type = ex.id;
        }
        throw new PyRaise(msg, s.r, frame.scope.file, type);
      }
      case 'assert': {
        this.lineEvent(frame, s);
        const c = truthy(this.eval(s.test, frame));
        if (c === false) {
          const msg = s.msg ? pyStrOf(this.eval(s.msg, frame)) : 'assertion failed';
          throw new PyRaise(msg, s.r, frame.scope.file, 'AssertionError');
        }
        return null;
      }
      case 'del':
        this.lineEvent(frame, s);
        for (const t of s.targets) {
          if (t.k === 'name') frame.locals.delete(t.id);
          else if (t.k === 'sub') {
            const o = this.eval(t.obj, frame);
            const i = this.eval(t.index, frame);
            if (o.kind === 'dict') {
              const key = dictKey(i);
              if (o.entries.delete(key)) o.keys.splice(o.keys.findIndex((k) => dictKey(k) === key), 1);
            } else if (o.kind === 'list' && i.kind === 'int' && i.dim.value !== null) {
              o.items.splice(i.dim.value < 0 ? o.items.length + i.dim.value : i.dim.value, 1);
            }
          }
        }
        return null;
      case 'global':
        (frame.globalNames ??= new Set()).add(s.names[0]);
        for (const n of s.names) frame.globalNames.add(n);
        return null;
      case 'nonlocal':
        for (const n of s.names) (frame.nonlocalNames ??= new Set()).add(n);
        return null;
      case 'import':
        this.lineEvent(frame, s);
        for (const n of s.names) importModule(this, n.name, n.asname, frame, s.r);
        return null;
      case 'importfrom':
        this.lineEvent(frame, s);
        importFrom(this, s, frame);
        return null;
      case 'def':
        this.lineEvent(frame, s);
        this.setName(frame, s.name, this.defineFunction(s, frame));
        return null;
      case 'class':
        this.lineEvent(frame, s);
        this.setName(frame, s.name, this.defineClass(s, frame));
        return null;
      case 'unsupported':
        this.unsupported(s.what, s.r);
        return null;
      case 'error':
        return null;
    }
  }

  private execFor(s: Extract<Stmt, { k: 'for' }>, frame: Frame): Signal {
    this.lineEvent(frame, s);
    const items = this.iterate(this.eval(s.iter, frame), s.iter.r);
    if (!items) return null;
    let first = true;
    for (const item of items) {
      if (!first) this.lineEvent(frame, s);
      first = false;
      this.tick();
      this.assign(s.target, item, frame);
      const sig = this.execBlock(s.body, frame);
      if (sig?.k === 'break') return null;
      if (sig?.k === 'return') return sig;
    }
    if (!first) this.lineEvent(frame, s);
    return this.execBlock(s.orelse, frame);
  }

  setName(frame: Frame, name: string, v: PyValue): void {
    if (frame.globalNames?.has(name)) frame.scope.globals.set(name, v);
    else if (frame.nonlocalNames?.has(name)) {
      let f: FrameLike | null = frame.parent;
      while (f && !f.locals.has(name)) f = f.parent;
      (f ?? frame).locals.set(name, v);
    } else if (frame.parent === null && frame.funcName === '<module>') frame.scope.globals.set(name, v);
    else frame.locals.set(name, v);
  }

  lookup(name: string, frame: Frame, r: Range | null): PyValue {
    if (frame.funcName === '<module>') {
      const g = frame.scope.globals.get(name);
      if (g) return this.forceIn(frame.scope.globals, name, g);
    } else if (!frame.globalNames?.has(name)) {
      let f: FrameLike | null = frame;
      while (f) {
        const v = f.locals.get(name);
        if (v) return this.forceIn(f.locals, name, v);
        f = f.parent;
      }
    }
    const g = frame.scope.globals.get(name);
    if (g) return this.forceIn(frame.scope.globals, name, g);
    const b = this.builtins.get(name);
    if (b) return b;
    this.diag('warning', 'unknown-name', `name '${name}' is not defined (or not known to the analysis)`, r);
    return unknown(`undefined name ${name}`);
  }

  /** Resolves a lazily imported name on first use and stores the result where it was bound. */
  forceIn(map: Map<string, PyValue>, name: string, v: PyValue): PyValue {
    const o = v.kind === 'object' ? asObject(v) : null;
    if (!o || o.t !== 'lazy') return v;
    map.set(name, unknown(`import cycle through ${name}`));
    const wasActive = this.rec.active;
    this.rec.active = false;
    let out: PyValue;
    try {
      out = o.load();
    } finally {
      this.rec.active = wasActive;
    }
    map.set(name, out);
    return out;
  }

  /** Binds `v` to an assignment target (names, tuples with a starred element, attributes, subscripts). */
  assign(t: Expr, v: PyValue, frame: Frame): void {
    switch (t.k) {
      case 'name':
        this.setName(frame, t.id, v);
        return;
      case 'tuple':
      case 'list': {
        const items = this.iterate(v, t.r);
        const star = t.elts.findIndex((e) => e.k === 'starred');
        if (!items) {
          for (const e of t.elts) this.assign(e.k === 'starred' ? e.value : e, unknown('unpacking of an unknown value'), frame);
          return;
        }
        if (star < 0) {
          if (items.length !== t.elts.length) {
            this.diag('error', 'unpack', `cannot unpack ${items.length} values into ${t.elts.length} targets`, t.r);
            t.elts.forEach((e, i) => this.assign(e, items[i] ?? unknown('missing value in unpacking'), frame));
            return;
          }
          t.elts.forEach((e, i) => this.assign(e, items[i], frame));
          return;
        }
        const after = t.elts.length - star - 1;
        t.elts.forEach((e, i) => {
          if (i < star) this.assign(e, items[i] ?? unknown('missing value'), frame);
          else if (i === star) this.assign((e as Extract<Expr, { k: 'starred' }>).value, { kind: 'list', items: items.slice(star, items.length - after) }, frame);
          else this.assign(e, items[items.length - (t.elts.length - i)] ?? unknown('missing value'), frame);
        });
        return;
      }
      case 'attr':
        this.setAttr(this.eval(t.obj, frame), t.name, v, t.r);
        return;
      case 'sub':
        this.setItem(this.eval(t.obj, frame), this.eval(t.index, frame), v, t.r);
        return;
      case 'starred':
        this.assign(t.value, v, frame);
        return;
      default:
        this.unsupported(`assignment to ${t.k}`, t.r);
    }
  }

  // ---------------------------------------------------------------- definitions

  defineFunction(s: FuncDef, frame: Frame): PyValue {
    const closure = frame.classBody ? frame.parent : frame.funcName === '<module>' ? null : frame;
    const qualPrefix = frame.classBody ? `${frame.qualname}.` : frame.funcName === '<module>' ? '' : `${frame.qualname}.<locals>.`;
    const fn = this.makeFunction(s.name, qualPrefix + s.name, s.params, { stmts: s.body }, s.defLine, s.r, frame, closure);
    fn.ownerClass = frame.classBody;
    let v: PyValue = obj({ t: 'func', fn }, 'function');
    for (const d of [...s.decorators].reverse()) v = this.decorate(d, v, frame);
    return v;
  }

  makeFunction(name: string, qualname: string, params: readonly Param[], body: UserFunction['body'], defLine: number, r: Range, frame: Frame, closure: FrameLike | null): UserFunction {
    const defaults = new Map<string, PyValue>();
    for (const p of params) if (p.default) defaults.set(p.name, this.eval(p.default, frame));
    return { name, qualname, params, defaults, body, defLine, range: r, scope: frame.scope, closure, ownerClass: null, decorators: new Set(), defStmt: null, attrs: new Map() };
  }

  private decorate(d: Expr, fnv: PyValue, frame: Frame): PyValue {
    const name = decoratorName(d);
    if (name === 'staticmethod') return obj({ t: 'staticmethod', fn: fnv }, 'staticmethod');
    if (name === 'classmethod') return obj({ t: 'classmethod', fn: fnv }, 'classmethod');
    if (name === 'property' || name === 'cached_property') return obj({ t: 'property', fn: fnv }, 'property');
    if (d.k === 'attr' && (d.name === 'setter' || d.name === 'deleter')) return this.eval(d.obj, frame);
    // Decorators that return the function unchanged for analysis purposes.
    if (['no_grad', 'enable_grad', 'inference_mode', 'lru_cache', 'cache', 'ignore', 'unused', 'export', 'script', 'abstractmethod', 'autocast', 'overload', 'final', 'override', 'jit', 'register_to_config', 'torch_function'].includes(name)) return fnv;
    const dec = this.eval(d, frame);
    if (dec.kind === 'unknown') return fnv;
    const out = this.call(dec, [fnv], new Map(), d.r);
    return out.kind === 'unknown' ? fnv : out;
  }

  defineClass(s: ClassDef, frame: Frame): PyValue {
    const bases: ClassRef[] = [];
    for (const b of s.bases) {
      const bv = this.eval(b, frame);
      const o = asObject(bv);
      if (o && o.t === 'class') bases.push(o.cls);
      else if (bv.kind === 'unknown') this.diag('warning', 'unknown-base', `base class of ${s.name} is not known; it is analysed as a plain class`, b.r);
    }
    const qualname = frame.classBody ? `${frame.qualname}.${s.name}` : frame.funcName === '<module>' ? s.name : `${frame.qualname}.<locals>.${s.name}`;
    const cls: UserClass = { name: s.name, qualname, def: s, bases, ns: new Map(), scope: frame.scope, mro: [] };
    cls.mro = computeMro(cls);
    const body = new Frame(frame.funcName === '<module>' ? null : frame, frame.scope, s.name, qualname, null, false, null, cls);
    // Class bodies read module globals and enclosing locals; their own namespace is `ns`.
    const ns = body.locals;
    try {
      this.execBlock(s.body, body);
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      this.diag('warning', 'raise', `class body raised ${e.excType}: ${e.message}`, e.range, {}, e.file);
    }
    for (const [k, v] of ns) cls.ns.set(k, v);
    if (s.decorators.some((d) => decoratorName(d) === 'dataclass') && !cls.ns.has('__init__')) this.dataclassInit(cls, s);
    return obj({ t: 'class', cls: { t: 'user', cls } }, 'type');
  }

  /** The __init__ that @dataclass generates: annotated fields in order, with their defaults. */
  private dataclassInit(cls: UserClass, s: ClassDef): void {
    const fields = s.body.flatMap((st) => (st.k === 'annassign' && st.target.k === 'name' ? [st.target.id] : []));
    const defaults = new Map(fields.filter((f) => cls.ns.has(f)).map((f) => [f, cls.ns.get(f)!]));
    const init: PyValue = obj({ t: 'builtin', name: '__init__', call: (args, kwargs, site) => {
      const self = args[0] ?? NONE;
      fields.forEach((f, i) => {
        const v = args[i + 1] ?? kwargs.get(f) ?? defaults.get(f);
        if (v) this.setAttr(self, f, v, site.range);
        else this.diag('error', 'call-args', `${cls.name}() missing required argument '${f}'`, site.range);
      });
      return NONE;
    } }, 'builtin_function_or_method');
    cls.ns.set('__init__', init);
  }

  // ---------------------------------------------------------------- expressions

  eval(e: Expr, frame: Frame): PyValue {
    switch (e.k) {
      case 'name':
        return this.lookup(e.id, frame, e.r);
      case 'int':
        return pyInt(e.value);
      case 'float':
        return { kind: 'float', value: e.value };
      case 'str':
        return pyStr(e.value);
      case 'fstr':
        return pyStr(e.parts.map((p) => (typeof p === 'string' ? p : pyStrOf(this.eval(p, frame)))).join(''));
      case 'bool':
        return pyBool(e.value);
      case 'none':
        return NONE;
      case 'ellipsis':
        return { kind: 'ellipsis' };
      case 'attr':
        return this.getAttr(this.eval(e.obj, frame), e.name, e.r);
      case 'sub':
        return this.getItem(this.eval(e.obj, frame), this.eval(e.index, frame), e.r);
      case 'slice':
        return {
          kind: 'slice',
          start: e.lower ? this.eval(e.lower, frame) : NONE,
          stop: e.upper ? this.eval(e.upper, frame) : NONE,
          step: e.step ? this.eval(e.step, frame) : NONE,
        };
      case 'call':
        return this.evalCall(e, frame);
      case 'bin':
        return this.binary(e.op, this.eval(e.left, frame), this.eval(e.right, frame), e.r);
      case 'unary': {
        const v = this.eval(e.operand, frame);
        if (e.op === 'not') {
          const t = truthy(v);
          return t === null ? unknown('not of an unknown value') : pyBool(!t);
        }
        if (v.kind === 'tensor') return this.callOpKey(UNARY_KEYS[e.op], [v], new Map(), e.r);
        if (v.kind === 'int') return e.op === '-' ? pyBinary('*', v, pyInt(-1))! : e.op === '+' ? v : v.dim.value === null ? unknown('~') : pyInt(~v.dim.value);
        if (v.kind === 'float') return { kind: 'float', value: e.op === '-' ? -v.value : v.value };
        if (v.kind === 'bool') return pyInt(e.op === '-' ? -Number(v.value) : e.op === '~' ? ~Number(v.value) : Number(v.value));
        return v.kind === 'unknown' ? v : this.unsupported(`unary ${e.op} on ${v.kind}`, e.r);
      }
      case 'boolop': {
        const l = this.eval(e.left, frame);
        const t = truthy(l);
        if (t === null) return unknown('boolean operator on an unknown value');
        if (e.op === 'and') return t ? this.eval(e.right, frame) : l;
        return t ? l : this.eval(e.right, frame);
      }
      case 'compare': {
        let left = this.eval(e.left, frame);
        let result: PyValue = pyBool(true);
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.eval(e.rights[i], frame);
          const r = this.compare(e.ops[i], left, right, e.r);
          const t = truthy(r);
          if (r.kind === 'tensor') return r;
          if (t === false) return r;
          if (t === null) result = r;
          left = right;
        }
        return result;
      }
      case 'ifexp': {
        const t = truthy(this.eval(e.test, frame));
        if (t === null) {
          this.diag('info', 'unknown-condition', 'condition is not known at analysis time; assuming it is true', e.test.r);
          return this.eval(e.body, frame);
        }
        return this.eval(t ? e.body : e.orelse, frame);
      }
      case 'tuple':
      case 'list':
      case 'set': {
        const items: PyValue[] = [];
        for (const x of e.elts) {
          if (x.k === 'starred') {
            const inner = this.iterate(this.eval(x.value, frame), x.r);
            if (inner) items.push(...inner);
            else return unknown('starred unknown value');
          } else items.push(this.eval(x, frame));
        }
        return e.k === 'list' ? { kind: 'list', items } : e.k === 'tuple' ? { kind: 'tuple', items } : makeSet(items);
      }
      case 'dict': {
        const entries = new Map<string, PyValue>();
        const keys: PyValue[] = [];
        for (const it of e.items) {
          if ('splat' in it) {
            const d = this.eval(it.splat, frame);
            if (d.kind === 'dict') for (const k of d.keys) this.dictSet(entries, keys, k, d.entries.get(dictKey(k))!);
          } else this.dictSet(entries, keys, this.eval(it.key, frame), this.eval(it.value, frame));
        }
        return { kind: 'dict', entries, keys };
      }
      case 'comp':
        return this.comprehension(e, frame);
      case 'lambda': {
        const closure = frame.classBody ? frame.parent : frame.funcName === '<module>' ? null : frame;
        const prefix = frame.classBody ? `${frame.qualname}.` : frame.funcName === '<module>' ? '' : `${frame.qualname}.<locals>.`;
        const fn = this.makeFunction('<lambda>', `${prefix}<lambda>`, e.params, { expr: e.body }, e.r.startLine, e.r, frame, closure);
        fn.defStmt = frame.current;
        return obj({ t: 'func', fn }, 'function');
      }
      case 'starred':
        return this.unsupported('starred expression here', e.r);
      case 'walrus': {
        const v = this.eval(e.value, frame);
        this.setName(frame, e.target, v);
        return v;
      }
      case 'unsupported':
        return this.unsupported(e.what, e.r);
    }
  }

  dictSet(entries: Map<string, PyValue>, keys: PyValue[], k: PyValue, v: PyValue): void {
    const key = dictKey(k);
    if (!entries.has(key)) keys.push(k);
    entries.set(key, v);
  }

  /** Comprehensions run in their own frame (Python 3.11), reporting at the enclosing statement's line. */
  private comprehension(e: Extract<Expr, { k: 'comp' }>, frame: Frame): PyValue {
    const name = `<${e.kind === 'gen' ? 'genexpr' : `${e.kind}comp`}>`;
    const qualPrefix = frame.classBody ? `${frame.qualname}.` : frame.funcName === '<module>' ? '' : `${frame.qualname}.<locals>.`;
    const first = this.eval(e.gens[0].iter, frame);
    const firstItems = this.iterate(first, e.gens[0].iter.r);
    if (!firstItems) return unknown('comprehension over an unknown value');
    const cf = new Frame(frame.classBody ? frame.parent : frame, frame.scope, name, qualPrefix + name, frame.owner, frame.traced, null);
    const info = frame.current;
    cf.current = info;
    this.tracer.enter(cf, [], e.r.startLine);
    const out: PyValue[] = [];
    const entries = new Map<string, PyValue>();
    const keys: PyValue[] = [];
    const emitLine = () => {
      if (info) this.tracer.line(cf, info);
    };
    emitLine();
    const loop = (gi: number, items: PyValue[]): void => {
      const g = e.gens[gi];
      for (const item of items) {
        this.tick();
        this.assign(g.target, item, cf);
        let ok = true;
        for (const cond of g.ifs) {
          const t = truthy(this.eval(cond, cf));
          if (t === false) {
            ok = false;
            break;
          }
        }
        if (ok) {
          if (gi + 1 < e.gens.length) {
            const inner = this.iterate(this.eval(e.gens[gi + 1].iter, cf), e.gens[gi + 1].iter.r);
            if (inner) loop(gi + 1, inner);
          } else if (e.kind === 'dict') this.dictSet(entries, keys, this.eval(e.elt, cf), this.eval(e.value!, cf));
          else {
            const v = this.eval(e.elt, cf);
            out.push(v);
            if (e.kind === 'gen' && cf.traced) {
              // A generator's frame returns at every yield: the loop variables and the yielded value are reported.
              this.tracer.leave(cf, v);
            }
          }
        }
        emitLine();
      }
    };
    loop(0, firstItems);
    if (e.kind === 'dict') {
      const d: PyValue = { kind: 'dict', entries, keys };
      this.tracer.leave(cf, d);
      return d;
    }
    if (e.kind === 'gen') {
      this.tracer.leave(cf, null);
      return { kind: 'list', items: out };
    }
    const result: PyValue = e.kind === 'list' ? { kind: 'list', items: out } : makeSet(out);
    this.tracer.leave(cf, result);
    return result;
  }

  private evalCall(e: Extract<Expr, { k: 'call' }>, frame: Frame): PyValue {
    // Zero-argument super() needs the calling frame.
    if (e.func.k === 'name' && e.func.id === 'super' && e.args.length === 0 && !frame.locals.has('super')) {
      const fn = frame.fn;
      const selfName = fn?.params[0]?.name;
      const cls = fn?.ownerClass;
      if (!fn || !cls || !selfName) return this.unsupported('super() outside a method', e.r);
      return obj({ t: 'super', cls, self: frame.locals.get(selfName) ?? NONE }, 'super');
    }
    const fn = this.eval(e.func, frame);
    const { args, kwargs } = this.evalArgs(e.args, frame);
    const out = this.call(fn, args, kwargs, e.r);
    const o = asObject(fn);
    if (o && o.t === 'class' && o.cls.t === 'torch' && o.cls.leaf) this.noteLiterals(o.cls.leaf.ctor, e.args, out);
    return out;
  }

  /** Remembers where literal constructor arguments are written, so fixes can replace them. */
  private noteLiterals(ctor: readonly ParamSpec[], args: readonly Arg[], out: PyValue): void {
    const inst = instanceOf(out);
    if (!inst) return;
    const lits = new Map<string, { range: Range; file: string }>();
    const file = this.currentFile;
    let i = 0;
    for (const a of args) {
      if (a.kind === 'pos') {
        const p = ctor[i++];
        if (p && isLiteralInt(a.value)) lits.set(p.name, { range: a.value.r, file });
      } else if (a.kind === 'kw' && isLiteralInt(a.value)) lits.set(a.name, { range: a.value.r, file });
      else if (a.kind === 'star') break;
    }
    if (lits.size) this.ctorLiterals.set(inst, lits);
  }

  evalArgs(list: readonly Arg[], frame: Frame): { args: PyValue[]; kwargs: Map<string, PyValue> } {
    const args: PyValue[] = [];
    // Calls without keywords share one empty map (callees only read it).
    const kwargs = list.some((a) => a.kind === 'kw' || a.kind === 'dstar') ? new Map<string, PyValue>() : NO_KWARGS;
    for (const a of list) {
      if (a.kind === 'pos') args.push(this.eval(a.value, frame));
      else if (a.kind === 'kw') kwargs.set(a.name, this.eval(a.value, frame));
      else if (a.kind === 'star') {
        const v = this.eval(a.value, frame);
        const items = this.iterate(v, a.value.r);
        // An unknown *args contributes nothing rather than a bogus argument (its origin is already reported).
        if (items) args.push(...items);
      } else {
        const v = this.eval(a.value, frame);
        if (v.kind === 'dict') for (const k of v.keys) if (k.kind === 'str') kwargs.set(k.value, v.entries.get(dictKey(k))!);
      }
    }
    return { args, kwargs };
  }

  // ---------------------------------------------------------------- calls

  call(fn: PyValue, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    this.tick();
    const prevSite = this.site;
    this.site = { range: r };
    try {
      return this.callInner(fn, args, kwargs, r);
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

  private callInner(fn: PyValue, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    if (fn.kind === 'unknown') return fn;
    const o = asObject(fn);
    if (!o) {
      if (fn.kind === 'tensor') return this.unsupported('calling a tensor', r);
      return this.unsupported(`calling a ${fn.kind}`, r);
    }
    switch (o.t) {
      case 'func':
        return this.callUser(o.fn, args, kwargs, r);
      case 'bound':
        return this.call(o.fn, [o.self, ...args], kwargs, r);
      case 'builtin':
        return o.call(args, kwargs, { range: r });
      case 'class':
        return instantiate(this, o.cls, args, kwargs, r);
      case 'instance':
        if (o.inst.isModule) return callModule(this, o.inst, args, kwargs, r);
        {
          const m = this.getAttr(fn, '__call__', r);
          return this.call(m, args, kwargs, r);
        }
      case 'op':
        return this.callOp(o.def, o.key, args, kwargs, r);
      case 'partial': {
        const kw = new Map(o.kwargs);
        for (const [k, v] of kwargs) kw.set(k, v);
        return this.call(o.fn, [...o.args, ...args], kw, r);
      }
      case 'staticmethod':
      case 'property':
        return this.call(o.fn, args, kwargs, r);
      case 'classmethod':
        return this.call(o.fn, args, kwargs, r);
      case 'super':
      case 'namespace':
      case 'pymodule':
        return this.unsupported(`calling ${o.t}`, r);
      case 'opaque':
        return unknown(`call of ${o.what}`);
      case 'lazy':
        return this.call(o.load(), args, kwargs, r);
      case 'set':
        return this.unsupported('calling a set', r);
    }
  }

  /** Binds Python call arguments to a user function's parameters. */
  private bindParams(fn: UserFunction, args: PyValue[], kwargs: Map<string, PyValue>, frame: Frame, r: Range | null): boolean {
    let ai = 0;
    const usedKw = new Set<string>();
    let ok = true;
    for (const p of fn.params) {
      if (p.kind === 'star') {
        frame.locals.set(p.name, { kind: 'tuple', items: args.slice(ai) });
        ai = args.length;
      } else if (p.kind === 'dstar') {
        const entries = new Map<string, PyValue>();
        const keys: PyValue[] = [];
        for (const [k, v] of kwargs) if (!usedKw.has(k)) this.dictSet(entries, keys, pyStr(k), v);
        frame.locals.set(p.name, { kind: 'dict', entries, keys });
      } else if (!p.keywordOnly && ai < args.length) {
        frame.locals.set(p.name, args[ai++]);
        if (kwargs.has(p.name)) {
          this.diag('error', 'call-args', `${fn.name}() got multiple values for argument '${p.name}'`, r);
          ok = false;
        }
      } else if (kwargs.has(p.name)) {
        frame.locals.set(p.name, kwargs.get(p.name)!);
        usedKw.add(p.name);
      } else if (fn.defaults.has(p.name)) frame.locals.set(p.name, fn.defaults.get(p.name)!);
      else {
        this.diag('error', 'call-args', `${fn.name}() missing required argument '${p.name}'`, r);
        frame.locals.set(p.name, unknown(`missing argument ${p.name}`));
        ok = false;
      }
    }
    if (ai < args.length) {
      this.diag('error', 'call-args', `${fn.name}() takes ${ai} positional arguments but ${args.length} were given`, r);
      ok = false;
    }
    if (!fn.params.some((p) => p.kind === 'dstar')) {
      for (const k of kwargs.keys()) {
        if (!fn.params.some((p) => p.name === k && p.kind === 'normal')) {
          this.diag('error', 'call-args', `${fn.name}() got an unexpected keyword argument '${k}'`, r);
          ok = false;
        }
      }
    }
    return ok;
  }

  callUser(fn: UserFunction, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    if (this.depth > 150) {
      this.diag('warning', 'recursion', `call nesting deeper than 150 at ${fn.qualname}; result unknown`, r);
      return unknown('recursion limit');
    }
    const traced = this.rec.active && fn.scope.file === this.opts.file;
    const frame = new Frame(fn.closure, fn.scope, fn.name, fn.qualname, null, traced, fn);
    this.bindParams(fn, args, kwargs, frame, r);
    if (traced) frame.owner = this.ownerOf(fn, frame);
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

  /**
   * The oracle's `owner`: the path of the local `self` (a parameter, or a free variable the function uses)
   * when it is a module; for lambdas and comprehensions, the owner of the traced caller.
   */
  private ownerOf(fn: UserFunction, frame: Frame): string | null {
    let selfV = frame.locals.get('self');
    if (!selfV && usesName(fn, 'self')) {
      for (let f = frame.parent; f && !selfV; f = f.parent) selfV = f.locals.get('self');
    }
    const inst = selfV ? instanceOf(selfV) : null;
    if (inst?.isModule) return this.paths.get(inst) ?? null;
    if (fn.name.startsWith('<')) return this.frame?.traced ? this.frame.owner : null;
    return null;
  }

  /** Binds arguments to an op's ParamSpec list, as Python would. */
  bindSpec(spec: readonly ParamSpec[], args: readonly PyValue[], kwargs: ReadonlyMap<string, PyValue>, what: string): BoundArgs | string {
    const out: Record<string, PyValue> = {};
    let ai = 0;
    const used = new Set<string>();
    /** The keyword that binds `p` (its name or one of torch's aliases), or an error when several do. */
    const keywordOf = (p: ParamSpec): string | null | { error: string } => {
      if (kwargs.size === 0) return null; // the common case: no allocation
      let found: string | null = kwargs.has(p.name) ? p.name : null;
      for (const a of p.aliases ?? []) {
        if (a === p.name || !kwargs.has(a)) continue;
        if (found) return { error: `${what}() got multiple values for argument '${p.name}' (${found}=, ${a}=)` };
        found = a;
      }
      return found;
    };
    for (const p of spec) {
      if (p.variadic === 'args') {
        const rest = args.slice(ai);
        ai = args.length;
        // Native ops take a `*size` sequence as one keyword too: `torch.zeros(size=(2, 3))` is `torch.zeros((2, 3))`.
        const k = p.aliases?.length ? keywordOf(p) : null;
        if (k && typeof k === 'object') return k.error;
        if (k && rest.length) return `${what}() got multiple values for argument '${p.name}'`;
        if (k) used.add(k);
        out[p.name] = { kind: 'tuple', items: k ? [kwargs.get(k)!] : rest };
      } else if (p.variadic === 'kwargs') {
        const entries = new Map<string, PyValue>();
        const keys: PyValue[] = [];
        for (const [k, v] of kwargs) if (!used.has(k)) (entries.set(k, v), keys.push(pyStr(k)));
        out[p.name] = { kind: 'dict', entries, keys };
      } else {
        const k = keywordOf(p);
        if (k && typeof k === 'object') return k.error;
        if (!p.keywordOnly && ai < args.length) {
          if (k) return `${what}() got multiple values for argument '${p.name}'`;
          out[p.name] = args[ai++];
        } else if (k) {
          out[p.name] = kwargs.get(k)!;
          used.add(k);
        } else if (p.default !== undefined) out[p.name] = p.default;
        else return `${what}() missing required argument '${p.name}'`;
      }
    }
    if (ai < args.length) return `${what}() takes ${ai} positional arguments but ${args.length} were given`;
    if (!spec.some((p) => p.variadic === 'kwargs')) {
      for (const k of kwargs.keys()) if (!used.has(k)) return `${what}() got an unexpected keyword argument '${k}'`;
    }
    return out;
  }

  private ctx: InferContext | null = null;

  inferContext(): InferContext {
    return (this.ctx ??= { tensor: (shape: Shape | null, dtype: DType) => this.rec.tensor(shape, dtype) });
  }

  callOpKey(key: string, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    const def = functionOp(key);
    if (!def) {
      if (args.some((a) => a.kind === 'unknown')) return unknown(`${key} of an unknown value`);
      this.diag('warning', 'unsupported', `unsupported operation ${key}`, r);
      return unknown(`unsupported ${key}`);
    }
    return this.callOp(def, key, args, kwargs, r);
  }

  /** Calls a registry function/method/operator: binds, infers, records the graph node, reports shape errors. */
  callOp(def: FunctionOpDef, key: string, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    const bound = this.bindSpec(def.signature, args, kwargs, key);
    if (typeof bound === 'string') {
      this.diag('error', 'call-args', bound, r);
      return unknown(bound);
    }
    let out: PyValue;
    try {
      out = def.infer(bound, this.inferContext());
    } catch (e) {
      return this.opFailure(e, def.name, r);
    }
    let mutated: Tensor | null = null;
    if (def.inPlace) {
      const self = bound[def.signature[0]?.name ?? ''];
      if (self?.kind === 'tensor') mutated = self as Tensor;
      out = this.markInPlace(out, self);
    }
    out = this.ensureTensors(out);
    const init = CREATION_INIT[def.name];
    if (init && out.kind === 'tensor') this.initOf.set((out as Tensor).obj, init(bound));
    if (out.kind === 'tensor') {
      const vals = creationValues(def.name, bound, out.dtype) ?? derivedValues(def.name, bound, out, (t) => (t.kind === 'tensor' ? this.constValues.get(t as Tensor) : undefined));
      if (vals && vals.length === shapeNumel(out.shape)) this.constValues.set(out as Tensor, vals);
    }
    if (this.rec.active) this.addNode(def.name, null, {}, bound, out, 0, def.flops ? safeFlops(() => def.flops!(bound, out)) : 0, r);
    // The mutated tensor's values now describe only its old version (already in the graph as this node's input):
    // an alias that still holds the old version must not read them as current.
    if (mutated) this.constValues.delete(mutated);
    return out;
  }

  opFailure(e: unknown, op: string, r: Range | null, extra: Partial<Pick<Diagnostic, 'hint' | 'fix'>> = {}): PyValue {
    if (e instanceof ShapeError) {
      this.diag('error', errorCode(op, e.message), e.message, r, { ...(e.hint ? { hint: e.hint } : {}), ...extra });
      return unknown(`${op} failed: ${e.message}`);
    }
    if (e instanceof UnknownArgError) return unknown(e.message);
    if (e instanceof BudgetExceeded || e instanceof PyRaise) throw e;
    this.diag('warning', 'internal', `${op}: ${e instanceof Error ? e.message : String(e)}`, r);
    return unknown(`${op} failed`);
  }

  /** In-place ops keep the first argument's identity (the oracle's tracer sees the same object). */
  markInPlace(out: PyValue, self: PyValue | undefined): PyValue {
    if (out.kind !== 'tensor' || !self || self.kind !== 'tensor') return out;
    const s = self as Tensor;
    const t: Tensor = { ...(out as Tensor), obj: s.obj, version: s.version + 1 };
    // Every local of the running frame that holds this object now sees the mutated tensor, as in Python.
    const f = this.frame;
    if (f) {
      for (const [k, v] of f.locals) {
        if (v.kind === 'tensor' && (v as Tensor).obj === s.obj) f.locals.set(k, t);
        else if (v.kind === 'list') for (let i = 0; i < v.items.length; i++) if (v.items[i].kind === 'tensor' && (v.items[i] as Tensor).obj === s.obj) v.items[i] = t;
      }
    }
    // So do the model's modules holding it (`self.mask[:, :4] = 1` is seen by later reads of `self.mask`).
    if (this.rec.active) for (const inst of this.paths.keys()) rebindHeld(inst, s.obj, t);
    return t;
  }

  /** Tensors made by rules without ctx.tensor get an identity too. */
  ensureTensors(v: PyValue): PyValue {
    if (v.kind === 'tensor') {
      if ((v as Partial<Tensor>).obj === undefined) return this.rec.tensor(v.shape, v.dtype);
      return v;
    }
    if (v.kind === 'tuple') return v.items.some((x) => x.kind === 'tensor' && (x as Partial<Tensor>).obj === undefined) ? { ...v, items: v.items.map((x) => this.ensureTensors(x)) } : v;
    if (v.kind === 'list') {
      for (let i = 0; i < v.items.length; i++) v.items[i] = this.ensureTensors(v.items[i]);
    }
    return v;
  }

  addNode(op: string, modulePath: string | null, attrs: BoundArgs, args: BoundArgs, out: PyValue, params: number, flops: number, r: Range | null): void {
    const id = this.rec.newNodeId();
    const inputs: string[] = [];
    const argAttrs: Record<string, import('../graph/modelGraph').AttrValue> = {};
    for (const [k, v] of Object.entries(args)) {
      argAttrs[k] = attrValue(v);
      // Tensors made before the traced run (plain tensor attributes set in __init__) enter the graph as constants.
      collectTensorIds(v, inputs, 0, (t) => {
        if (this.rec.values.has(t.id)) return;
        const param = this.paramObjs.has(t.obj);
        // A constant's element values, when known (e.g. `self.offset = torch.zeros(…)`), let export write it.
        const vals = param ? undefined : this.constValues.get(t) ?? (t.version === 0 ? initRuleValues(this.initOf.get(t.obj), t.shape) ?? undefined : undefined);
        this.rec.values.set(t.id, { id: t.id, shape: t.shape, dtype: t.dtype, source: param ? 'param' : 'const', producer: null, ...(vals ? { constValue: vals } : {}) });
      });
    }
    let attrOut = attrCache.get(attrs);
    if (!attrOut) {
      attrOut = {};
      for (const [k, v] of Object.entries(attrs)) attrOut[k] = attrValue(v);
      attrCache.set(attrs, attrOut);
    }
    const outputs: string[] = [];
    collectTensorIds(out, outputs, 0);
    const fresh = outputs.filter((o) => !inputs.includes(o));
    this.rec.setProducer(fresh, id);
    this.rec.addNode({
      id,
      op,
      modulePath,
      scope: this.rec.stack.length ? this.rec.stack[this.rec.stack.length - 1].path : '',
      attrs: attrOut,
      args: argAttrs,
      inputs,
      outputs,
      params,
      flops: Number.isFinite(flops) ? flops : 0,
      range: this.rec.range(r, this.currentFile),
      callPath: this.rec.stack.map((c) => c.path),
    });
  }

  // ---------------------------------------------------------------- attributes and items

  getAttr(v: PyValue, name: string, r: Range | null): PyValue {
    switch (v.kind) {
      case 'unknown':
        return v;
      case 'tensor':
        return this.tensorAttr(v as Tensor, name, r);
      case 'tuple':
      case 'list':
      case 'dict':
      case 'str':
      case 'int':
      case 'float':
      case 'bool':
      case 'none':
        return this.valueMethod(v, name, r);
      case 'object': {
        const o = asObject(v);
        if (!o) {
          if (v.typeName === 'torch.dtype') {
            if (name === 'is_floating_point') return pyBool(String(v.ref).startsWith('float') || v.ref === 'bfloat16');
            if (name === 'itemsize') return pyInt(/64/.test(String(v.ref)) ? 8 : /16/.test(String(v.ref)) ? 2 : /8|bool/.test(String(v.ref)) ? 1 : 4);
          }
          return unknown(`attribute ${name} of ${v.typeName}`);
        }
        switch (o.t) {
          case 'instance':
            return instanceGetAttr(this, o.inst, name, r);
          case 'class':
            return this.classAttr(o.cls, name, r, null);
          case 'namespace':
            return namespaceAttr(this, o.path, name, r);
          case 'pymodule': {
            const g = o.scope.globals.get(name);
            if (g) return this.forceIn(o.scope.globals, name, g);
            this.diag('warning', 'unknown-name', `module '${o.scope.name}' has no attribute '${name}'`, r);
            return unknown(`${o.scope.name}.${name}`);
          }
          case 'super': {
            // super(cls, self) searches type(self)'s MRO after cls.
            const selfInst = instanceOf(o.self);
            const full = selfInst && selfInst.cls.t === 'user' ? selfInst.cls.cls.mro : o.cls.mro;
            const at = full.findIndex((c) => c.t === 'user' && c.cls === o.cls);
            const mro = at >= 0 ? full.slice(at + 1) : o.cls.mro.slice(1);
            for (const c of mro) {
              const found = this.lookupInClass(c, name);
              if (found) return this.bindFromClass(found, o.self, c);
              if (c.t === 'torch') return this.torchClassMember(c, name, o.self, r);
            }
            return this.unsupported(`super().${name}`, r);
          }
          case 'func': {
            const set = o.fn.attrs.get(name);
            if (set) return set;
            if (name === '__name__') return pyStr(o.fn.name);
            if (name === '__qualname__') return pyStr(o.fn.qualname);
            if (name === '__module__') return pyStr(o.fn.scope.name);
            return unknown(`function attribute ${name}`);
          }
          case 'opaque':
            return obj({ t: 'builtin', name, call: () => NONE }, 'builtin_function_or_method');
          case 'set':
            return obj({ t: 'builtin', name, call: (args) => setMethod(v, name, args, (x) => this.iterate(x, r)) }, 'builtin_function_or_method');
          default:
            return unknown(`attribute ${name} of ${v.typeName}`);
        }
      }
      default:
        return this.unsupported(`attribute ${name} of ${v.kind}`, r);
    }
  }

  /** Looks `name` up in a class's MRO; returns the raw class-namespace value. */
  lookupInClass(c: ClassRef, name: string): PyValue | null {
    if (c.t !== 'user') return null;
    return c.cls.ns.get(name) ?? null;
  }

  /** Turns a class-namespace value into what attribute access on an instance yields. */
  bindFromClass(raw: PyValue, self: PyValue, cls: ClassRef): PyValue {
    const o = asObject(raw);
    if (!o) return raw;
    // Python functions bind as methods; so does the __init__ that @dataclass generates (other builtins do not).
    if (o.t === 'func' || (o.t === 'builtin' && o.name === '__init__')) return obj({ t: 'bound', self, fn: raw }, 'method');
    if (o.t === 'staticmethod') return o.fn;
    if (o.t === 'classmethod') {
      const inst = instanceOf(self);
      const clsv = inst ? obj({ t: 'class', cls: inst.cls }, 'type') : obj({ t: 'class', cls }, 'type');
      return obj({ t: 'bound', self: clsv, fn: o.fn }, 'method');
    }
    if (o.t === 'property') return this.call(o.fn, [self], new Map(), this.site.range);
    return raw;
  }

  classAttr(c: ClassRef, name: string, r: Range | null, self: PyValue | null): PyValue {
    const mro = c.t === 'user' ? c.cls.mro : [c];
    for (const k of mro) {
      const raw = this.lookupInClass(k, name);
      if (raw) {
        const o = asObject(raw);
        if (o && o.t === 'classmethod') return obj({ t: 'bound', self: obj({ t: 'class', cls: c }, 'type'), fn: o.fn }, 'method');
        if (o && o.t === 'staticmethod') return o.fn;
        return raw;
      }
    }
    if (name === '__name__') return pyStr(c.t === 'user' ? c.cls.name : c.type);
    if (name === '__init__' || name === 'forward' || name === '__call__') {
      for (const k of mro) if (k.t === 'torch') return this.torchClassMember(k, name, self ?? NONE, r);
    }
    this.diag('warning', 'unknown-name', `class ${c.t === 'user' ? c.cls.name : c.type} has no attribute '${name}'`, r);
    return unknown(`class attribute ${name}`);
  }

  /** Members of torch base classes reached through super() or a class (`nn.Module.__init__`). */
  torchClassMember(c: Extract<ClassRef, { t: 'torch' }>, name: string, self: PyValue, r: Range | null): PyValue {
    const inst = instanceOf(self);
    if (name === '__init__') {
      return obj({ t: 'builtin', name: '__init__', call: (args, kwargs, site) => {
        const target = inst ?? instanceOf(args[0] ?? NONE);
        const rest = inst ? args : args.slice(1);
        return target ? this.torchInit(c, target, rest, kwargs, site.range) : NONE;
      } }, 'builtin_function_or_method');
    }
    if (inst) return instanceGetAttr(this, inst, name, r, true);
    return this.unsupported(`${c.type}.${name}`, r);
  }

  torchInit(c: Extract<ClassRef, { t: 'torch' }>, inst: Instance, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
    return initTorchBase(this, c, inst, args, kwargs, r);
  }

  setAttr(target: PyValue, name: string, v: PyValue, r: Range | null): void {
    const o = asObject(target);
    if (o && o.t === 'instance') {
      instanceSetAttr(this, o.inst, name, v, r);
      return;
    }
    if (o && o.t === 'class' && o.cls.t === 'user') {
      o.cls.cls.ns.set(name, v);
      return;
    }
    if (o && o.t === 'pymodule') {
      o.scope.globals.set(name, v);
      return;
    }
    if (o && o.t === 'func') {
      o.fn.attrs.set(name, v);
      return;
    }
    if (target.kind === 'unknown') return;
    this.diag('info', 'unsupported', `attribute assignment on ${target.kind === 'object' ? target.typeName : target.kind} is ignored`, r);
  }

  getItem(v: PyValue, index: PyValue, r: Range | null): PyValue {
    switch (v.kind) {
      case 'unknown':
        return v;
      case 'tensor': {
        const out = this.callOpKey(functionOp('op.getitem') ? 'op.getitem' : 'Tensor.__getitem__', [v, index], new Map(), r);
        const row = rowValues(this.constValues.get(v as Tensor), (v as Tensor).shape, index);
        if (row && out.kind === 'tensor') this.constValues.set(out as Tensor, row);
        return out;
      }
      case 'tuple':
      case 'list':
      case 'str': {
        const len = v.kind === 'str' ? v.value.length : v.items.length;
        if (index.kind === 'slice') {
          const sl = this.sliceIndices(index, len);
          if (!sl) return unknown('slice with unknown bounds');
          if (v.kind === 'str') return pyStr(sl.map((i) => v.value[i]).join(''));
          const items = sl.map((i) => v.items[i]);
          return v.kind === 'list' ? { kind: 'list', items } : { kind: 'tuple', items, ...(v.isSize ? { isSize: true } : {}) };
        }
        const i = index.kind === 'int' ? index.dim.value : index.kind === 'bool' ? Number(index.value) : null;
        if (i === null) {
          if (index.kind === 'int' || index.kind === 'unknown') return unknown('index not known');
          return this.unsupported(`indexing a ${v.kind} with ${index.kind}`, r);
        }
        const j = i < 0 ? len + i : i;
        // Raised, not reported: a try/except may expect it; uncaught, it becomes the diagnostic of the run.
        if (j < 0 || j >= len) throw new PyRaise(`index ${i} is out of range for a ${v.kind} of length ${len}`, r, this.currentFile, 'IndexError');
        return v.kind === 'str' ? pyStr(v.value[j]) : v.items[j];
      }
      case 'dict': {
        const got = v.entries.get(dictKey(index));
        if (got) return got;
        if (index.kind === 'unknown') return unknown('dict key not known');
        throw new PyRaise(`key ${pyStrOf(index)} is not in the dict`, r, this.currentFile, 'KeyError');
      }
      case 'object': {
        const o = asObject(v);
        if (o?.t === 'instance') return moduleGetItem(this, o.inst, index, r);
        if (o?.t === 'builtin' && (v.typeName === 'type' || o.name.startsWith('abc.'))) return v; // List[int], Sequence[Tensor]: the type itself
        if (o?.t === 'class' || o?.t === 'namespace' || o?.t === 'opaque') return obj({ t: 'opaque', what: 'typing construct' }, 'typing');
        if (v.typeName === 'typing') return v;
        return this.unsupported(`subscript of ${v.typeName}`, r);
      }
      default:
        return this.unsupported(`subscript of ${v.kind}`, r);
    }
  }

  sliceIndices(s: Extract<PyValue, { kind: 'slice' }>, len: number): number[] | null {
    const n = (x: PyValue): number | null | undefined => (x.kind === 'none' ? undefined : x.kind === 'int' ? x.dim.value : null);
    const st = n(s.step);
    const step = st === undefined ? 1 : st;
    const start0 = n(s.start);
    const stop0 = n(s.stop);
    if (step === null || start0 === null || stop0 === null || step === 0) return null;
    const norm = (x: number, lo: number, hi: number) => {
      if (x < 0) x += len;
      return Math.min(Math.max(x, lo), hi);
    };
    const out: number[] = [];
    if (step > 0) {
      const a = start0 === undefined ? 0 : norm(start0, 0, len);
      const b = stop0 === undefined ? len : norm(stop0, 0, len);
      for (let i = a; i < b; i += step) out.push(i);
    } else {
      const a = start0 === undefined ? len - 1 : norm(start0, -1, len - 1);
      const b = stop0 === undefined ? -1 : norm(stop0, -1, len - 1);
      for (let i = a; i > b; i += step) out.push(i);
    }
    return out;
  }

  setItem(target: PyValue, index: PyValue, v: PyValue, r: Range | null): void {
    if (target.kind === 'list') {
      const i = index.kind === 'int' ? index.dim.value : null;
      if (i === null) return;
      const j = i < 0 ? target.items.length + i : i;
      if (j >= 0 && j < target.items.length) target.items[j] = v;
      return;
    }
    if (target.kind === 'dict') {
      this.dictSet(target.entries, target.keys, index, v);
      return;
    }
    const o = asObject(target);
    if (o?.t === 'instance') {
      moduleSetItem(this, o.inst, index, v, r);
      return;
    }
    if (target.kind === 'tensor') {
      // A graph node, so the write is not lost: export lowers Tensor.__setitem__ or refuses it by name.
      this.callOpKey('Tensor.__setitem__', [target, index, v], NO_KWARGS, r);
      return;
    }
    if (target.kind === 'unknown') return;
    this.unsupported(`item assignment on ${target.kind}`, r);
  }

  // ---------------------------------------------------------------- tensors

  tensorAttr(t: Tensor, name: string, r: Range | null): PyValue {
    switch (name) {
      case 'shape':
        return t.shape ? { kind: 'tuple', items: t.shape.map((d) => ({ kind: 'int', dim: d })), isSize: true } : unknown('shape of a tensor of unknown rank');
      case 'ndim':
        return t.shape ? pyInt(t.shape.length) : unknown('rank unknown');
      case 'dtype':
        return { kind: 'object', typeName: 'torch.dtype', ref: t.dtype };
      case 'device':
        return obj({ t: 'opaque', what: 'device' }, 'torch.device');
      case 'is_cuda':
        return pyBool(false);
      case 'requires_grad':
        return pyBool(false);
      case 'data':
        return t;
      case 'grad':
        return NONE;
      default: {
        const key = `Tensor.${name}`;
        const def = functionOp(key);
        if (def) return obj({ t: 'bound', self: t, fn: obj({ t: 'op', def, key }, 'method') }, 'method');
        const own = this.builtins.get(`Tensor.${name}`);
        if (own) return obj({ t: 'bound', self: t, fn: own }, 'method');
        this.diag('warning', 'unsupported', `unsupported tensor method or attribute '${name}'`, r);
        return unknown(`Tensor.${name}`);
      }
    }
  }

  /** Methods of Python lists, dicts, strings and ints (the ones model code uses). */
  valueMethod(v: PyValue, name: string, r: Range | null): PyValue {
    // Named tuples (torch.return_types.max …): a field name reads the item at its position.
    if (v.kind === 'tuple' && v.fields) {
      const at = v.fields.indexOf(name);
      if (at >= 0 && at < v.items.length) return v.items[at]!;
    }
    const m = this.builtins.get(`${v.kind}.${name}`);
    if (m) return obj({ t: 'bound', self: v, fn: m }, 'method');
    if (v.kind === 'tuple' && v.isSize) {
      const s = this.builtins.get(`size.${name}`);
      if (s) return obj({ t: 'bound', self: v, fn: s }, 'method');
    }
    return this.unsupported(`${v.kind}.${name}`, r);
  }

  binary(op: string, a: PyValue, b: PyValue, r: Range | null): PyValue {
    if (a.kind === 'unknown') return a;
    if (b.kind === 'unknown') return b;
    if (a.kind === 'tensor' || b.kind === 'tensor') return this.callOpKey(BIN_KEYS[op] ?? `op.${op}`, [a, b], new Map(), r);
    const v = pyBinary(op, a, b);
    if (v) return v;
    const sa = setItems(a);
    const sb = setItems(b);
    if (sa && sb && (op === '|' || op === '&' || op === '-' || op === '^')) {
      const name = op === '|' ? 'union' : op === '&' ? 'intersection' : op === '-' ? 'difference' : 'symmetric_difference';
      return setMethod(a, name, [b], (x) => this.iterate(x, r));
    }
    const ia = instanceOf(a);
    if (ia) {
      const dunder = { '+': '__add__', '*': '__mul__', '-': '__sub__', '@': '__matmul__' }[op];
      if (dunder) {
        const m = instanceGetAttr(this, ia, dunder, r, false, true);
        if (m.kind !== 'unknown') return this.call(m, [b], new Map(), r);
      }
    }
    return this.unsupported(`operator ${op} on ${a.kind} and ${b.kind}`, r);
  }

  augmented(op: string, cur: PyValue, rhs: PyValue, r: Range | null): PyValue {
    if (cur.kind === 'tensor') {
      const key = INPLACE_KEYS[op];
      const def = key ? functionOp(key) : undefined;
      if (def) return this.callOp(def, key, [cur, rhs], new Map(), r);
      return this.markInPlace(this.binary(op, cur, rhs, r), cur);
    }
    const ci = instanceOf(cur);
    if (ci && ci.container === 'ModuleList' && op === '+') {
      // ModuleList.__iadd__ extends in place.
      const m = instanceGetAttr(this, ci, 'extend', r);
      this.call(m, [rhs], NO_KWARGS, r);
      return cur;
    }
    if (cur.kind === 'list' && op === '+') {
      const items = this.iterate(rhs, r);
      if (items) cur.items.push(...items);
      return cur;
    }
    return this.binary(op, cur, rhs, r);
  }

  compare(op: string, a: PyValue, b: PyValue, r: Range | null): PyValue {
    switch (op) {
      case 'is':
      case 'is not': {
        const x = pyIs(a, b);
        return x === null ? unknown('identity of unknown values') : pyBool(op === 'is' ? x : !x);
      }
      case 'in':
      case 'not in': {
        const x = pyContains(b, a);
        return x === null ? unknown('membership in an unknown value') : pyBool(op === 'in' ? x : !x);
      }
    }
    if (a.kind === 'tensor' || b.kind === 'tensor') return this.callOpKey(CMP_KEYS[op], [a, b], new Map(), r);
    if (op === '==' || op === '!=') {
      const x = pyEquals(a, b);
      return x === null ? unknown('comparison of unknown values') : pyBool(op === '==' ? x : !x);
    }
    const x = pyOrder(op, a, b);
    return x === null ? unknown('comparison of unknown values') : pyBool(x);
  }

  /** The items a `for` loop would see; null (with a diagnostic when useful) when not known. */
  iterate(v: PyValue, r: Range | null): PyValue[] | null {
    switch (v.kind) {
      case 'tuple':
      case 'list':
        return [...v.items];
      case 'dict':
        return [...v.keys];
      case 'str':
        return [...v.value].map(pyStr);
      case 'unknown':
        return null;
      case 'tensor': {
        const t = v as Tensor;
        const n = t.shape?.[0]?.value;
        if (n === undefined || n === null || n > 4096) return null;
        const out: PyValue[] = [];
        for (let i = 0; i < n; i++) out.push(this.getItem(t, pyInt(i), r));
        return out;
      }
      case 'object': {
        const o = asObject(v);
        if (o?.t === 'instance') return moduleIter(this, o.inst, r);
        if (o?.t === 'set') return [...o.items];
        if (o?.t === 'opaque') return null;
        this.unsupported(`iteration over ${v.typeName}`, r);
        return null;
      }
      default:
        this.unsupported(`iteration over ${v.kind}`, r);
        return null;
    }
  }

  length(v: PyValue, r: Range | null): PyValue {
    if (v.kind === 'tuple' || v.kind === 'list') return pyInt(v.items.length);
    if (v.kind === 'dict') return pyInt(v.keys.length);
    if (v.kind === 'str') return pyInt(v.value.length);
    if (v.kind === 'tensor') return v.shape && v.shape.length ? { kind: 'int', dim: v.shape[0] } : unknown('len of a tensor');
    const inst = instanceOf(v);
    if (inst) return moduleLen(this, inst, r);
    const si = setItems(v);
    if (si) return pyInt(si.length);
    if (v.kind === 'unknown') return v;
    return this.unsupported(`len() of ${v.kind}`, r);
  }

  /** A fresh tensor with a concrete shape (used for inputs and parameters). */
  newTensor(shape: Shape, dtype: DType, source: 'input' | 'param' | 'buffer' | 'const' = 'const', name?: string): Tensor {
    return this.rec.tensor(shape, dtype, source, null, name, source === 'input');
  }

  shapeOfNumbers(ns: readonly number[]): Shape {
    return ns.map((n) => dim(n));
  }
}

import { initTorchBase } from './moduleRuntime';

/** Serialised constructor arguments per module (they never change after construction). */
const attrCache = new WeakMap<BoundArgs, Record<string, import('../graph/modelGraph').AttrValue>>();

const EXC_PARENTS: Record<string, string> = { IndexError: 'LookupError', KeyError: 'LookupError', ZeroDivisionError: 'ArithmeticError', ModuleNotFoundError: 'ImportError', FileNotFoundError: 'OSError', NotImplementedError: 'RuntimeError' };

/** Whether an `except` clause catches an exception of this class (by name, with the builtin hierarchy). */
function handles(type: Expr | null, exc: string): boolean {
  if (!type) return true;
  if (type.k === 'tuple') return type.elts.some((t) => handles(t, exc));
  const name = type.k === 'name' ? type.id : type.k === 'attr' ? type.name : '';
  if (name === 'Exception' || name === 'BaseException' || name === '') return true;
  for (let e: string | undefined = exc; e; e = EXC_PARENTS[e]) if (e === name) return true;
  return false;
}

function decoratorName(d: Expr): string {
  return d.k === 'name' ? d.id : d.k === 'attr' ? d.name : d.k === 'call' && d.func.k === 'attr' ? d.func.name : d.k === 'call' && d.func.k === 'name' ? d.func.id : '';
}

const namesCache = new WeakMap<object, Set<string>>();

/** Whether a function's body mentions `name` (free variables appear in Python's f_locals only when used). */
function usesName(fn: UserFunction, name: string): boolean {
  const key = 'expr' in fn.body ? fn.body.expr : fn.body.stmts;
  let names = namesCache.get(key);
  if (!names) {
    names = new Set();
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      if (Array.isArray(v)) {
        for (const x of v) walk(x);
        return;
      }
      const o = v as { k?: string; id?: string };
      if (o.k === 'name' && typeof o.id === 'string') names!.add(o.id);
      for (const [k, x] of Object.entries(o)) if (k !== 'r' && k !== 'nameRange' && typeof x === 'object') walk(x);
    };
    walk(key);
    namesCache.set(key, names);
  }
  return names.has(name);
}

function isLiteralInt(e: Expr): boolean {
  if (e.k === 'int') return true;
  if (e.k === 'bin') return isLiteralInt(e.left) && isLiteralInt(e.right);
  if (e.k === 'unary') return isLiteralInt(e.operand);
  return false;
}

function safeFlops(f: () => number): number {
  try {
    const v = f();
    return Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}

function collectTensorIds(v: PyValue, out: string[], depth: number, seen?: (t: Tensor) => void): void {
  if (v.kind === 'tensor') {
    if (!out.includes(v.id)) out.push(v.id);
    seen?.(v as Tensor);
  } else if ((v.kind === 'tuple' || v.kind === 'list') && depth < 4) for (const x of v.items) collectTensorIds(x, out, depth + 1, seen);
  else if (v.kind === 'dict' && depth < 4) for (const x of v.entries.values()) collectTensorIds(x, out, depth + 1, seen);
}

/** Stable diagnostic codes by op family. */
export function errorCode(op: string, message = ''): string {
  if (/(^|\.)(cat|stack|concat|concatenate|hstack|vstack)$/.test(op)) return 'cat-mismatch';
  if (/Conv/i.test(op) || /conv\d?d$/.test(op)) return /channel/i.test(message) ? 'conv-channels' : 'shape-error';
  if (/Linear$|\.linear$/.test(op)) return 'linear-in-features';
  if (/\.(view|reshape|flatten|unflatten|view_as|reshape_as)$/.test(op)) return 'view-mismatch';
  if (op.startsWith('op.') || /\.(add|sub|mul|div|where|maximum|minimum)$/.test(op)) return 'broadcast';
  return 'shape-error';
}

/** A simple C3-like MRO: depth-first, left to right, each class after all its subclasses. */
export function computeMro(cls: UserClass): ClassRef[] {
  const self: ClassRef = { t: 'user', cls };
  const seqs: ClassRef[][] = cls.bases.map((b) => (b.t === 'user' ? [...b.cls.mro] : [b]));
  const out: ClassRef[] = [self];
  const key = (c: ClassRef) => (c.t === 'user' ? c.cls : c.type);
  const lists = [...seqs.map((s) => [...s]), cls.bases.map((b) => b)];
  for (let guard = 0; guard < 1000; guard++) {
    const nonEmpty = lists.filter((l) => l.length);
    if (!nonEmpty.length) break;
    let pick: ClassRef | null = null;
    for (const l of nonEmpty) {
      const cand = l[0];
      if (!nonEmpty.some((m) => m.slice(1).some((x) => key(x) === key(cand)))) {
        pick = cand;
        break;
      }
    }
    if (!pick) pick = nonEmpty[0][0];
    out.push(pick);
    const k = key(pick);
    for (const l of lists) {
      const i = l.findIndex((x) => key(x) === k);
      if (i >= 0) l.splice(i, 1);
    }
  }
  return out;
}

/** Points a module's buffers, parameters and tensor attributes that are object `obj` at its new version `t`. */
function rebindHeld(inst: Instance, obj: number, t: Tensor): void {
  for (const [k, b] of inst.buffers) if (b && b.obj === obj) inst.buffers.set(k, t);
  for (const [k, p] of inst.params) if (p && p.obj === obj) inst.params.set(k, t);
  for (const [k, v] of inst.dict) if (v.kind === 'tensor' && (v as Tensor).obj === obj) inst.dict.set(k, t);
}

/** What the user reads when code nests deeper than the analysis's own call stack reaches. */
export const TOO_DEEP = 'this code nests too deeply for the analysis (its call stack ran out); what depends on it is unknown';

/** V8's RangeError for an exhausted call stack (deeply nested expressions, calls or data). */
export function isStackExhausted(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
