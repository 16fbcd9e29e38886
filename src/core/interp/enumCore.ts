// Enum members as values: what equality, hashing, truthiness, str() and repr() need to know of them (no evaluator here,
// so pyOps/tensorLeaves can ask without an import cycle). Building enum classes is in stdlibEnum.ts.
import type { PyValue } from '../ops/values';
import { instanceOf, type Instance, type UserClass } from './objects';

export interface EnumInfo {
  /** 'flag' for Flag/IntFlag (members combine with | & ^). */
  readonly kind: 'enum' | 'flag';
  /** The data type mixed in (`class F(str, Enum)`, IntEnum, StrEnum): members compare, hash and compute as it. */
  readonly mixin: 'str' | 'int' | 'float' | null;
  /** str() shows the value (IntEnum, IntFlag, StrEnum), not `Cls.NAME`. */
  readonly strIsValue: boolean;
  /** Canonical members in definition order (aliases excluded). */
  readonly members: Instance[];
  /** Every member name, aliases included, in definition order. */
  readonly byName: Map<string, Instance>;
  /** Flag values that are no member of their own (`A | B`), made on first use. */
  readonly pseudo: Map<number, Instance>;
}

/** Enum classes (their own and the bases defined by the enum module) → what makes them enums. */
export const enumClasses = new WeakMap<UserClass, EnumInfo>();

/** The enum information of a class, looked up along its MRO (a subclass of an enum without members is an enum too). */
export function enumInfoOf(cls: UserClass): EnumInfo | null {
  for (const c of cls.mro) {
    if (c.t !== 'user') continue;
    const info = enumClasses.get(c.cls);
    if (info) return info;
  }
  return null;
}

/** The member instance and its class's enum information, or null when `v` is no enum member. */
export function enumMember(v: PyValue): { inst: Instance; info: EnumInfo } | null {
  if (v.kind !== 'object') return null;
  const inst = instanceOf(v);
  if (!inst || inst.cls.t !== 'user' || !inst.dict.has('_value_')) return null;
  const info = enumClasses.get(inst.cls.cls);
  return info ? { inst, info } : null;
}

export function memberValue(inst: Instance): PyValue {
  return inst.dict.get('_value_') ?? { kind: 'none' };
}

/** A member of a mixed-in enum as the plain value it is (`Fmt.NHWC == 'NHWC'`, `Level.HIGH * 2`); other values unchanged. */
export function enumPlain(v: PyValue): PyValue {
  if (v.kind !== 'object') return v;
  const m = enumMember(v);
  return m && m.info.mixin ? memberValue(m.inst) : v;
}

/** Truthiness of a member: a flag by its bits, a mixed-in member as its value; null for other values. */
export function enumTruth(v: PyValue, truthy: (x: PyValue) => boolean | null): boolean | null {
  const m = enumMember(v);
  if (!m) return null;
  if (m.info.kind === 'flag' || m.info.mixin) return truthy(memberValue(m.inst));
  return true;
}

function memberName(inst: Instance): string {
  const n = inst.dict.get('_name_');
  return n && n.kind === 'str' ? n.value : n?.kind === 'none' ? 'None' : '?';
}

/** repr(member): `<Cls.NAME: value>`; null when `v` is no member. */
export function enumRepr(v: PyValue, repr: (x: PyValue) => string): string | null {
  const m = enumMember(v);
  if (!m) return null;
  return `<${m.inst.typeName}.${memberName(m.inst)}: ${repr(memberValue(m.inst))}>`;
}

/** str(member): the value for IntEnum/IntFlag/StrEnum, `Cls.NAME` otherwise; null when `v` is no member. */
export function enumStr(v: PyValue, str: (x: PyValue) => string): string | null {
  const m = enumMember(v);
  if (!m) return null;
  return m.info.strIsValue ? str(memberValue(m.inst)) : `${m.inst.typeName}.${memberName(m.inst)}`;
}
