// Python semantics of non-tensor values: truthiness, equality, identity, arithmetic on (symbolic) ints, floats, strings and sequences.
import { dim, dimAdd, dimEquals, dimFloorDiv, dimMod, dimMul, dimSub } from '../shape/dim';
import type { PyValue } from '../ops/values';
import { asObject, unknown, type InterpObject } from './objects';
import { hashKey } from './pyHash';
import { dictKey, pyRepr } from './tensorLeaves';
import { fixed, floatRepr } from './pyFormat';
import { enumPlain, enumStr, enumTruth } from './enumCore';

export const TRUE: PyValue = { kind: 'bool', value: true };
export const FALSE: PyValue = { kind: 'bool', value: false };
export const pyBool = (b: boolean): PyValue => (b ? TRUE : FALSE);
export const pyInt = (n: number): PyValue => ({ kind: 'int', dim: dim(n) });
export const pyStr = (s: string): PyValue => ({ kind: 'str', value: s });

/** Python truthiness; null when it cannot be known. */
export function truthy(v: PyValue): boolean | null {
  switch (v.kind) {
    case 'none':
      return false;
    case 'bool':
      return v.value;
    case 'int':
      return v.dim.value === null ? null : v.dim.value !== 0;
    case 'float':
      return v.value !== 0;
    case 'str':
      return v.value.length > 0;
    case 'tuple':
    case 'list':
      return v.items.length > 0;
    case 'dict':
      return v.keys.length > 0;
    case 'tensor':
      return null;
    case 'unknown':
      return null;
    case 'object': {
      const e = enumTruth(v, truthy);
      if (e !== null) return e;
      const o = asObject(v);
      if (o && o.t === 'instance' && o.inst.container) return o.inst.modules.size > 0 || o.inst.params.size > 0;
      if (o && o.t === 'set') return o.items.length > 0;
      return true;
    }
    default:
      return true;
  }
}

/** Number value of int/bool/float, or null. */
export function num(v: PyValue): number | null {
  if (v.kind === 'object') v = enumPlain(v);
  if (v.kind === 'int') return v.dim.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind === 'float') return v.value;
  return null;
}

const isIntLike = (v: PyValue): boolean => v.kind === 'int' || v.kind === 'bool';
const asIntDim = (v: PyValue) => (v.kind === 'int' ? v.dim : dim(v.kind === 'bool' && v.value ? 1 : 0));

/** `==` on Python values; null when undecidable. */
export function pyEquals(a: PyValue, b: PyValue): boolean | null {
  if (a.kind === 'object') a = enumPlain(a);
  if (b.kind === 'object') b = enumPlain(b);
  if (a.kind === 'unknown' || b.kind === 'unknown') return null;
  if (isIntLike(a) && isIntLike(b)) return dimEquals(asIntDim(a), asIntDim(b));
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null && (a.kind === 'float' || b.kind === 'float')) return na === nb;
  if ((a.kind === 'tuple' || a.kind === 'list') && (b.kind === 'tuple' || b.kind === 'list')) {
    if (a.kind !== b.kind) return false;
    if (a.items.length !== b.items.length) return false;
    let all: boolean | null = true;
    for (let i = 0; i < a.items.length; i++) {
      const e = pyEquals(a.items[i], b.items[i]);
      if (e === false) return false;
      if (e === null) all = null;
    }
    return all;
  }
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  if (a.kind === 'tensor' || b.kind === 'tensor') return null;
  if (a.kind === 'dict' && b.kind === 'dict') {
    if (a.keys.length !== b.keys.length) return false;
    for (const [k, v] of a.entries) {
      const w = b.entries.get(k);
      if (!w) return false;
      const e = pyEquals(v, w);
      if (e !== true) return e;
    }
    return true;
  }
  if (a.kind === 'object' && b.kind === 'object') return pyIs(a, b);
  if (a.kind !== b.kind) return false;
  return null;
}

/** `is`: object identity (None, bools and small values compare by value, as CPython interns them). */
export function pyIs(a: PyValue, b: PyValue): boolean | null {
  if (a.kind === 'unknown' || b.kind === 'unknown') return null;
  if (a === b) return true;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  if (a.kind === 'bool' && b.kind === 'bool') return a.value === b.value;
  if (a.kind === 'tensor' && b.kind === 'tensor') return (a as { obj?: number }).obj === (b as { obj?: number }).obj;
  if (a.kind === 'object' && b.kind === 'object') {
    const oa = asObject(a);
    const ob = asObject(b);
    if (oa && ob && oa.t === 'instance' && ob.t === 'instance') return oa.inst === ob.inst;
    if (oa && ob && oa.t === 'class' && ob.t === 'class') return sameClass(oa.cls, ob.cls);
    if (oa && ob && oa.t === 'namespace' && ob.t === 'namespace') return oa.path === ob.path;
    if (typeof a.ref === 'string' && typeof b.ref === 'string') return a.ref === b.ref;
    return a.ref === b.ref;
  }
  if (a.kind !== b.kind) return false;
  const e = pyEquals(a, b);
  return a.kind === 'int' || a.kind === 'str' ? e : false;
}

