// torch.nn.Module semantics: construction, attribute registration (_parameters/_buffers/_modules), containers and calls.
import { enumCall } from './stdlibEnum';
import type { Range } from '../python/ast';
import { defaultDunder, setLeafAttr, userOverride } from './dataModel';
import { ShapeError, type BoundArgs, type ModuleOpDef } from '../ops/types';
import { constructLeaf, lazyPending, materialiseLazy, pendingLazyAttr, pendingLazyState } from './leafState';
import { opRole } from '../ops/registry';
import { NONE, type PyValue } from '../ops/values';
import { numel } from '../shape/shape';
import type { Evaluator } from './evaluator';
import { Instance, asObject, instanceOf, obj, unknown, type ClassRef, type ContainerKind, type Tensor } from './objects';
import { pyBool, pyStr } from './pyOps';
import { dictKey } from './tensorLeaves';

export const CONTAINERS: ReadonlySet<string> = new Set(['Sequential', 'ModuleList', 'ModuleDict', 'ParameterList', 'ParameterDict']);

/** `cls(*args, **kwargs)` for user classes and torch module classes. */
export function instantiate(ip: Evaluator, cls: ClassRef, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
  if (cls.t === 'torch') {
    const inst = new Instance(cls, cls.type, true);
    inst.ctorRange = r;
    initTorchBase(ip, cls, inst, args, kwargs, r);
    return inst.value;
  }
  const member = enumCall(ip, cls.cls, args, kwargs, r);
  if (member) return member;
  const mro = cls.cls.mro;
  const isModule = mro.some((c) => c.t === 'torch');
  const inst = new Instance(cls, cls.cls.name, isModule);
  inst.ctorRange = r;
  for (const c of mro) {
    if (c.t === 'user') {
      const init = c.cls.ns.get('__init__');
      if (init) {
        ip.call(ip.bindFromClass(init, inst.value, c), args, kwargs, r);
        return inst.value;
      }
    } else {
      initTorchBase(ip, c, inst, args, kwargs, r);
      return inst.value;
    }
  }
  return inst.value;
}

/** The constructor of a torch base class run on `inst` (directly or via super().__init__). */
export function initTorchBase(
  ip: Evaluator,
  c: Extract<ClassRef, { t: 'torch' }>,
  inst: Instance,
  args: PyValue[],
  kwargs: Map<string, PyValue>,
  r: Range | null,
): PyValue {
  if (c.type === 'Module') return NONE;
  if (CONTAINERS.has(c.type)) {
    inst.container = c.type as ContainerKind;
    const src = args[0];
    if (!src) return NONE;
    if (c.type === 'Sequential') {
      if (args.length === 1 && src.kind === 'dict') {
        for (const k of src.keys) addChild(ip, inst, k.kind === 'str' ? k.value : String(dictKey(k)), src.entries.get(dictKey(k))!, r);
      } else args.forEach((a, i) => addChild(ip, inst, String(i), a, r));
    } else if (c.type === 'ModuleDict' || c.type === 'ParameterDict') {
      const pairs = dictPairs(ip, src, r);
      for (const [k, v] of pairs) c.type === 'ModuleDict' ? addChild(ip, inst, k, v, r) : addParam(ip, inst, k, v);
    } else {
      const items = ip.iterate(src, r) ?? [];
      items.forEach((a, i) => (c.type === 'ModuleList' ? addChild(ip, inst, String(i), a, r) : addParam(ip, inst, String(i), a)));
    }
    return NONE;
  }
  const def = c.leaf;
  if (!def) return NONE;
  const bound = ip.bindSpec(def.ctor, args, kwargs, `nn.${def.type}`);
  if (typeof bound === 'string') {
    ip.callArgError(bound, r);
    return NONE;
  }
  inst.leaf = def;
  inst.leafAttrs = bound;
  try {
    constructLeaf(ip, inst, def, bound);
  } catch (e) {
    if (e instanceof ShapeError) ip.diag('error', 'invalid-args', e.message, r);
    else ip.opFailure(e, `nn.${def.type}`, r);
  }
  return NONE;
}

