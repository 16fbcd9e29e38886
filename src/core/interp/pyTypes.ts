// Type objects: isinstance() against user, torch and builtin classes (and abstract types), type(name, bases, ns).
import type { PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, instanceOf, obj, unknown, type ClassRef, type Tensor, type UserClass } from './objects';
import { computeMro } from './definitions';
import { dictKey } from './tensorLeaves';
import { setItems } from './pySet';
import { namedtupleTypes } from './stdlibState';
import { enumPlain } from './enumCore';

/** type(name, bases, ns): a new class made at run time (its attributes come from `ns`). */
export function newClass(ip: Evaluator, nameV: PyValue, basesV: PyValue, nsV: PyValue): PyValue {
  if (nameV.kind !== 'str' || nsV.kind !== 'dict') return unknown('type() with a name or namespace not known at analysis time');
  const bases: ClassRef[] = [];
  for (const bv of ip.iterate(basesV, ip.site.range) ?? []) {
    const o = asObject(bv);
    if (o && o.t === 'class') bases.push(o.cls);
  }
  const scope = { file: ip.currentFile, name: '<type>', globals: new Map<string, PyValue>() };
  const cls: UserClass = { name: nameV.value, qualname: nameV.value, def: null, bases, ns: new Map(), scope, mro: [] };
  for (const k of nsV.keys) if (k.kind === 'str') cls.ns.set(k.value, nsV.entries.get(dictKey(k))!);
  cls.mro = computeMro(cls);
  return obj({ t: 'class', cls: { t: 'user', cls } }, 'type');
}

export function sameRef(a: ClassRef, b: ClassRef): boolean {
  if (a.t === 'user' && b.t === 'user') return a.cls === b.cls;
  if (a.t === 'torch' && b.t === 'torch') return a.type === b.type || b.type === 'Module';
  return false;
}

/** isinstance(v, cls) for user classes, torch classes and builtin types; null when undecidable. */
export function isInstance(ip: Evaluator, v: PyValue, cls: PyValue): boolean | null {
  if (cls.kind === 'tuple') {
    let r: boolean | null = false;
    for (const c of cls.items) {
      const x = isInstance(ip, v, c);
      if (x) return true;
      if (x === null) r = null;
    }
    return r;
  }
  if (v.kind === 'unknown') return null;
  const o = asObject(cls);
  if (!o) return null;
  const nt = namedtupleTypes.get(cls);
  if (nt) return v.kind === 'tuple' && v.fields === nt.fields;
  if (o.t === 'builtin') {
    const plain = enumPlain(v);
    if (plain !== v && (o.name === 'int' || o.name === 'str' || o.name === 'float')) return isInstance(ip, plain, cls);
    switch (o.name) {
      case 'type':
        return asObject(v)?.t === 'class' || (v.kind === 'object' && v.typeName === 'type');
      case 'partial':
        return asObject(v)?.t === 'partial';
      case 'abc.Complex':
        return v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';
      case 'abc.Rational':
        return v.kind === 'int' || v.kind === 'bool';
      case 'int':
        return v.kind === 'int' || v.kind === 'bool';
      case 'float':
        return v.kind === 'float';
      case 'bool':
        return v.kind === 'bool';
      case 'str':
        return v.kind === 'str';
      case 'list':
        return v.kind === 'list';
      case 'tuple':
        return v.kind === 'tuple';
      case 'Size':
        return v.kind === 'tuple' && !!v.isSize;
      case 'dict':
      case 'OrderedDict':
        return v.kind === 'dict';
      case 'Tensor':
        return v.kind === 'tensor';
      case 'set':
      case 'frozenset':
        return setItems(v) !== null;
      case 'object':
        return true;
      case 'abc.Sequence':
      case 'abc.MutableSequence':
      case 'abc.List':
      case 'abc.Tuple':
        return v.kind === 'list' || v.kind === 'tuple' || (o.name === 'abc.Sequence' && v.kind === 'str');
      case 'abc.Iterable':
      case 'abc.Collection':
        return v.kind === 'list' || v.kind === 'tuple' || v.kind === 'dict' || v.kind === 'str' || v.kind === 'tensor';
      case 'abc.Iterator':
        return false;
      case 'abc.Mapping':
      case 'abc.MutableMapping':
      case 'abc.Dict':
        return v.kind === 'dict';
      case 'abc.Number':
      case 'abc.Real':
        return v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';
      case 'abc.Integral':
        return v.kind === 'int' || v.kind === 'bool';
      case 'abc.Callable':
      case 'abc.FunctionType':
      case 'abc.MethodType':
      case 'abc.LambdaType': {
        const f = asObject(v);
        if (o.name !== 'abc.Callable') return !!f && (f.t === 'func' || f.t === 'bound');
        return !!f && (['func', 'bound', 'builtin', 'class', 'op', 'partial'].includes(f.t) || (f.t === 'instance' && f.inst.isModule));
      }
      default:
        return false;
    }
  }
  if (o.t === 'class') {
    const inst = instanceOf(v);
    if (v.kind === 'tensor') return o.cls.t === 'torch' && o.cls.type === 'Parameter' ? ip.facts.isParam(v as Tensor) : false;
    if (!inst) return false;
    const mro = inst.cls.t === 'user' ? inst.cls.cls.mro : [inst.cls];
    if (o.cls.t === 'torch' && o.cls.type === 'Module') return inst.isModule;
    return mro.some((m) => sameRef(m, o.cls));
  }
  if (o.t === 'opaque' || o.t === 'namespace') {
    // An object of a fully known class cannot be an instance of an unknown library type.
    const inst = instanceOf(v);
    if (inst && inst.cls.t === 'user' && inst.cls.cls.bases.length === (inst.cls.cls.def?.bases.length ?? 0)) return false;
    if (
      inst ||
      v.kind === 'tensor' ||
      v.kind === 'int' ||
      v.kind === 'float' ||
      v.kind === 'str' ||
      v.kind === 'none' ||
      v.kind === 'list' ||
      v.kind === 'tuple' ||
      v.kind === 'dict'
    )
      return false;
    return null;
  }
  return null;
}
