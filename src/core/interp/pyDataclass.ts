// @dataclass as Python defines it: the fields (annotated names of the class and of its dataclass bases, base fields first),
// field(default=…, default_factory=…, init=…) — a factory is called for every instance, never shared — and the
// generated __init__ that sets them and ends with __post_init__. fields(), replace(), asdict() and
// __dataclass_fields__ read the same record.
import type { ClassDef, Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, instanceOf, obj, type ClassRef, type UserClass } from './objects';
import { pyBool, pyStr } from './pyOps';
import { attrObject } from './stdlibState';

export interface FieldSpec {
  readonly name: string;
  /** The default value, when the field has one. */
  readonly default: PyValue | null;
  /** Called with no arguments for each instance that is not given the field. */
  readonly factory: PyValue | null;
  /** False: not an __init__ parameter (set from its default or factory). */
  readonly init: boolean;
}

/** What field(...) returned, by the returned object. */
const fieldCalls = new WeakMap<object, Omit<FieldSpec, 'name'>>();
const classFields = new WeakMap<UserClass, readonly FieldSpec[]>();

export const MISSING: PyValue = obj({ t: 'opaque', what: 'dataclasses.MISSING' }, 'dataclasses._MISSING_TYPE');

/** dataclasses.field(*, default, default_factory, init, …): a marker the @dataclass decorator reads. */
export function makeField(kwargs: ReadonlyMap<string, PyValue>): PyValue {
  const v = attrObject('dataclasses.Field', []);
  const init = kwargs.get('init');
  fieldCalls.set(v.kind === 'object' ? (v.ref as object) : v, {
    default: kwargs.get('default') ?? null,
    factory: kwargs.get('default_factory') ?? null,
    init: !(init?.kind === 'bool' && !init.value),
  });
  return v;
}

function fieldCall(v: PyValue): Omit<FieldSpec, 'name'> | null {
  return v.kind === 'object' && typeof v.ref === 'object' && v.ref !== null ? (fieldCalls.get(v.ref) ?? null) : null;
}

/** The fields of a dataclass (the class or one of its instances); null for anything else. */
export function dataclassFieldsOf(v: PyValue): readonly FieldSpec[] | null {
  const inst = instanceOf(v);
  const o = asObject(v);
  const cls: ClassRef | null = inst ? inst.cls : o && o.t === 'class' ? o.cls : null;
  return cls && cls.t === 'user' ? (classFields.get(cls.cls) ?? null) : null;
}

/** Field objects as dataclasses.fields() gives them (name, default, default_factory, init). */
export function fieldObject(f: FieldSpec): PyValue {
  return attrObject('dataclasses.Field', [
    ['name', pyStr(f.name)],
    ['default', f.default ?? MISSING],
    ['default_factory', f.factory ?? MISSING],
    ['init', pyBool(f.init)],
  ]);
}

/**
 * Applies @dataclass to a class whose body has run: records its fields, turns field(...) class attributes into the
 * default they name (or removes them when there is none), and adds the generated __init__ unless the class defines one.
 */
export function applyDataclass(ev: Evaluator, cls: UserClass, s: ClassDef): void {
  const byName = new Map<string, FieldSpec>();
  for (const c of [...cls.mro].reverse()) {
    if (c.t !== 'user' || c.cls === cls) continue;
    for (const f of classFields.get(c.cls) ?? []) byName.set(f.name, f);
  }
  for (const st of s.body) {
    if (st.k !== 'annassign' || st.target.k !== 'name') continue;
    const name = st.target.id;
    const raw = cls.ns.get(name);
    const call = raw ? fieldCall(raw) : null;
    if (call) {
      if (call.default) cls.ns.set(name, call.default);
      else cls.ns.delete(name);
    }
    byName.set(name, call ? { name, ...call } : { name, default: raw ?? null, factory: null, init: true });
  }
  const fields = [...byName.values()];
  classFields.set(cls, fields);
  if (!cls.ns.has('__init__')) cls.ns.set('__init__', generatedInit(ev, cls, fields));
}

function generatedInit(ev: Evaluator, cls: UserClass, fields: readonly FieldSpec[]): PyValue {
  const params = fields.filter((f) => f.init);
  const call = (args: PyValue[], kwargs: Map<string, PyValue>, site: { readonly range: Range | null }): PyValue => {
    const self = args[0] ?? NONE;
    if (args.length - 1 > params.length)
      ev.callArgError(`${cls.name}.__init__() takes ${params.length + 1} positional arguments but ${args.length} were given`, site.range);
    for (const k of kwargs.keys())
      if (!params.some((f) => f.name === k)) ev.callArgError(`${cls.name}.__init__() got an unexpected keyword argument '${k}'`, site.range);
    fields.forEach((f) => {
      const i = f.init ? params.indexOf(f) : -1;
      const given = i >= 0 ? (args[i + 1] ?? kwargs.get(f.name)) : undefined;
      const v = given ?? f.default ?? (f.factory ? ev.call(f.factory, [], new Map(), site.range) : null);
      if (v) ev.setAttr(self, f.name, v, site.range);
      else if (f.init) ev.callArgError(`${cls.name}() missing required argument '${f.name}'`, site.range);
    });
    // The generated __init__ ends by calling __post_init__ when the class defines one.
    for (const c of cls.mro) {
      const post = ev.lookupInClass(c, '__post_init__');
      if (post) {
        ev.call(ev.bindFromClass(post, self, c), [], new Map(), site.range);
        break;
      }
    }
    return NONE;
  };
  return obj({ t: 'builtin', name: '__init__', call }, 'builtin_function_or_method');
}
