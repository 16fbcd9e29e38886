// Statements of the Python subset: control flow, assignment targets, name binding and lookup.
import type { Expr, Range, Stmt } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator, Signal } from './evaluator';
import { PyRaise } from './errors';
import type { Frame, StmtInfo } from './frame';
import { stmtInfo } from './lineTracer';
import { asObject, instanceOf, obj, unknown, type FrameLike, type Instance } from './objects';
import { deleteAttr, userOverride } from './dataModel';
import { pyStrOf, truthy } from './pyOps';
import { dictKey } from './tensorLeaves';
import { importFrom, importModule } from './imports';

/**
 * `with A() as a, B() as b:` as Python runs it: for a user class, `__enter__()`'s value is bound and `__exit__` runs
 * when the block ends (with the exception when one leaves it; a true result swallows it). Other context managers
 * (torch.no_grad(), opaque library objects) are bound as they are.
 */
function execWith(ev: Evaluator, s: Extract<Stmt, { k: 'with' }>, i: number, frame: Frame): Signal {
  if (i === s.items.length) return execBlock(ev, s.body, frame);
  const it = s.items[i]!;
  const mgr = ev.eval(it.ctx, frame);
  const inst = instanceOf(mgr);
  const user = inst && inst.cls.t === 'user' && ev.lookupInClass(inst.cls, '__enter__') && ev.lookupInClass(inst.cls, '__exit__');
  if (!user) {
    if (it.target) assign(ev, it.target, mgr, frame);
    return execWith(ev, s, i + 1, frame);
  }
  const entered = ev.call(ev.getAttr(mgr, '__enter__', it.ctx.r), [], new Map(), it.ctx.r);
  if (it.target) assign(ev, it.target, entered, frame);
  let sig: Signal;
  try {
    sig = execWith(ev, s, i + 1, frame);
  } catch (e) {
    if (!(e instanceof PyRaise)) throw e;
    const exc: PyValue = { kind: 'str', value: e.message };
    const swallow = ev.call(ev.getAttr(mgr, '__exit__', it.ctx.r), [{ kind: 'str', value: e.excType }, exc, NONE], new Map(), it.ctx.r);
    if (truthy(swallow) === true) return null;
    throw e;
  }
  ev.call(ev.getAttr(mgr, '__exit__', it.ctx.r), [NONE, NONE, NONE], new Map(), it.ctx.r);
  return sig;
}

export function execBlock(ev: Evaluator, stmts: readonly Stmt[], frame: Frame): Signal {
  for (const s of stmts) {
    const sig = execStmt(ev, s, frame);
    if (sig) return sig;
  }
  return null;
}

export function lineEvent(ev: Evaluator, frame: Frame, s: Stmt): StmtInfo {
  const info = stmtInfo(s);
  ev.tracer.line(frame, info);
  return info;
}