function dictPairs(ip: Evaluator, v: PyValue, r: Range | null): [string, PyValue][] {
  if (v.kind === 'dict') return v.keys.map((k) => [k.kind === 'str' ? k.value : dictKey(k), v.entries.get(dictKey(k))!]);
  const items = ip.iterate(v, r) ?? [];
  const out: [string, PyValue][] = [];
  for (const it of items) {
    const kv = ip.iterate(it, r);
    if (kv && kv.length === 2 && kv[0].kind === 'str') out.push([kv[0].value, kv[1]]);
  }
  return out;
}

export function addChild(ip: Evaluator, inst: Instance, name: string, v: PyValue, r: Range | null): void {
  const child = instanceOf(v);
  if (child && child.isModule) inst.modules.set(name, child);
  else if (v.kind === 'none') inst.modules.set(name, null);
  else if (v.kind === 'unknown') ip.diag('info', 'unknown-module', `module '${name}' is not known to the analysis (${v.why})`, r);
  else ip.diag('error', 'not-a-module', `${inst.typeName} entry '${name}' is not an nn.Module`, r);
}

function addParam(ip: Evaluator, inst: Instance, name: string, v: PyValue): void {
  if (v.kind === 'tensor') {
    ip.facts.markParam(v as Tensor);
    inst.params.set(name, v as Tensor);
  }
}

/** Own parameter elements (`parameters(recurse=False)`). */
export function ownParams(inst: Instance): number {
  let n = 0;
  for (const p of inst.params.values()) if (p && p.shape) n += numel(p.shape) ?? 0;
  return n;
}

/** Calling a module: hooks (module call records) around forward. */
export function callModule(ip: Evaluator, inst: Instance, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
  const path = ip.rec.active ? ip.facts.pathOf(inst) : undefined;
  // A lazy module takes shape before its first call is recorded (PyTorch: a forward pre-hook).
  const failed = lazyPending(inst) ? materialiseLazy(ip, inst, args, kwargs, r) : null;
  const call =
    path !== undefined ? ip.rec.openCall(path, inst.typeName, { kind: 'tuple', items: args }, ownParams(inst), ip.rec.range(r, ip.currentFile)) : null;
  let out: PyValue = unknown('module call did not finish');
  try {
    out = failed ?? moduleForward(ip, inst, args, kwargs, r, path ?? null);
    return out;
  } finally {
    if (call) ip.rec.closeCall(call, out);
  }
}

function moduleForward(ip: Evaluator, inst: Instance, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null, path: string | null): PyValue {
  if (inst.cls.t === 'user') {
    for (const c of inst.cls.cls.mro) {
      if (c.t !== 'user') break;
      const f = c.cls.ns.get('forward');
      if (f) return ip.call(ip.bindFromClass(f, inst.value, c), args, kwargs, r);
    }
  }
  return builtinForward(ip, inst, args, kwargs, r, path);
}

function builtinForward(ip: Evaluator, inst: Instance, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null, path: string | null): PyValue {
  if (inst.leaf && inst.leafAttrs) return leafForward(ip, inst, inst.leaf, inst.leafAttrs, args, kwargs, r, path);
  if (inst.container === 'Sequential') {
    if (args.length !== 1 || kwargs.size) {
      ip.diag('error', 'call-args', 'nn.Sequential.forward takes exactly one input', r);
      return unknown('bad Sequential call');
    }
    let x = args[0];
    for (const child of inst.modules.values()) if (child) x = ip.call(child.value, [x], new Map(), r);
    return x;
  }
  if (inst.leaf === null && inst.cls.t === 'torch' && !CONTAINERS.has(inst.typeName) && inst.typeName !== 'Module') {
    ip.diag('warning', 'unsupported', `module type ${inst.typeName} is not known to the analysis`, r);
    return unknown(`unsupported module ${inst.typeName}`);
  }
  ip.diag('error', 'not-callable', `${inst.typeName} has no forward()`, r);
  return unknown(`${inst.typeName} has no forward`);
}

