// Expressions of the Python subset: literals, operators, comprehensions, lambdas and call expressions.
import type { Arg, Expr, Range } from '../python/ast';
import type { ParamSpec } from '../ops/types';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { Frame } from './frame';
import { asObject, instanceOf, obj, unknown } from './objects';
import { pyBinary, pyBool, pyInt, pyStr, pyStrOf, truthy } from './pyOps';
import { dictKey } from './tensorLeaves';
import { makeSet } from './pySet';

/** Calls without keywords share one empty map (callees only read it). */
export const NO_KWARGS: Map<string, PyValue> = new Map();
const UNARY_KEYS: Record<string, string> = { '-': 'op.neg', '+': 'op.pos', '~': 'op.invert' };

export function evalExpr(ev: Evaluator, e: Expr, frame: Frame): PyValue {
  switch (e.k) {
    case 'name':
      return ev.lookup(e.id, frame, e.r);
    case 'int':
      return pyInt(e.value);
    case 'float':
      return { kind: 'float', value: e.value };
    case 'str':
      return pyStr(e.value);
    case 'fstr':
      return pyStr(e.parts.map((p) => (typeof p === 'string' ? p : pyStrOf(evalExpr(ev, p, frame)))).join(''));
    case 'bool':
      return pyBool(e.value);
    case 'none':
      return NONE;
    case 'ellipsis':
      return { kind: 'ellipsis' };
    case 'attr':
      return ev.getAttr(evalExpr(ev, e.obj, frame), e.name, e.r);
    case 'sub':
      return ev.getItem(evalExpr(ev, e.obj, frame), evalExpr(ev, e.index, frame), e.r);
    case 'slice':
      return {
        kind: 'slice',
        start: e.lower ? evalExpr(ev, e.lower, frame) : NONE,
        stop: e.upper ? evalExpr(ev, e.upper, frame) : NONE,
        step: e.step ? evalExpr(ev, e.step, frame) : NONE,
      };
    case 'call':
      return evalCall(ev, e, frame);
    case 'bin':
      return ev.binary(e.op, evalExpr(ev, e.left, frame), evalExpr(ev, e.right, frame), e.r);
    case 'unary': {
      const v = evalExpr(ev, e.operand, frame);
      if (e.op === 'not') {
        const t = truthy(v);
        return t === null ? unknown('not of an unknown value') : pyBool(!t);
      }
      if (v.kind === 'tensor') return ev.callOpKey(UNARY_KEYS[e.op], [v], new Map(), e.r);
      if (v.kind === 'int') return e.op === '-' ? pyBinary('*', v, pyInt(-1))! : e.op === '+' ? v : v.dim.value === null ? unknown('~') : pyInt(~v.dim.value);
      if (v.kind === 'float') return { kind: 'float', value: e.op === '-' ? -v.value : v.value };
      if (v.kind === 'bool') return pyInt(e.op === '-' ? -Number(v.value) : e.op === '~' ? ~Number(v.value) : Number(v.value));
      return v.kind === 'unknown' ? v : ev.unsupported(`unary ${e.op} on ${v.kind}`, e.r);
    }
    case 'boolop': {
      const l = evalExpr(ev, e.left, frame);
      const t = truthy(l);
      if (t === null) return unknown('boolean operator on an unknown value');
      if (e.op === 'and') return t ? evalExpr(ev, e.right, frame) : l;
      return t ? l : evalExpr(ev, e.right, frame);
    }
    case 'compare': {
      let left = evalExpr(ev, e.left, frame);
      let result: PyValue = pyBool(true);
      for (let i = 0; i < e.ops.length; i++) {
        const right = evalExpr(ev, e.rights[i], frame);
        const r = ev.compare(e.ops[i], left, right, e.r);
        const t = truthy(r);
        if (r.kind === 'tensor') return r;
        if (t === false) return r;
        if (t === null) result = r;
        left = right;
      }
      return result;
    }
    case 'ifexp': {
      const t = truthy(evalExpr(ev, e.test, frame));
      if (t === null) {
        ev.diag('info', 'unknown-condition', 'condition is not known at analysis time; assuming it is true', e.test.r);
        return evalExpr(ev, e.body, frame);
      }
      return evalExpr(ev, t ? e.body : e.orelse, frame);
    }
    case 'tuple':
    case 'list':
    case 'set': {
      const items: PyValue[] = [];
      for (const x of e.elts) {
        if (x.k === 'starred') {
          const inner = ev.iterate(evalExpr(ev, x.value, frame), x.r);
          if (inner) items.push(...inner);
          else return unknown('starred unknown value');
        } else items.push(evalExpr(ev, x, frame));
      }
      return e.k === 'list' ? { kind: 'list', items } : e.k === 'tuple' ? { kind: 'tuple', items } : makeSet(items);
    }
    case 'dict': {
      const entries = new Map<string, PyValue>();
      const keys: PyValue[] = [];
      for (const it of e.items) {
        if ('splat' in it) {
          const d = evalExpr(ev, it.splat, frame);
          if (d.kind === 'dict') for (const k of d.keys) dictSet(ev, entries, keys, k, d.entries.get(dictKey(k))!);
        } else dictSet(ev, entries, keys, evalExpr(ev, it.key, frame), evalExpr(ev, it.value, frame));
      }
      return { kind: 'dict', entries, keys };
    }
    case 'comp':
      return comprehension(ev, e, frame);
    case 'lambda': {
      const closure = frame.classBody ? frame.parent : frame.funcName === '<module>' ? null : frame;
      const prefix = frame.classBody ? `${frame.qualname}.` : frame.funcName === '<module>' ? '' : `${frame.qualname}.<locals>.`;
      const fn = ev.makeFunction('<lambda>', `${prefix}<lambda>`, e.params, { expr: e.body }, e.r.startLine, e.r, frame, closure);
      fn.defStmt = frame.current;
      return obj({ t: 'func', fn }, 'function');
    }
    case 'starred':
      return ev.unsupported('starred expression here', e.r);
    case 'walrus': {
      const v = evalExpr(ev, e.value, frame);
      ev.setName(frame, e.target, v);
      return v;
    }
    case 'unsupported':
      return ev.unsupported(e.what, e.r);
  }
}

