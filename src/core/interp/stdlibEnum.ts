// The enum module as Python defines it: Enum/IntEnum/StrEnum/Flag/IntFlag classes whose class body values become
// members (with auto() and _generate_next_value_), lookup by value `Cls(v)` and by name `Cls['NAME']`, iteration and
// len() over a class, flags combined with | & ^ and tested with `in`.
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { PyRaise } from './errors';
import { Instance, asObject, obj, unknown, type BuiltinFn, type UserClass } from './objects';
import { enumClasses, enumInfoOf, enumMember, memberValue, type EnumInfo } from './enumCore';
import { num, pyEquals, pyInt, pyStr } from './pyOps';
import { pyRepr } from './tensorLeaves';

type BaseName = 'Enum' | 'IntEnum' | 'StrEnum' | 'Flag' | 'IntFlag' | 'ReprEnum';

const BASE_SCOPE = { file: '<enum>', name: 'enum', globals: new Map<string, PyValue>() };
const bases = new Map<BaseName, UserClass>();

/** The enum module's own base classes: one class object each, so isinstance/issubclass and identity hold. */
function baseClass(name: BaseName): UserClass {
  const got = bases.get(name);
  if (got) return got;
  const parent: BaseName | null = name === 'Enum' ? null : name === 'IntFlag' ? 'Flag' : 'Enum';
  const parentCls = parent ? baseClass(parent) : null;
  const cls: UserClass = {
    name,
    qualname: name,
    def: null,
    bases: parentCls ? [{ t: 'user', cls: parentCls }] : [],
    ns: new Map(),
    scope: BASE_SCOPE,
    mro: [],
  };
  cls.mro = [{ t: 'user', cls }, ...(parentCls ? parentCls.mro : [])];
  const mixin = name === 'IntEnum' || name === 'IntFlag' ? 'int' : name === 'StrEnum' ? 'str' : null;
  enumClasses.set(cls, {
    kind: name === 'Flag' || name === 'IntFlag' ? 'flag' : 'enum',
    mixin,
    strIsValue: mixin !== null,
    members: [],
    byName: new Map(),
    pseudo: new Map(),
  });
  bases.set(name, cls);
  return cls;
}

const AUTO = 'enum.auto';
const builtin = (name: string, call: BuiltinFn): PyValue => obj({ t: 'builtin', name, call }, 'builtin_function_or_method');

export function enumAttr(ip: Evaluator, name: string): PyValue | null {
  switch (name) {
    case 'Enum':
    case 'IntEnum':
    case 'StrEnum':
    case 'Flag':
    case 'IntFlag':
    case 'ReprEnum':
      return obj({ t: 'class', cls: { t: 'user', cls: baseClass(name) } }, 'type');
    case 'EnumMeta':
    case 'EnumType':
      return ip.builtins.get('type') ?? null;
    case 'auto':
      return builtin('auto', () => obj({ t: 'opaque', what: AUTO }, AUTO));
    case 'unique':
    case 'verify':
    case 'global_enum':
      return builtin(name, (a) => a[0] ?? NONE);
    default:
      return null;
  }
}

/** Whether a class body's name/value becomes a member (not a dunder, _sunder_, function, descriptor or nested class). */
function isMemberEntry(name: string, v: PyValue, ignore: ReadonlySet<string>): boolean {
  if (ignore.has(name) || (name.startsWith('_') && (name.endsWith('_') || name.startsWith('__')))) return false;
  const o = asObject(v);
  if (!o) return true;
  if (o.t === 'opaque' && o.what === AUTO) return true;
  return !['func', 'builtin', 'staticmethod', 'classmethod', 'property', 'class', 'partial', 'lazy'].includes(o.t);
}

/**
 * Turns a class whose MRO holds an enum base into an enum once its body ran: every member entry of the body becomes an
 * instance of the class (aliases share the first member of equal value). `plainBases` are builtin types among its bases
 * (`class F(str, Enum)` mixes str in).
 */
