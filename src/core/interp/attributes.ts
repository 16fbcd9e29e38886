// Attribute access: instances, classes and their MRO, super(), modules, functions, tensors and plain values.
import type { Range } from '../python/ast';
import { functionOp } from '../ops/registry';
import { NONE, type PyValue } from '../ops/values';
import { moduleDict } from './moduleObjects';
import type { Evaluator } from './evaluator';
import { asObject, instanceOf, obj, unknown, type ClassRef, type Tensor } from './objects';
import { pyBool, pyInt, pyStr } from './pyOps';
import { namespaceAttr } from './torchNamespace';
import { initTorchBase, instanceGetAttr, instanceSetAttr } from './moduleRuntime';
import { setMethod } from './pySet';
import { namedtupleTypes } from './stdlibState';

export function getAttr(ev: Evaluator, v: PyValue, name: string, r: Range | null): PyValue {
  switch (v.kind) {
    case 'unknown':
      return v;
    case 'tensor':
      return tensorAttr(ev, v as Tensor, name, r);
    case 'tuple':
    case 'list':
    case 'dict':
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
    case 'none':
      return valueMethod(ev, v, name, r);
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
          return instanceGetAttr(ev, o.inst, name, r);
        case 'class':
          return classAttr(ev, o.cls, name, r, null);
        case 'namespace':
          return namespaceAttr(ev, o.path, name, r);
        case 'pymodule': {
          const g = o.scope.globals.get(name);
          if (g) return ev.forceIn(o.scope.globals, name, g);
          if (name === '__dict__') return moduleDict(o.scope);
          ev.diag('warning', 'unknown-name', `module '${o.scope.name}' has no attribute '${name}'`, r);
          return unknown(`${o.scope.name}.${name}`);
        }
        case 'super': {
          // super(cls, self) searches type(self)'s MRO after cls.
          const selfInst = instanceOf(o.self);
          const full = selfInst && selfInst.cls.t === 'user' ? selfInst.cls.cls.mro : o.cls.mro;
          const at = full.findIndex((c) => c.t === 'user' && c.cls === o.cls);
          const mro = at >= 0 ? full.slice(at + 1) : o.cls.mro.slice(1);
          for (const c of mro) {
            const found = lookupInClass(ev, c, name);
            if (found) return bindFromClass(ev, found, o.self, c);
            if (c.t === 'torch') return torchClassMember(ev, c, name, o.self, r);
          }
          return ev.unsupported(`super().${name}`, r);
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
          return obj({ t: 'builtin', name, call: (args) => setMethod(v, name, args, (x) => ev.iterate(x, r)) }, 'builtin_function_or_method');
        case 'builtin': {
          // Attributes of builtin types and functions: unbound methods (`str.join`, `dict.fromkeys`, `object.__setattr__`).
          const special = builtinAttr(ev, v, o.name, name);
          if (special) return special;
          ev.diag('warning', 'unknown-attr', `'${o.name}' has no attribute '${name}' (as far as the analysis knows)`, r);
          return unknown(`attribute ${name} of ${o.name}`);
        }
        case 'partial':
          // functools.partial objects expose what they wrap.
          if (name === 'func') return o.fn;
          if (name === 'args') return { kind: 'tuple', items: [...o.args] };
          if (name === 'keywords') {
            const d: Extract<PyValue, { kind: 'dict' }> = { kind: 'dict', entries: new Map(), keys: [] };
            for (const [k, x] of o.kwargs) ev.dictSet(d.entries, d.keys, pyStr(k), x);
            return d;
          }
          return getAttr(ev, o.fn, name, r);
        default:
          ev.diag('warning', 'unknown-attr', `attribute '${name}' of ${v.typeName} is not known to the analysis`, r);
          return unknown(`attribute ${name} of ${v.typeName}`);
      }
    }
    default:
      return ev.unsupported(`attribute ${name} of ${v.kind}`, r);
  }
}

/** Looks `name` up in a class's MRO; returns the raw class-namespace value. */
export function lookupInClass(ev: Evaluator, c: ClassRef, name: string): PyValue | null {
  if (c.t !== 'user') return null;
  return c.cls.ns.get(name) ?? null;
}

/** Turns a class-namespace value into what attribute access on an instance yields. */
export function bindFromClass(ev: Evaluator, raw: PyValue, self: PyValue, cls: ClassRef): PyValue {
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
  if (o.t === 'property') return ev.call(o.fn, [self], new Map(), ev.site.range);
  return raw;
}

export function classAttr(ev: Evaluator, c: ClassRef, name: string, r: Range | null, self: PyValue | null): PyValue {
  const mro = c.t === 'user' ? c.cls.mro : [c];
  for (const k of mro) {
    const raw = lookupInClass(ev, k, name);
    if (raw) {
      const o = asObject(raw);
      if (o && o.t === 'classmethod') return obj({ t: 'bound', self: obj({ t: 'class', cls: c }, 'type'), fn: o.fn }, 'method');
      if (o && o.t === 'staticmethod') return o.fn;
      return raw;
    }
  }
  if (name === '__name__') return pyStr(c.t === 'user' ? c.cls.name : c.type);
  if (name === '__init__' || name === 'forward' || name === '__call__') {
    for (const k of mro) if (k.t === 'torch') return torchClassMember(ev, k, name, self ?? NONE, r);
  }
  ev.diag('warning', 'unknown-name', `class ${c.t === 'user' ? c.cls.name : c.type} has no attribute '${name}'`, r);
  return unknown(`class attribute ${name}`);
}