export function dictSet(ev: Evaluator, entries: Map<string, PyValue>, keys: PyValue[], k: PyValue, v: PyValue): void {
  const key = dictKey(k);
  if (!entries.has(key)) keys.push(k);
  entries.set(key, v);
}

/** Comprehensions run in their own frame (Python 3.11), reporting at the enclosing statement's line. */
export function comprehension(ev: Evaluator, e: Extract<Expr, { k: 'comp' }>, frame: Frame): PyValue {
  const name = `<${e.kind === 'gen' ? 'genexpr' : `${e.kind}comp`}>`;
  const qualPrefix = frame.classBody ? `${frame.qualname}.` : frame.funcName === '<module>' ? '' : `${frame.qualname}.<locals>.`;
  const first = evalExpr(ev, e.gens[0].iter, frame);
  const firstItems = ev.iterate(first, e.gens[0].iter.r);
  if (!firstItems) return unknown('comprehension over an unknown value');
  const cf = new Frame(frame.classBody ? frame.parent : frame, frame.scope, name, qualPrefix + name, frame.owner, frame.traced, null);
  const info = frame.current;
  cf.current = info;
  ev.tracer.enter(cf, [], e.r.startLine);
  const out: PyValue[] = [];
  const entries = new Map<string, PyValue>();
  const keys: PyValue[] = [];
  const emitLine = () => {
    if (info) ev.tracer.line(cf, info);
  };
  emitLine();
  const loop = (gi: number, items: PyValue[]): void => {
    const g = e.gens[gi];
    for (const item of items) {
      ev.tick();
      ev.assign(g.target, item, cf);
      let ok = true;
      for (const cond of g.ifs) {
        const t = truthy(evalExpr(ev, cond, cf));
        if (t === false) {
          ok = false;
          break;
        }
      }
      if (ok) {
        if (gi + 1 < e.gens.length) {
          const inner = ev.iterate(evalExpr(ev, e.gens[gi + 1].iter, cf), e.gens[gi + 1].iter.r);
          if (inner) loop(gi + 1, inner);
        } else if (e.kind === 'dict') dictSet(ev, entries, keys, evalExpr(ev, e.elt, cf), evalExpr(ev, e.value!, cf));
        else {
          const v = evalExpr(ev, e.elt, cf);
          out.push(v);
          if (e.kind === 'gen' && cf.traced) {
            // A generator's frame returns at every yield: the loop variables and the yielded value are reported.
            ev.tracer.leave(cf, v);
          }
        }
      }
      emitLine();
    }
  };
  loop(0, firstItems);
  if (e.kind === 'dict') {
    const d: PyValue = { kind: 'dict', entries, keys };
    ev.tracer.leave(cf, d);
    return d;
  }
  if (e.kind === 'gen') {
    ev.tracer.leave(cf, null);
    return { kind: 'list', items: out };
  }
  const result: PyValue = e.kind === 'list' ? { kind: 'list', items: out } : makeSet(out);
  ev.tracer.leave(cf, result);
  return result;
}