function leafForward(
  ip: Evaluator,
  inst: Instance,
  def: ModuleOpDef,
  attrs: BoundArgs,
  args: PyValue[],
  kwargs: Map<string, PyValue>,
  r: Range | null,
  path: string | null,
): PyValue {
  const bound = ip.bindSpec(def.forward, args, kwargs, def.type);
  if (typeof bound === 'string') {
    ip.callArgError(bound, r);
    return unknown(bound);
  }
  if (def.lastAxisArg) noteLastAxisConstraint(ip, def.lastAxisArg, attrs, bound, r);
  let out: PyValue;
  try {
    out = def.infer(attrs, bound, ip.inferContext());
  } catch (e) {
    return ip.opFailure(e, `nn.${def.type}`, r, lastAxisFix(ip, inst, def, bound));
  }
  out = ip.ensureTensors(out);
  if (attrs.inplace && attrs.inplace.kind === 'bool' && attrs.inplace.value) {
    const first = def.forward[0] ? bound[def.forward[0].name] : undefined;
    out = ip.markInPlace(out, first);
  }
  if (ip.rec.active) {
    let flops = 0;
    try {
      flops = def.flops(attrs, bound, out);
    } catch {
      flops = 0;
    }
    ip.addNode(`nn.${def.type}`, opRole(def), path, attrs, bound, out, ownParams(inst), flops, r);
  }
  return out;
}

function noteLastAxisConstraint(ip: Evaluator, arg: string, attrs: BoundArgs, bound: BoundArgs, r: Range | null): void {
  const x = Object.values(bound)[0];
  const want = attrs[arg];
  if (!x || x.kind !== 'tensor' || !x.shape || !x.shape.length || !want || want.kind !== 'int' || want.dim.value === null) return;
  const last = x.shape[x.shape.length - 1];
  // Recorded whenever the feature size depends on symbolic input dims, so specs can be solved without re-running.
  if (last.expr && last.expr.kind !== 'const') ip.facts.addConstraint({ expr: last.expr, equals: want.dim.value, range: r });
}

/** For a layer whose last-axis argument (Linear's in_features) does not fit, a quick fix replacing the literal in the constructor call. */
function lastAxisFix(ip: Evaluator, inst: Instance, def: ModuleOpDef, bound: BoundArgs) {
  const arg = def.lastAxisArg;
  if (!arg) return {};
  const x = Object.values(bound)[0];
  const last = x && x.kind === 'tensor' && x.shape ? x.shape[x.shape.length - 1]?.value : null;
  if (last === null || last === undefined) return {};
  const lit = ip.facts.literalsOf(inst)?.get(arg);
  const hint = `${arg}=${last} would fit this input`;
  if (!lit) return { hint };
  return { hint, fix: { title: `Set ${arg} to ${last}`, range: ip.rec.range(lit.range, lit.file)!, text: String(last) } };
}

// ---------------------------------------------------------------- attributes

const MODULE_METHODS = new Set([
  'forward',
  'parameters',
  'named_parameters',
  'buffers',
  'named_buffers',
  'children',
  'named_children',
  'modules',
  'named_modules',
  'register_buffer',
  'register_parameter',
  'add_module',
  'register_module',
  'apply',
  'eval',
  'train',
  'to',
  'cuda',
  'cpu',
  'float',
  'double',
  'half',
  'requires_grad_',
  'zero_grad',
  'state_dict',
  'load_state_dict',
  'append',
  'extend',
  'insert',
  'keys',
  'values',
  'items',
  'update',
  'get_submodule',
  'get_parameter',
  'type',
  'extra_repr',
  'register_forward_hook',
  'register_forward_pre_hook',
  'pop',
]);

