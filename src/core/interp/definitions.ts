// Function and class definitions: closures and qualnames, decorators, class bodies, @dataclass __init__ and the MRO.
import type { ClassDef, Expr, FuncDef, Param, Range } from '../python/ast';
import type { PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { PyRaise } from './errors';
import { Frame } from './frame';
import { applyDataclass } from './pyDataclass';
import { finishEnumClass } from './stdlibEnum';
import { enumInfoOf } from './enumCore';
import { asObject, obj, type ClassRef, type FrameLike, type UserClass, type UserFunction } from './objects';

export function defineFunction(ev: Evaluator, s: FuncDef, frame: Frame): PyValue {
  const closure = frame.classBody ? frame.parent : frame.funcName === '<module>' ? null : frame;
  const qualPrefix = frame.classBody ? `${frame.qualname}.` : frame.funcName === '<module>' ? '' : `${frame.qualname}.<locals>.`;
  const fn = makeFunction(ev, s.name, qualPrefix + s.name, s.params, { stmts: s.body }, s.defLine, s.r, frame, closure);
  fn.ownerClass = frame.classBody;
  let v: PyValue = obj({ t: 'func', fn }, 'function');
  for (const d of [...s.decorators].reverse()) v = decorate(ev, d, v, frame);
  return v;
}

export function makeFunction(
  ev: Evaluator,
  name: string,
  qualname: string,
  params: readonly Param[],
  body: UserFunction['body'],
  defLine: number,
  r: Range,
  frame: Frame,
  closure: FrameLike | null,
): UserFunction {
  const defaults = new Map<string, PyValue>();
  for (const p of params) if (p.default) defaults.set(p.name, ev.eval(p.default, frame));
  return {
    name,
    qualname,
    params,
    defaults,
    body,
    defLine,
    range: r,
    scope: frame.scope,
    closure,
    ownerClass: null,
    decorators: new Set(),
    defStmt: null,
    attrs: new Map(),
  };
}

export function decorate(ev: Evaluator, d: Expr, fnv: PyValue, frame: Frame): PyValue {
  const name = decoratorName(d);
  if (name === 'staticmethod') return obj({ t: 'staticmethod', fn: fnv }, 'staticmethod');
  if (name === 'classmethod') return obj({ t: 'classmethod', fn: fnv }, 'classmethod');
  if (name === 'property' || name === 'cached_property') return obj({ t: 'property', fn: fnv }, 'property');
  if (d.k === 'attr' && (d.name === 'setter' || d.name === 'deleter')) return ev.eval(d.obj, frame);
  // Decorators that return the function unchanged for analysis purposes.
  if (
    [
      'no_grad',
      'enable_grad',
      'inference_mode',
      'lru_cache',
      'cache',
      'ignore',
      'unused',
      'export',
      'script',
      'abstractmethod',
      'autocast',
      'overload',
      'final',
      'override',
      'jit',
      'register_to_config',
      'torch_function',
    ].includes(name)
  )
    return fnv;
  const dec = ev.eval(d, frame);
  if (dec.kind === 'unknown') return fnv;
  const out = ev.call(dec, [fnv], new Map(), d.r);
  return out.kind === 'unknown' ? fnv : out;
}

export function defineClass(ev: Evaluator, s: ClassDef, frame: Frame): PyValue {
  const bases: ClassRef[] = [];
  const plainBases: string[] = [];
  for (const b of s.bases) {
    const bv = ev.eval(b, frame);
    const o = asObject(bv);
    if (o && o.t === 'class') bases.push(o.cls);
    else if (o && o.t === 'builtin') plainBases.push(o.name);
    else if (bv.kind === 'unknown') ev.diag('warning', 'unknown-base', `base class of ${s.name} is not known; it is analysed as a plain class`, b.r);
  }
  const qualname = frame.classBody ? `${frame.qualname}.${s.name}` : frame.funcName === '<module>' ? s.name : `${frame.qualname}.<locals>.${s.name}`;
  const cls: UserClass = { name: s.name, qualname, def: s, bases, ns: new Map(), scope: frame.scope, mro: [] };
  cls.mro = computeMro(cls);
  const body = new Frame(frame.funcName === '<module>' ? null : frame, frame.scope, s.name, qualname, null, false, null, cls);
  // Class bodies read module globals and enclosing locals; their own namespace is `ns`.
  const ns = body.locals;
  try {
    ev.execBlock(s.body, body);
  } catch (e) {
    if (!(e instanceof PyRaise)) throw e;
    ev.diag('warning', 'raise', `class body raised ${e.excType}: ${e.message}`, e.range, {}, e.file);
  }
  for (const [k, v] of ns) cls.ns.set(k, v);
  if (enumInfoOf(cls)) finishEnumClass(ev, cls, plainBases, s.r);
  if (s.decorators.some((d) => decoratorName(d) === 'dataclass')) applyDataclass(ev, cls, s);
  return obj({ t: 'class', cls: { t: 'user', cls } }, 'type');
}

function decoratorName(d: Expr): string {
  return d.k === 'name'
    ? d.id
    : d.k === 'attr'
      ? d.name
      : d.k === 'call' && d.func.k === 'attr'
        ? d.func.name
        : d.k === 'call' && d.func.k === 'name'
          ? d.func.id
          : '';
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