/** Members of torch base classes reached through super() or a class (`nn.Module.__init__`). */
export function torchClassMember(ev: Evaluator, c: Extract<ClassRef, { t: 'torch' }>, name: string, self: PyValue, r: Range | null): PyValue {
  const inst = instanceOf(self);
  if (name === '__init__') {
    return obj(
      {
        t: 'builtin',
        name: '__init__',
        call: (args, kwargs, site) => {
          const target = inst ?? instanceOf(args[0] ?? NONE);
          const rest = inst ? args : args.slice(1);
          return target ? initTorchBase(ev, c, target, rest, kwargs, site.range) : NONE;
        },
      },
      'builtin_function_or_method',
    );
  }
  if (inst) return instanceGetAttr(ev, inst, name, r, true);
  return ev.unsupported(`${c.type}.${name}`, r);
}

export function setAttr(ev: Evaluator, target: PyValue, name: string, v: PyValue, r: Range | null): void {
  const o = asObject(target);
  if (o && o.t === 'instance') {
    instanceSetAttr(ev, o.inst, name, v, r);
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
  ev.diag('info', 'unsupported', `attribute assignment on ${target.kind === 'object' ? target.typeName : target.kind} is ignored`, r);
}

export function tensorAttr(ev: Evaluator, t: Tensor, name: string, r: Range | null): PyValue {
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
      const own = ev.builtins.get(`Tensor.${name}`);
      if (own) return obj({ t: 'bound', self: t, fn: own }, 'method');
      // `x.triu_(1)`: the in-place twin of a registered method computes the same thing into x.
      const outOfPlace = name.endsWith('_') && !name.startsWith('_') ? `Tensor.${name.slice(0, -1)}` : null;
      const twin = outOfPlace ? functionOp(outOfPlace) : null;
      if (twin && outOfPlace) {
        return obj({ t: 'builtin', name, call: (a, k, site) => ev.markInPlace(ev.callOp(twin, outOfPlace, [t, ...a], k, site.range), t) }, 'method');
      }
      ev.diag('warning', 'unsupported', `unsupported tensor method or attribute '${name}'`, r);
      return unknown(`Tensor.${name}`);
    }
  }
}

/** Methods of Python lists, dicts, strings and ints (the ones model code uses). */
export function valueMethod(ev: Evaluator, v: PyValue, name: string, r: Range | null): PyValue {
  // Named tuples (torch.return_types.max …): a field name reads the item at its position.
  if (v.kind === 'tuple' && v.fields) {
    const at = v.fields.indexOf(name);
    if (at >= 0 && at < v.items.length) return v.items[at]!;
  }
  const m = ev.builtins.get(`${v.kind}.${name}`);
  if (m) return obj({ t: 'bound', self: v, fn: m }, 'method');
  if (v.kind === 'tuple' && v.isSize) {
    const s = ev.builtins.get(`size.${name}`);
    if (s) return obj({ t: 'bound', self: v, fn: s }, 'method');
  }
  return ev.unsupported(`${v.kind}.${name}`, r);
}

/** Attributes of a builtin type or function value (`object.__setattr__`, `dict.fromkeys`, a namedtuple's `_fields`); null when unknown. */
function builtinAttr(ev: Evaluator, v: PyValue, typeName: string, name: string): PyValue | null {
  const nt = namedtupleTypes.get(v);
  if (nt) {
    if (name === '_fields') return nt.fieldTuple;
    if (name === '_make') return obj({ t: 'builtin', name, call: (a) => nt.make(ev.iterate(a[0] ?? NONE, ev.site.range) ?? []) }, 'builtin_function_or_method');
    if (name === '__new__') return nt.newObj;
  }
  if (typeName === 'object') {
    // object's own attribute protocol, bypassing a class's overrides (`object.__setattr__(self, name, value)`).
    if (name === '__setattr__') {
      return obj(
        {
          t: 'builtin',
          name,
          call: (a) => {
            const inst = instanceOf(a[0] ?? NONE);
            if (inst && a[1]?.kind === 'str') instanceSetAttr(ev, inst, a[1].value, a[2] ?? NONE, ev.site.range, true);
            return NONE;
          },
        },
        'builtin_function_or_method',
      );
    }
    if (name === '__getattribute__') {
      return obj(
        {
          t: 'builtin',
          name,
          call: (a) => {
            const inst = instanceOf(a[0] ?? NONE);
            return inst && a[1]?.kind === 'str' ? instanceGetAttr(ev, inst, a[1].value, ev.site.range) : unknown('object.__getattribute__');
          },
        },
        'builtin_function_or_method',
      );
    }
    if (name === '__init__') return obj({ t: 'builtin', name, call: () => NONE }, 'builtin_function_or_method');
  }
  if (name === '__name__' || name === '__qualname__') return pyStr(typeName);
  return ev.builtins.get(`${typeName}.${name}`) ?? null;
}