export function finishEnumClass(ip: Evaluator, cls: UserClass, plainBases: readonly string[], r: Range | null): void {
  const inherited = enumInfoOf(cls);
  if (!inherited) return;
  const mixinBase = plainBases.find((b) => b === 'str' || b === 'int' || b === 'float') as EnumInfo['mixin'] | undefined;
  const info: EnumInfo = {
    kind: inherited.kind,
    mixin: mixinBase ?? inherited.mixin,
    strIsValue: inherited.strIsValue,
    members: [],
    byName: new Map(),
    pseudo: new Map(),
  };
  enumClasses.set(cls, info);
  const ignoreV = cls.ns.get('_ignore_');
  const ignore = new Set<string>(
    ignoreV?.kind === 'str'
      ? ignoreV.value.split(/[\s,]+/).filter(Boolean)
      : (ip.iterate(ignoreV ?? { kind: 'list', items: [] }, r) ?? []).map((x) => (x.kind === 'str' ? x.value : '')),
  );
  for (const n of ignore) cls.ns.delete(n);
  const gen = lookupUser(cls, '_generate_next_value_');
  const init = lookupUser(cls, '__init__');
  const lastValues: PyValue[] = [];
  for (const [name, raw] of [...cls.ns]) {
    if (!isMemberEntry(name, raw, ignore)) continue;
    let value = raw;
    if (raw.kind === 'object' && raw.typeName === AUTO) {
      if (gen) {
        const fn = asObject(gen)?.t === 'staticmethod' ? (asObject(gen) as { fn: PyValue }).fn : gen;
        value = ip.call(fn, [pyStr(name), pyInt(1), pyInt(info.members.length), { kind: 'list', items: [...lastValues] }], new Map(), r);
      } else value = nextValue(info, name, lastValues);
    }
    if (info.mixin === 'int' && value.kind === 'bool') value = pyInt(Number(value.value));
    const alias = info.members.find((m) => pyEquals(memberValue(m), value) === true);
    if (alias) {
      info.byName.set(name, alias);
      cls.ns.set(name, alias.value);
      continue;
    }
    const inst = new Instance({ t: 'user', cls }, cls.name, false);
    inst.dict.set('_name_', pyStr(name));
    inst.dict.set('_value_', value);
    if (init) {
      const args = value.kind === 'tuple' ? [...value.items] : [value];
      ip.call(ip.bindFromClass(init, inst.value, { t: 'user', cls: ownerOf(cls, '__init__') }), args, new Map(), r);
    }
    inst.dict.set('name', pyStr(name));
    inst.dict.set('value', inst.dict.get('_value_') ?? value);
    info.members.push(inst);
    info.byName.set(name, inst);
    cls.ns.set(name, inst.value);
    lastValues.push(value);
  }
  const members: PyValue = { kind: 'dict', entries: new Map(), keys: [] };
  for (const [n, m] of info.byName) ip.dictSet(members.entries, members.keys, pyStr(n), m.value);
  cls.ns.set('__members__', members);
  cls.ns.set('_member_map_', members);
  cls.ns.set('_member_names_', { kind: 'list', items: info.members.map((m) => m.dict.get('_name_') ?? NONE) });
  const byValue: PyValue = { kind: 'dict', entries: new Map(), keys: [] };
  for (const m of info.members) ip.dictSet(byValue.entries, byValue.keys, memberValue(m), m.value);
  cls.ns.set('_value2member_map_', byValue);
}

/** A name defined by the user's classes along the MRO (the enum module's bases define none). */
function lookupUser(cls: UserClass, name: string): PyValue | null {
  for (const c of cls.mro) if (c.t === 'user' && c.cls.scope !== BASE_SCOPE && c.cls.ns.has(name)) return c.cls.ns.get(name)!;
  return null;
}

function ownerOf(cls: UserClass, name: string): UserClass {
  for (const c of cls.mro) if (c.t === 'user' && c.cls.ns.has(name)) return c.cls;
  return cls;
}

/** _generate_next_value_ of the enum module: last value + 1 from 1 (Enum), the next power of two (Flag), the lower-cased name (StrEnum). */
function nextValue(info: EnumInfo, name: string, last: readonly PyValue[]): PyValue {
  if (info.mixin === 'str') return pyStr(name.toLowerCase());
  const nums = last.map(num).filter((n): n is number => n !== null);
  if (info.kind === 'flag') {
    const high = nums.length ? Math.max(...nums) : 0;
    return pyInt(high <= 0 ? 1 : 2 ** Math.floor(Math.log2(high) + 1));
  }
  const prev = last.length ? num(last[last.length - 1]) : null;
  return pyInt(prev === null ? 1 : prev + 1);
}