export function execStmt(ev: Evaluator, s: Stmt, frame: Frame): Signal {
  ev.tick();
  switch (s.k) {
    case 'expr':
      lineEvent(ev, frame, s);
      ev.eval(s.value, frame);
      return null;
    case 'assign': {
      lineEvent(ev, frame, s);
      const v = ev.eval(s.value, frame);
      for (const t of s.targets) assign(ev, t, v, frame);
      return null;
    }
    case 'annassign':
      lineEvent(ev, frame, s);
      if (s.value) assign(ev, s.target, ev.eval(s.value, frame), frame);
      return null;
    case 'augassign': {
      lineEvent(ev, frame, s);
      if (s.target.k === 'sub') {
        // `x[i] += y` evaluates x and i once: x.__setitem__(i, x.__getitem__(i).__iadd__(y)).
        const target = ev.eval(s.target.obj, frame);
        const index = ev.eval(s.target.index, frame);
        const cur = ev.getItem(target, index, s.target.r);
        const rhs = ev.eval(s.value, frame);
        ev.setItem(target, index, ev.augmented(s.op, cur, rhs, s.r), s.target.r);
        return null;
      }
      const cur = ev.eval(s.target, frame);
      const rhs = ev.eval(s.value, frame);
      assign(ev, s.target, ev.augmented(s.op, cur, rhs, s.r), frame);
      return null;
    }
    case 'return': {
      lineEvent(ev, frame, s);
      return { k: 'return', value: s.value ? ev.eval(s.value, frame) : NONE };
    }
    case 'pass':
      lineEvent(ev, frame, s);
      return null;
    case 'break':
      lineEvent(ev, frame, s);
      return { k: 'break' };
    case 'continue':
      lineEvent(ev, frame, s);
      return { k: 'continue' };
    case 'if': {
      lineEvent(ev, frame, s);
      const c = truthy(ev.eval(s.test, frame));
      if (c === null) {
        ev.diag('info', 'unknown-condition', 'condition is not known at analysis time; assuming it is true', s.test.r);
        return execBlock(ev, s.body, frame);
      }
      return execBlock(ev, c ? s.body : s.orelse, frame);
    }
    case 'for':
      return execFor(ev, s, frame);
    case 'while': {
      let guard = 0;
      for (;;) {
        lineEvent(ev, frame, s);
        const c = truthy(ev.eval(s.test, frame));
        if (c === null) {
          ev.diag('warning', 'unknown-condition', 'while condition is not known at analysis time; loop skipped', s.test.r);
          return null;
        }
        if (!c) return execBlock(ev, s.orelse, frame);
        if (++guard > 10000) {
          ev.diag('warning', 'loop-budget', 'while loop ran more than 10000 times; stopped', s.r);
          return null;
        }
        const sig = execBlock(ev, s.body, frame);
        if (sig?.k === 'break') return null;
        if (sig?.k === 'return') return sig;
      }
    }
    case 'with': {
      lineEvent(ev, frame, s);
      return execWith(ev, s, 0, frame);
    }
    case 'try': {
      lineEvent(ev, frame, s);
      let sig: Signal = null;
      ev.tryHandlers.push((exc) => s.handlers.some((x) => handles(x.type, exc)));
      try {
        sig = execBlock(ev, s.body, frame);
      } catch (e) {
        ev.tryHandlers.pop();
        if (!(e instanceof PyRaise)) throw e;
        const h = s.handlers.find((x) => handles(x.type, e.excType));
        if (!h) throw e;
        if (h.name) frame.locals.set(h.name, obj({ t: 'opaque', what: e.excType }, e.excType));
        sig = execBlock(ev, h.body, frame);
        return sig ?? execBlock(ev, s.final, frame);
      }
      ev.tryHandlers.pop();
      if (!sig) sig = execBlock(ev, s.orelse, frame);
      const fin = execBlock(ev, s.final, frame);
      return fin ?? sig;
    }
    case 'raise': {
      lineEvent(ev, frame, s);
      let msg = 'exception';
      let type = 'Exception';
      if (s.exc) {
        const ex = s.exc;
        if (ex.k === 'call') {
          if (ex.func.k === 'name') type = ex.func.id;
          const first = ex.args[0];
          if (first && first.kind === 'pos') msg = pyStrOf(ev.eval(first.value, frame));
        } else if (ex.k === 'name') type = ex.id;
      }
      throw new PyRaise(msg, s.r, frame.scope.file, type);
    }
    case 'assert': {
      lineEvent(ev, frame, s);
      const c = truthy(ev.eval(s.test, frame));
      if (c === false) {
        const msg = s.msg ? pyStrOf(ev.eval(s.msg, frame)) : 'assertion failed';
        throw new PyRaise(msg, s.r, frame.scope.file, 'AssertionError');
      }
      return null;
    }
    case 'del':
      lineEvent(ev, frame, s);
      for (const t of s.targets) deleteTarget(ev, t, frame);
      return null;
    case 'global':
      (frame.globalNames ??= new Set()).add(s.names[0]);
      for (const n of s.names) frame.globalNames.add(n);
      return null;
    case 'nonlocal':
      for (const n of s.names) (frame.nonlocalNames ??= new Set()).add(n);
      return null;
    case 'import':
      lineEvent(ev, frame, s);
      for (const n of s.names) importModule(ev, n.name, n.asname, frame, s.r);
      return null;
    case 'importfrom':
      lineEvent(ev, frame, s);
      importFrom(ev, s, frame);
      return null;
    case 'def':
      lineEvent(ev, frame, s);
      setName(ev, frame, s.name, ev.defineFunction(s, frame));
      return null;
    case 'class':
      lineEvent(ev, frame, s);
      setName(ev, frame, s.name, ev.defineClass(s, frame));
      return null;
    case 'unsupported':
      ev.unsupported(s.what, s.r);
      return null;
    case 'error':
      return null;
  }
}

