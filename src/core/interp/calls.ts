// Calls of Python callables: dispatch by callee kind, binding of arguments to user functions and to op signatures.
import type { Range } from '../python/ast';
import type { BoundArgs, ParamSpec } from '../ops/types';
import type { PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import type { Frame } from './frame';
import { asObject, instanceOf, unknown, type UserFunction } from './objects';
import { pyStr } from './pyOps';
import { callModule, instantiate } from './moduleRuntime';

export function callInner(ev: Evaluator, fn: PyValue, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
  if (fn.kind === 'unknown') return fn;
  const o = asObject(fn);
  if (!o) {
    if (fn.kind === 'tensor') return ev.unsupported('calling a tensor', r);
    return ev.unsupported(`calling a ${fn.kind}`, r);
  }
  switch (o.t) {
    case 'func':
      return ev.callUser(o.fn, args, pretrainedOff(ev, o.fn, kwargs, r), r);
    case 'bound':
      return ev.call(o.fn, [o.self, ...args], kwargs, r);
    case 'builtin':
      return o.call(args, kwargs, { range: r });
    case 'class':
      return instantiate(ev, o.cls, args, kwargs, r);
    case 'instance':
      if (o.inst.isModule) return callModule(ev, o.inst, args, kwargs, r);
      {
        const m = ev.getAttr(fn, '__call__', r);
        return ev.call(m, args, kwargs, r);
      }
    case 'op':
      return ev.callOp(o.def, o.key, args, kwargs, r);
    case 'partial': {
      const kw = new Map(o.kwargs);
      for (const [k, v] of kwargs) kw.set(k, v);
      return ev.call(o.fn, [...o.args, ...args], kw, r);
    }
    case 'staticmethod':
    case 'property':
      return ev.call(o.fn, args, kwargs, r);
    case 'classmethod':
      return ev.call(o.fn, args, kwargs, r);
    case 'super':
    case 'namespace':
    case 'pymodule':
      return ev.unsupported(`calling ${o.t}`, r);
    case 'opaque':
      return unknown(`call of ${o.what}`);
    case 'lazy':
      return ev.call(o.load(), args, kwargs, r);
    case 'set':
      return ev.unsupported('calling a set', r);
  }
}

/** Binds Python call arguments to a user function's parameters. */
/**
 * `pretrained=True` passed from the analysed file to library code (timm.create_model, torchvision builders) is
 * analysed as False: weights are never fetched, and the architecture (all the analysis shows) is the same.
 */
function pretrainedOff(ev: Evaluator, fn: UserFunction, kwargs: Map<string, PyValue>, r: Range | null): Map<string, PyValue> {
  const p = kwargs.get('pretrained');
  if (!p || p.kind !== 'bool' || !p.value || ev.currentFile !== ev.opts.file || fn.scope.file === ev.opts.file) return kwargs;
  ev.diag('info', 'pretrained-weights', `pretrained weights are not fetched: ${fn.name}(…) is analysed with pretrained=False (the same architecture)`, r);
  return new Map([...kwargs, ['pretrained', { kind: 'bool', value: false }]]);
}

export function bindParams(ev: Evaluator, fn: UserFunction, args: PyValue[], kwargs: Map<string, PyValue>, frame: Frame, r: Range | null): boolean {
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
      for (const [k, v] of kwargs) if (!usedKw.has(k)) ev.dictSet(entries, keys, pyStr(k), v);
      frame.locals.set(p.name, { kind: 'dict', entries, keys });
    } else if (!p.keywordOnly && ai < args.length) {
      frame.locals.set(p.name, args[ai++]);
      if (kwargs.has(p.name)) {
        ev.callArgError(`${fn.name}() got multiple values for argument '${p.name}'`, r);
        ok = false;
      }
    } else if (kwargs.has(p.name)) {
      frame.locals.set(p.name, kwargs.get(p.name)!);
      usedKw.add(p.name);
    } else if (fn.defaults.has(p.name)) frame.locals.set(p.name, fn.defaults.get(p.name)!);
    else {
      ev.callArgError(`${fn.name}() missing required argument '${p.name}'`, r);
      frame.locals.set(p.name, unknown(`missing argument ${p.name}`));
      ok = false;
    }
  }
  if (ai < args.length) {
    ev.callArgError(`${fn.name}() takes ${ai} positional arguments but ${args.length} were given`, r);
    ok = false;
  }
  if (!fn.params.some((p) => p.kind === 'dstar')) {
    for (const k of kwargs.keys()) {
      if (!fn.params.some((p) => p.name === k && p.kind === 'normal')) {
        ev.callArgError(`${fn.name}() got an unexpected keyword argument '${k}'`, r);
        ok = false;
      }
    }
  }
  return ok;
}

/**
 * The oracle's `owner`: the path of the local `self` (a parameter, or a free variable the function uses)
 * when it is a module; for lambdas and comprehensions, the owner of the traced caller.
 */
export function ownerOf(ev: Evaluator, fn: UserFunction, frame: Frame): string | null {
  let selfV = frame.locals.get('self');
  if (!selfV && usesName(fn, 'self')) {
    for (let f = frame.parent; f && !selfV; f = f.parent) selfV = f.locals.get('self');
  }
  const inst = selfV ? instanceOf(selfV) : null;
  if (inst?.isModule) return ev.facts.pathOf(inst) ?? null;
  if (fn.name.startsWith('<')) return ev.frame?.traced ? ev.frame.owner : null;
  return null;
}

/** Binds arguments to an op's ParamSpec list, as Python would. */
export function bindSpec(
  ev: Evaluator,
  spec: readonly ParamSpec[],
  args: readonly PyValue[],
  kwargs: ReadonlyMap<string, PyValue>,
  what: string,
): BoundArgs | string {
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
      for (const [k, v] of kwargs) {
        if (used.has(k)) continue;
        entries.set(k, v);
        keys.push(pyStr(k));
      }
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