function sameClass(a: import('./objects').ClassRef, b: import('./objects').ClassRef): boolean {
  if (a.t === 'user' && b.t === 'user') return a.cls === b.cls;
  if (a.t === 'torch' && b.t === 'torch') return a.type === b.type;
  return false;
}

/** `<`, `<=`, `>`, `>=` on numbers, strings and sequences. */
export function pyOrder(op: string, a: PyValue, b: PyValue): boolean | null {
  if (a.kind === 'object') a = enumPlain(a);
  if (b.kind === 'object') b = enumPlain(b);
  const na = num(a);
  const nb = num(b);
  let c: number | null = null;
  if (na !== null && nb !== null) c = na - nb;
  else if (a.kind === 'str' && b.kind === 'str') c = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  else if ((a.kind === 'tuple' || a.kind === 'list') && (b.kind === 'tuple' || b.kind === 'list')) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      const e = pyEquals(a.items[i], b.items[i]);
      if (e === null) return null;
      if (!e) return pyOrder(op, a.items[i], b.items[i]);
    }
    c = a.items.length - b.items.length;
  }
  if (c === null || Number.isNaN(c)) return null;
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return null;
  }
}

/** `in` for lists, tuples, dicts and strings. */
export function pyContains(container: PyValue, item: PyValue): boolean | null {
  if (container.kind === 'tuple' || container.kind === 'list') {
    let r: boolean | null = false;
    for (const x of container.items) {
      const e = pyEquals(x, item);
      if (e) return true;
      if (e === null) r = null;
    }
    return r;
  }
  if (container.kind === 'dict') return container.entries.has(dictKey(item));
  if (container.kind === 'str' && item.kind === 'str') return container.value.includes(item.value);
  const o = asObject(container);
  if (o && o.t === 'set') return setHas(o, item);
  return null;
}

export type SetObject = Extract<InterpObject, { t: 'set' }>;

/** Membership in a set: a lookup by hash key, and item-by-item == only against the items without a key. */
export function setHas(s: SetObject, item: PyValue): boolean | null {
  const k = hashKey(item);
  if (k !== null) {
    if (s.keyed.has(k)) return true;
    if (s.loose === 0) return false;
  }
  let r: boolean | null = false;
  for (const x of s.items) {
    if (k !== null && hashKey(x) !== null) continue;
    const e = pyEquals(x, item);
    if (e) return true;
    if (e === null) r = null;
  }
  return r;
}