/** `Cls(value)` on an enum class: the member of that value (flags: a combination of members); ValueError otherwise. */
export function enumCall(ip: Evaluator, cls: UserClass, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue | null {
  const info = enumClasses.get(cls);
  if (!info) return null;
  if (cls.scope === BASE_SCOPE || args.length !== 1 || kwargs.size) {
    ip.diag('warning', 'unsupported', `the functional enum API (${cls.name}(name, members)) is not supported by the analysis`, r);
    return unknown('enum made by the functional API');
  }
  const v = args[0];
  if (v.kind === 'unknown') return unknown('enum member of a value not known at analysis time');
  const m = enumMember(v);
  if (m && m.inst.cls.t === 'user' && m.inst.cls.cls === cls) return v;
  for (const inst of info.members) if (pyEquals(memberValue(inst), v) === true) return inst.value;
  if (info.kind === 'flag') {
    const bits = num(v);
    if (bits !== null && Number.isInteger(bits)) return flagMember(cls, info, bits);
  }
  const missing = lookupUser(cls, '_missing_');
  if (missing) {
    const got = ip.call(ip.bindFromClass(missing, obj({ t: 'class', cls: { t: 'user', cls } }, 'type'), { t: 'user', cls }), [v], new Map(), r);
    if (got.kind !== 'none') return got;
  }
  throw new PyRaise(`${pyRepr(v)} is not a valid ${cls.qualname}`, r, ip.currentFile, 'ValueError');
}

/** The flag member of `bits`: a defined member, or a combination named like Python's (`A|B`). */
function flagMember(cls: UserClass, info: EnumInfo, bits: number): PyValue {
  const exact = info.members.find((m) => num(memberValue(m)) === bits);
  if (exact) return exact.value;
  const got = info.pseudo.get(bits);
  if (got) return got.value;
  const parts = info.members.filter((m) => {
    const b = num(memberValue(m)) ?? 0;
    return b !== 0 && (b & (b - 1)) === 0 && (bits & b) === b;
  });
  const inst = new Instance({ t: 'user', cls }, cls.name, false);
  const name: PyValue = parts.length ? pyStr(parts.map((m) => (m.dict.get('_name_') as { value: string }).value).join('|')) : NONE;
  inst.dict.set('_name_', name);
  inst.dict.set('_value_', pyInt(bits));
  inst.dict.set('name', name);
  inst.dict.set('value', pyInt(bits));
  info.pseudo.set(bits, inst);
  return inst.value;
}

/** `a | b`, `a & b`, `a ^ b` on flag members of one class (IntFlag also with ints); null for other operands. */
export function flagBinary(op: string, a: PyValue, b: PyValue): PyValue | null {
  if (op !== '|' && op !== '&' && op !== '^') return null;
  const ma = enumMember(a);
  const mb = enumMember(b);
  const m = ma ?? mb;
  if (!m || m.info.kind !== 'flag' || m.inst.cls.t !== 'user') return null;
  const cls = m.inst.cls.cls;
  if (ma && mb && ma.inst.cls !== mb.inst.cls && !(ma.inst.cls.t === 'user' && mb.inst.cls.t === 'user' && ma.inst.cls.cls === mb.inst.cls.cls)) return null;
  if ((!ma || !mb) && m.info.mixin !== 'int') return null;
  const x = num(ma ? memberValue(ma.inst) : a);
  const y = num(mb ? memberValue(mb.inst) : b);
  if (x === null || y === null) return null;
  const bits = op === '|' ? x | y : op === '&' ? x & y : x ^ y;
  return flagMember(cls, m.info, bits);
}

/** `a in flags`: all of a's bits are set in `flags`; null when `flags` is no flag member. */
export function flagContains(flags: PyValue, item: PyValue): boolean | null {
  const m = enumMember(flags);
  if (!m || m.info.kind !== 'flag') return null;
  const x = num(memberValue(m.inst));
  const im = enumMember(item);
  const y = num(im ? memberValue(im.inst) : item);
  if (x === null || y === null) return null;
  return (x & y) === y;
}

/** The user enum class of a class value, or null. */
export function enumClassOf(v: PyValue): { cls: UserClass; info: EnumInfo } | null {
  const o = asObject(v);
  if (!o || o.t !== 'class' || o.cls.t !== 'user') return null;
  const info = enumClasses.get(o.cls.cls);
  return info ? { cls: o.cls.cls, info } : null;
}

/** `Cls['NAME']` on an enum class: the member of that name, KeyError otherwise. */
export function enumGetItem(ip: Evaluator, v: PyValue, index: PyValue, r: Range | null): PyValue | null {
  const e = enumClassOf(v);
  if (!e) return null;
  if (index.kind !== 'str') return index.kind === 'unknown' ? unknown('enum member of a name not known at analysis time') : null;
  const m = e.info.byName.get(index.value);
  if (m) return m.value;
  throw new PyRaise(pyRepr(index), r, ip.currentFile, 'KeyError');
}

/** The members a `for` over an enum class sees (aliases and flag combinations excluded). */
export function enumIter(v: PyValue): PyValue[] | null {
  const e = enumClassOf(v);
  if (!e) return null;
  const ms =
    e.info.kind === 'flag'
      ? e.info.members.filter((m) => {
          const b = num(memberValue(m));
          return b !== null && b !== 0 && (b & (b - 1)) === 0;
        })
      : e.info.members;
  return ms.map((m) => m.value);
}