export function instanceGetAttr(ip: Evaluator, inst: Instance, name: string, r: Range | null, torchOnly = false, quiet = false): PyValue {
  if (!torchOnly && inst.cls.t === 'user') {
    for (const c of inst.cls.cls.mro) {
      const raw = ip.lookupInClass(c, name);
      if (raw) {
        const o = asObject(raw);
        if (o && o.t === 'property') return ip.bindFromClass(raw, inst.value, c);
        break;
      }
    }
    const own = inst.dict.get(name);
    if (own) return own;
    for (const c of inst.cls.cls.mro) {
      const raw = ip.lookupInClass(c, name);
      if (raw) return ip.bindFromClass(raw, inst.value, c);
    }
  } else if (!torchOnly) {
    const own = inst.dict.get(name);
    if (own) return own;
  }
  if (inst.isModule) {
    const pending = lazyPending(inst) ? pendingLazyAttr(ip, inst, name, r) : undefined;
    if (pending) return pending;
    if (inst.params.has(name)) return inst.params.get(name) ?? NONE;
    if (inst.buffers.has(name)) return inst.buffers.get(name) ?? NONE;
    if (inst.modules.has(name)) return inst.modules.get(name)?.value ?? NONE;
    if (MODULE_METHODS.has(name))
      return obj({ t: 'builtin', name, call: (args, kwargs, site) => moduleMethod(ip, inst, name, args, kwargs, site.range) }, 'method');
    // Present tensors were found above; an absent optional one is None (`conv.bias is None` with bias=False), not the constructor flag.
    if (inst.leaf?.optionalTensors?.includes(name)) return NONE;
    if (inst.leafAttrs && name in inst.leafAttrs) return inst.leaf?.attr?.(inst.leafAttrs, name) ?? inst.leafAttrs[name];
    if (name === '__class__') return obj({ t: 'class', cls: inst.cls }, 'type');
    if (name === 'training') return pyBool(true);
  }
  if (name === '__class__') return obj({ t: 'class', cls: inst.cls }, 'type');
  if (name === '__module__') return pyStr(inst.cls.t === 'user' ? inst.cls.cls.scope.name : 'torch.nn');
  const dunder = defaultDunder(ip, inst, name, instanceGetAttr, instanceSetAttr);
  if (dunder) return dunder;
  // A class's own __getattr__ answers what normal lookup did not find (it may raise AttributeError).
  const fallback = torchOnly ? null : userOverride(ip, inst, '__getattr__');
  if (fallback) return ip.call(fallback, [pyStr(name)], new Map(), r);
  if (!quiet) ip.diag('warning', 'unknown-attr', `'${inst.typeName}' object has no attribute '${name}' (as far as the analysis knows)`, r);
  return unknown(`attribute ${name}`);
}

/** `self.name = v` with torch.nn.Module.__setattr__ semantics. */
export function instanceSetAttr(ip: Evaluator, inst: Instance, name: string, v: PyValue, r: Range | null, bypass = false): void {
  const override = bypass ? null : userOverride(ip, inst, '__setattr__');
  if (override) {
    ip.call(override, [pyStr(name), v], new Map(), r);
    return;
  }
  if (!inst.isModule) {
    inst.dict.set(name, v);
    return;
  }
  if (inst.cls.t === 'user') {
    for (const c of inst.cls.cls.mro) {
      const raw = ip.lookupInClass(c, name);
      const o = raw ? asObject(raw) : null;
      if (o && o.t === 'property') return; // property setters are not analysed
    }
  }
  const child = instanceOf(v);
  if (!child && setLeafAttr(inst, name, v)) return;
  if (v.kind === 'tensor' && ip.facts.isParam(v as Tensor)) {
    inst.dict.delete(name);
    inst.buffers.delete(name);
    inst.modules.delete(name);
    inst.params.set(name, v as Tensor);
  } else if (inst.params.has(name)) {
    if (v.kind === 'none') inst.params.set(name, null);
    else if (v.kind === 'tensor')
      ip.diag('error', 'param-assign', `cannot assign a plain tensor as parameter '${name}' (torch.nn.Parameter or None expected)`, r);
    else inst.dict.set(name, v);
  } else if (child && child.isModule) {
    inst.dict.delete(name);
    inst.params.delete(name);
    inst.buffers.delete(name);
    inst.modules.set(name, child);
  } else if (inst.modules.has(name)) {
    if (v.kind === 'none') inst.modules.set(name, null);
    else if (v.kind === 'unknown') {
      inst.modules.delete(name);
      inst.dict.set(name, v);
    } else ip.diag('error', 'module-assign', `cannot assign a non-module as child module '${name}'`, r);
  } else if (inst.buffers.has(name)) {
    if (v.kind === 'tensor' || v.kind === 'none') inst.buffers.set(name, v.kind === 'none' ? null : (v as Tensor));
    else inst.dict.set(name, v);
  } else inst.dict.set(name, v);
}