/** Binary arithmetic on non-tensor values; null when the operands are not plain Python values. */
export function pyBinary(op: string, a: PyValue, b: PyValue): PyValue | null {
  if (a.kind === 'object') a = enumPlain(a);
  if (b.kind === 'object') b = enumPlain(b);
  if (isIntLike(a) && isIntLike(b)) {
    const x = asIntDim(a);
    const y = asIntDim(b);
    switch (op) {
      case '+':
        return { kind: 'int', dim: dimAdd(x, y) };
      case '-':
        return { kind: 'int', dim: dimSub(x, y) };
      case '*':
        return { kind: 'int', dim: dimMul(x, y) };
      case '//':
        if (y.value === 0) return unknown('integer division by zero');
        return { kind: 'int', dim: dimFloorDiv(x, y) };
      case '%':
        if (y.value === 0) return unknown('integer modulo by zero');
        return { kind: 'int', dim: dimMod(x, y) };
      case '/':
        return x.value === null || y.value === null || y.value === 0 ? unknown('division of unknown ints') : { kind: 'float', value: x.value / y.value };
      case '**':
        if (x.value === null || y.value === null) return unknown('power of unknown ints');
        return y.value >= 0 ? { kind: 'int', dim: dim(x.value ** y.value) } : { kind: 'float', value: x.value ** y.value };
      case '&':
      case '|':
      case '^':
      case '<<':
      case '>>': {
        if (x.value === null || y.value === null) return unknown('bit operation on unknown ints');
        const r =
          op === '&'
            ? x.value & y.value
            : op === '|'
              ? x.value | y.value
              : op === '^'
                ? x.value ^ y.value
                : op === '<<'
                  ? x.value << y.value
                  : x.value >> y.value;
        if (a.kind === 'bool' && b.kind === 'bool' && (op === '&' || op === '|' || op === '^')) return pyBool(r !== 0);
        return pyInt(r);
      }
      default:
        return null;
    }
  }
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null) {
    switch (op) {
      case '+':
        return { kind: 'float', value: na + nb };
      case '-':
        return { kind: 'float', value: na - nb };
      case '*':
        return { kind: 'float', value: na * nb };
      case '/':
        return { kind: 'float', value: na / nb };
      case '//':
        return { kind: 'float', value: Math.floor(na / nb) };
      case '%':
        return { kind: 'float', value: na - nb * Math.floor(na / nb) };
      case '**':
        return { kind: 'float', value: na ** nb };
      default:
        return null;
    }
  }
  if (a.kind === 'str' && b.kind === 'str' && op === '+') return pyStr(a.value + b.value);
  if (a.kind === 'str' && op === '%') return percentFormat(a.value, b);
  if (a.kind === 'str' && isIntLike(b) && op === '*') {
    const n = asIntDim(b).value;
    return n === null ? unknown('string repeat by unknown count') : pyStr(a.value.repeat(Math.max(0, n)));
  }
  if ((a.kind === 'list' && b.kind === 'list') || (a.kind === 'tuple' && b.kind === 'tuple')) {
    if (op === '+') return a.kind === 'list' ? { kind: 'list', items: [...a.items, ...b.items] } : { kind: 'tuple', items: [...a.items, ...b.items] };
  }
  if ((a.kind === 'list' || a.kind === 'tuple') && isIntLike(b) && op === '*') {
    const n = asIntDim(b).value;
    if (n === null || n > 100000) return unknown('sequence repeat by unknown count');
    const items: PyValue[] = [];
    for (let i = 0; i < n; i++) items.push(...a.items);
    return a.kind === 'list' ? { kind: 'list', items } : { kind: 'tuple', items };
  }
  if (isIntLike(a) && (b.kind === 'list' || b.kind === 'tuple') && op === '*') return pyBinary(op, b, a);
  if (a.kind === 'dict' && b.kind === 'dict' && op === '|') {
    const entries = new Map(a.entries);
    const keys = [...a.keys];
    for (const k of b.keys) {
      const key = dictKey(k);
      if (!entries.has(key)) keys.push(k);
      entries.set(key, b.entries.get(key)!);
    }
    return { kind: 'dict', entries, keys };
  }
  return null;
}

/** Python `str()` of simple values (f-strings, messages). */
export function pyStrOf(v: PyValue): string {
  switch (v.kind) {
    case 'str':
      return v.value;
    case 'int':
      return v.dim.value === null ? '?' : String(v.dim.value);
    case 'float':
      return floatRepr(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple':
    case 'list':
    case 'dict':
      // Containers show their items' repr, as str() of a container does.
      return pyRepr(v);
    case 'tensor':
      return 'tensor(...)';
    case 'object':
      return enumStr(v, pyStrOf) ?? `<${v.typeName}>`;
    default:
      return `<${v.kind}>`;
  }
}

/** printf-style `'%d-%s' % (1, 'a')` for the conversions model code uses in names and messages. */
function percentFormat(fmt: string, arg: PyValue): PyValue {
  const args = arg.kind === 'tuple' ? arg.items : [arg];
  let i = 0;
  let failed = false;
  const out = fmt.replace(
    /%(?:\(([^)]*)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g,
    (_m, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      let v: PyValue | undefined;
      if (key !== undefined && arg.kind === 'dict') v = arg.entries.get(key);
      else v = args[i++];
      if (!v) {
        failed = true;
        return '';
      }
      let text: string;
      const n = num(v);
      if ('diouxX'.includes(conv)) {
        if (n === null) return ((failed = true), '');
        const k = Math.trunc(n);
        text = conv === 'x' ? k.toString(16) : conv === 'X' ? k.toString(16).toUpperCase() : conv === 'o' ? k.toString(8) : String(k);
      } else if ('eEfFgG'.includes(conv)) {
        if (n === null) return ((failed = true), '');
        const p = prec === undefined ? 6 : Number(prec);
        text = conv === 'e' || conv === 'E' ? n.toExponential(p) : conv === 'g' || conv === 'G' ? String(Number(n.toPrecision(p || 1))) : fixed(n, p);
      } else text = conv === 'r' || conv === 'a' ? pyRepr(v) : pyStrOf(v);
      const w = width ? Number(width) : 0;
      if (text.length < w) text = flags.includes('-') ? text.padEnd(w) : flags.includes('0') && !'sr'.includes(conv) ? text.padStart(w, '0') : text.padStart(w);
      return text;
    },
  );
  return failed ? unknown('string formatting with values not known at analysis time') : pyStr(out);
}