export function evalCall(ev: Evaluator, e: Extract<Expr, { k: 'call' }>, frame: Frame): PyValue {
  // Zero-argument super() needs the calling frame.
  if (e.func.k === 'name' && e.func.id === 'super' && e.args.length === 0 && !frame.locals.has('super')) {
    const fn = frame.fn;
    const selfName = fn?.params[0]?.name;
    const cls = fn?.ownerClass;
    if (!fn || !cls || !selfName) return ev.unsupported('super() outside a method', e.r);
    return obj({ t: 'super', cls, self: frame.locals.get(selfName) ?? NONE }, 'super');
  }
  const fn = evalExpr(ev, e.func, frame);
  const { args, kwargs } = evalArgs(ev, e.args, frame);
  const out = ev.call(fn, args, kwargs, e.r);
  const o = asObject(fn);
  if (o && o.t === 'class' && o.cls.t === 'torch' && o.cls.leaf) noteLiterals(ev, o.cls.leaf.ctor, e.args, out);
  return out;
}

/** Remembers where literal constructor arguments are written, so fixes can replace them. */
export function noteLiterals(ev: Evaluator, ctor: readonly ParamSpec[], args: readonly Arg[], out: PyValue): void {
  const inst = instanceOf(out);
  if (!inst) return;
  const lits = new Map<string, { range: Range; file: string }>();
  const file = ev.currentFile;
  let i = 0;
  for (const a of args) {
    if (a.kind === 'pos') {
      const p = ctor[i++];
      if (p && isLiteralInt(a.value)) lits.set(p.name, { range: a.value.r, file });
    } else if (a.kind === 'kw' && isLiteralInt(a.value)) lits.set(a.name, { range: a.value.r, file });
    else if (a.kind === 'star') break;
  }
  if (lits.size) ev.facts.setLiterals(inst, lits);
}

export function evalArgs(ev: Evaluator, list: readonly Arg[], frame: Frame): { args: PyValue[]; kwargs: Map<string, PyValue> } {
  const args: PyValue[] = [];
  // Calls without keywords share one empty map (callees only read it).
  const kwargs = list.some((a) => a.kind === 'kw' || a.kind === 'dstar') ? new Map<string, PyValue>() : NO_KWARGS;
  for (const a of list) {
    if (a.kind === 'pos') args.push(evalExpr(ev, a.value, frame));
    else if (a.kind === 'kw') kwargs.set(a.name, evalExpr(ev, a.value, frame));
    else if (a.kind === 'star') {
      const v = evalExpr(ev, a.value, frame);
      const items = ev.iterate(v, a.value.r);
      // An unknown *args contributes nothing rather than a bogus argument (its origin is already reported).
      if (items) args.push(...items);
    } else {
      const v = evalExpr(ev, a.value, frame);
      if (v.kind === 'dict') for (const k of v.keys) if (k.kind === 'str') kwargs.set(k.value, v.entries.get(dictKey(k))!);
    }
  }
  return { args, kwargs };
}

function isLiteralInt(e: Expr): boolean {
  if (e.k === 'int') return true;
  if (e.k === 'bin') return isLiteralInt(e.left) && isLiteralInt(e.right);
  if (e.k === 'unary') return isLiteralInt(e.operand);
  return false;
}