export function execFor(ev: Evaluator, s: Extract<Stmt, { k: 'for' }>, frame: Frame): Signal {
  lineEvent(ev, frame, s);
  const items = ev.iterate(ev.eval(s.iter, frame), s.iter.r);
  if (!items) return null;
  let first = true;
  for (const item of items) {
    if (!first) lineEvent(ev, frame, s);
    first = false;
    ev.tick();
    assign(ev, s.target, item, frame);
    const sig = execBlock(ev, s.body, frame);
    if (sig?.k === 'break') return null;
    if (sig?.k === 'return') return sig;
  }
  if (!first) lineEvent(ev, frame, s);
  return execBlock(ev, s.orelse, frame);
}

export function setName(ev: Evaluator, frame: Frame, name: string, v: PyValue): void {
  if (frame.globalNames?.has(name)) frame.scope.globals.set(name, v);
  else if (frame.nonlocalNames?.has(name)) {
    let f: FrameLike | null = frame.parent;
    while (f && !f.locals.has(name)) f = f.parent;
    (f ?? frame).locals.set(name, v);
  } else if (frame.parent === null && frame.funcName === '<module>') frame.scope.globals.set(name, v);
  else frame.locals.set(name, v);
}

export function lookup(ev: Evaluator, name: string, frame: Frame, r: Range | null): PyValue {
  if (frame.funcName === '<module>') {
    const g = frame.scope.globals.get(name);
    if (g) return forceIn(ev, frame.scope.globals, name, g);
  } else if (!frame.globalNames?.has(name)) {
    let f: FrameLike | null = frame;
    while (f) {
      const v = f.locals.get(name);
      if (v) return forceIn(ev, f.locals, name, v);
      f = f.parent;
    }
  }
  const g = frame.scope.globals.get(name);
  if (g) return forceIn(ev, frame.scope.globals, name, g);
  const b = ev.builtins.get(name);
  if (b) return b;
  ev.diag('warning', 'unknown-name', `name '${name}' is not defined (or not known to the analysis)`, r);
  return unknown(`undefined name ${name}`);
}

/** Resolves a lazily imported name on first use and stores the result where it was bound. */
export function forceIn(ev: Evaluator, map: Map<string, PyValue>, name: string, v: PyValue): PyValue {
  const o = v.kind === 'object' ? asObject(v) : null;
  if (!o || o.t !== 'lazy') return v;
  map.set(name, unknown(`import cycle through ${name}`));
  const wasActive = ev.rec.active;
  ev.rec.active = false;
  let out: PyValue;
  try {
    out = o.load();
  } finally {
    ev.rec.active = wasActive;
  }
  map.set(name, out);
  return out;
}

/** Binds `v` to an assignment target (names, tuples with a starred element, attributes, subscripts). */
export function assign(ev: Evaluator, t: Expr, v: PyValue, frame: Frame): void {
  switch (t.k) {
    case 'name':
      setName(ev, frame, t.id, v);
      return;
    case 'tuple':
    case 'list': {
      const items = ev.iterate(v, t.r);
      const star = t.elts.findIndex((e) => e.k === 'starred');
      if (!items) {
        for (const e of t.elts) assign(ev, e.k === 'starred' ? e.value : e, unknown('unpacking of an unknown value'), frame);
        return;
      }
      if (star < 0) {
        if (items.length !== t.elts.length) {
          ev.diag('error', 'unpack', `cannot unpack ${items.length} values into ${t.elts.length} targets`, t.r);
          t.elts.forEach((e, i) => assign(ev, e, items[i] ?? unknown('missing value in unpacking'), frame));
          return;
        }
        t.elts.forEach((e, i) => assign(ev, e, items[i], frame));
        return;
      }
      const after = t.elts.length - star - 1;
      t.elts.forEach((e, i) => {
        if (i < star) assign(ev, e, items[i] ?? unknown('missing value'), frame);
        else if (i === star) assign(ev, (e as Extract<Expr, { k: 'starred' }>).value, { kind: 'list', items: items.slice(star, items.length - after) }, frame);
        else assign(ev, e, items[items.length - (t.elts.length - i)] ?? unknown('missing value'), frame);
      });
      return;
    }
    case 'attr':
      ev.setAttr(ev.eval(t.obj, frame), t.name, v, t.r);
      return;
    case 'sub':
      ev.setItem(ev.eval(t.obj, frame), ev.eval(t.index, frame), v, t.r);
      return;
    case 'starred':
      assign(ev, t.value, v, frame);
      return;
    default:
      ev.unsupported(`assignment to ${t.k}`, t.r);
  }
}