// ---------------------------------------------------------------- containers

/** named_modules(): paths in registration order, each module once (the first path wins). */
export function namedModules(root: Instance): [string, Instance][] {
  const out: [string, Instance][] = [];
  const seen = new Set<Instance>();
  const walk = (m: Instance, prefix: string) => {
    if (seen.has(m)) return;
    seen.add(m);
    out.push([prefix, m]);
    for (const [name, child] of m.modules) if (child) walk(child, prefix ? `${prefix}.${name}` : name);
  };
  walk(root, '');
  return out;
}

function paramList(inst: Instance, recurse: boolean): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  const seen = new Set<number>();
  const mods = recurse ? namedModules(inst) : ([['', inst]] as [string, Instance][]);
  for (const [path, m] of mods) {
    for (const [n, p] of m.params) {
      if (p && !seen.has(p.obj)) {
        seen.add(p.obj);
        out.push([path ? `${path}.${n}` : n, p]);
      }
    }
  }
  return out;
}

const STATE_METHODS = new Set(['parameters', 'named_parameters', 'buffers', 'named_buffers', 'state_dict']);

function moduleMethod(ip: Evaluator, inst: Instance, name: string, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue {
  const arg = (i: number, k: string): PyValue | undefined => args[i] ?? kwargs.get(k);
  // PyTorch's uninitialized parameters of a lazy module have no shape yet: what reads them is not known.
  if (
    STATE_METHODS.has(name) &&
    pendingLazyState(
      ip,
      namedModules(inst).map(([, m]) => m),
      `${name}()`,
      r,
    )
  )
    return unknown(`${name}() before a lazy module's first call`);
  switch (name) {
    case 'forward':
      return (
        (lazyPending(inst) ? materialiseLazy(ip, inst, args, kwargs, r) : null) ??
        builtinForward(ip, inst, args, kwargs, r, ip.rec.active ? (ip.facts.pathOf(inst) ?? null) : null)
      );
    case 'parameters':
      return { kind: 'list', items: paramList(inst, arg(0, 'recurse')?.kind !== 'bool' || (arg(0, 'recurse') as { value: boolean }).value).map(([, p]) => p) };
    case 'named_parameters':
      return { kind: 'list', items: paramList(inst, true).map(([n, p]) => ({ kind: 'tuple', items: [pyStr(n), p] })) };
    case 'buffers':
      return { kind: 'list', items: namedModules(inst).flatMap(([, m]) => [...m.buffers.values()].filter((b): b is Tensor => !!b)) };
    case 'named_buffers':
      return {
        kind: 'list',
        items: namedModules(inst).flatMap(([path, m]) =>
          [...m.buffers].filter(([, b]) => b).map(([n, b]) => ({ kind: 'tuple' as const, items: [pyStr(path ? `${path}.${n}` : n), b!] })),
        ),
      };
    case 'children':
      return { kind: 'list', items: [...new Set([...inst.modules.values()].filter((m): m is Instance => !!m))].map((m) => m.value) };
    case 'named_children':
      return { kind: 'list', items: [...inst.modules].filter(([, m]) => m).map(([n, m]) => ({ kind: 'tuple' as const, items: [pyStr(n), m!.value] })) };
    case 'modules':
      return { kind: 'list', items: namedModules(inst).map(([, m]) => m.value) };
    case 'named_modules':
      return { kind: 'list', items: namedModules(inst).map(([n, m]) => ({ kind: 'tuple' as const, items: [pyStr(n), m.value] })) };
    case 'register_buffer': {
      const n = arg(0, 'name');
      const t = arg(1, 'tensor') ?? NONE;
      const persistent = arg(2, 'persistent');
      if (n?.kind !== 'str') return ip.unsupported('register_buffer with a non-literal name', r);
      inst.dict.delete(n.value);
      // A tensor the analysis could not compute stays unknown (not None: that would make false errors downstream).
      if (t.kind === 'unknown') inst.dict.set(n.value, t);
      else inst.buffers.set(n.value, t.kind === 'tensor' ? (t as Tensor) : null);
      if (persistent?.kind === 'bool' && !persistent.value) inst.nonPersistent.add(n.value);
      return NONE;
    }
    case 'register_parameter': {
      const n = arg(0, 'name');
      const p = arg(1, 'param') ?? NONE;
      if (n?.kind !== 'str') return ip.unsupported('register_parameter with a non-literal name', r);
      if (p.kind === 'tensor') ip.facts.markParam(p as Tensor);
      inst.params.set(n.value, p.kind === 'tensor' ? (p as Tensor) : null);
      return NONE;
    }
    case 'add_module':
    case 'register_module': {
      const n = arg(0, 'name');
      if (n?.kind !== 'str') return ip.unsupported(`${name} with a non-literal name`, r);
      addChild(ip, inst, n.value, arg(1, 'module') ?? NONE, r);
      return NONE;
    }
    case 'apply': {
      const fn = arg(0, 'fn');
      if (!fn) return inst.value;
      // Module.apply visits children first, then the module itself.
      const visit = (m: Instance, seen: Set<Instance>) => {
        for (const c of m.modules.values()) {
          if (!c || seen.has(c)) continue;
          seen.add(c);
          visit(c, seen);
        }
        ip.call(fn, [m.value], new Map(), r);
      };
      visit(inst, new Set());
      return inst.value;
    }
    case 'eval':
    case 'train': {
      const mode = name === 'eval' ? false : arg(0, 'mode')?.kind === 'bool' ? (arg(0, 'mode') as { value: boolean }).value : true;
      for (const [, m] of namedModules(inst)) m.dict.set('training', pyBool(mode));
      return inst.value;
    }
    case 'to':
    case 'cuda':
    case 'cpu':
    case 'float':
    case 'double':
    case 'half':
    case 'requires_grad_':
    case 'type':
      return inst.value;
    case 'zero_grad':
    case 'load_state_dict':
    case 'register_forward_hook':
    case 'register_forward_pre_hook':
      return NONE;
    case 'state_dict':
      return unknown('state_dict');
    case 'extra_repr':
      return pyStr('');
    case 'append':
      addChild(ip, inst, String(inst.modules.size), arg(0, 'module') ?? NONE, r);
      return inst.value;
    case 'extend': {
      const items = ip.iterate(arg(0, 'modules') ?? NONE, r) ?? [];
      for (const it of items) addChild(ip, inst, String(inst.modules.size), it, r);
      return inst.value;
    }
    case 'insert': {
      const i = arg(0, 'index');
      const m = arg(1, 'module') ?? NONE;
      const n = inst.modules.size;
      let at = i?.kind === 'int' && i.dim.value !== null ? i.dim.value : n;
      if (at < 0) at += n;
      at = Math.max(0, Math.min(at, n));
      const values = [...inst.modules.values()];
      values.splice(at, 0, instanceOf(m));
      inst.modules.clear();
      values.forEach((v, k) => inst.modules.set(String(k), v));
      return NONE;
    }
    case 'keys':
      return { kind: 'list', items: [...inst.modules.keys()].map(pyStr) };
    case 'values':
      return { kind: 'list', items: [...inst.modules.values()].map((m) => m?.value ?? NONE) };
    case 'items':
      return { kind: 'list', items: [...inst.modules].map(([k, m]) => ({ kind: 'tuple' as const, items: [pyStr(k), m?.value ?? NONE] })) };
    case 'update':
      for (const [k, v] of dictPairs(ip, arg(0, 'modules') ?? NONE, r)) addChild(ip, inst, k, v, r);
      return NONE;
    case 'pop': {
      const k = arg(0, 'key');
      if (k?.kind === 'str') {
        const m = inst.modules.get(k.value);
        inst.modules.delete(k.value);
        return m?.value ?? NONE;
      }
      return unknown('pop');
    }
    case 'get_submodule': {
      const t = arg(0, 'target');
      if (t?.kind !== 'str') return unknown('get_submodule');
      let m: Instance | null = inst;
      for (const part of t.value.split('.').filter(Boolean)) m = m?.modules.get(part) ?? null;
      return m?.value ?? unknown('no such submodule');
    }
    default:
      return unknown(name);
  }
}

export { dictKey };