const EXC_PARENTS: Record<string, string> = {
  IndexError: 'LookupError',
  KeyError: 'LookupError',
  ZeroDivisionError: 'ArithmeticError',
  ModuleNotFoundError: 'ImportError',
  FileNotFoundError: 'OSError',
  NotImplementedError: 'RuntimeError',
};

/** Whether an `except` clause catches an exception of this class (by name, with the builtin hierarchy). */
function handles(type: Expr | null, exc: string): boolean {
  if (!type) return true;
  if (type.k === 'tuple') return type.elts.some((t) => handles(t, exc));
  const name = type.k === 'name' ? type.id : type.k === 'attr' ? type.name : '';
  if (name === 'Exception' || name === 'BaseException' || name === '') return true;
  for (let e: string | undefined = exc; e; e = EXC_PARENTS[e]) if (e === name) return true;
  return false;
}

/** `del name`, `del obj.attr`, `del obj[key]`, `del lst[a:b]` and tuples of them, as Python does. */
function deleteTarget(ev: Evaluator, t: Expr, frame: Frame): void {
  switch (t.k) {
    case 'name':
      frame.locals.delete(t.id);
      return;
    case 'tuple':
    case 'list':
      for (const x of t.elts) deleteTarget(ev, x, frame);
      return;
    case 'attr':
      deleteAttr(ev, ev.eval(t.obj, frame), t.name, t.r);
      return;
    case 'sub': {
      const o = ev.eval(t.obj, frame);
      const i = ev.eval(t.index, frame);
      if (o.kind === 'dict') {
        const key = dictKey(i);
        if (o.entries.delete(key))
          o.keys.splice(
            o.keys.findIndex((k) => dictKey(k) === key),
            1,
          );
        else if (i.kind !== 'unknown') throw new PyRaise(`key ${dictKey(i)} is not in the dict`, t.r, ev.currentFile, 'KeyError');
      } else if (o.kind === 'list' && i.kind === 'slice') {
        const sel = ev.sliceIndices(i, o.items.length);
        if (!sel) ev.diag('warning', 'unsupported', 'del of a slice with bounds not known at analysis time', t.r);
        else for (const j of [...sel].sort((a, b) => b - a)) o.items.splice(j, 1);
      } else if (o.kind === 'list' && i.kind === 'int' && i.dim.value !== null) {
        const j = i.dim.value < 0 ? o.items.length + i.dim.value : i.dim.value;
        if (j < 0 || j >= o.items.length) throw new PyRaise('list assignment index out of range', t.r, ev.currentFile, 'IndexError');
        o.items.splice(j, 1);
      } else {
        const inst = instanceOf(o);
        const own = inst ? userOverride(ev, inst, '__delitem__') : null;
        if (own) ev.call(own, [i], new Map(), t.r);
        else if (inst && inst.container) deleteModuleItem(inst, i);
        else if (o.kind !== 'unknown' && i.kind !== 'unknown')
          ev.diag('warning', 'unsupported', `del of an item of ${o.kind === 'object' ? o.typeName : o.kind} is not analysed`, t.r);
      }
      return;
    }
    default:
      ev.diag('warning', 'unsupported', 'del of this target is not analysed', t.r);
  }
}

/** `del seq[i]` / `del moduledict[key]` on torch containers (Sequential and ModuleList renumber, as PyTorch does). */
function deleteModuleItem(inst: Instance, i: PyValue): void {
  const keys = [...inst.modules.keys()];
  if (inst.container === 'ModuleDict' && i.kind === 'str') return void inst.modules.delete(i.value);
  if (i.kind !== 'int' || i.dim.value === null) return;
  const j = i.dim.value < 0 ? keys.length + i.dim.value : i.dim.value;
  if (keys[j] === undefined) return;
  inst.modules.delete(keys[j]);
  if (inst.container === 'ModuleList') {
    const rest = [...inst.modules.values()];
    inst.modules.clear();
    rest.forEach((m, n) => inst.modules.set(String(n), m));
  }
}
