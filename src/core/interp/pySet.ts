// Python sets (and frozensets) of analysis values: members are found by hash key (pyHash.ts) — registries of thousands of
// names stay fast — and values without a key (symbolic ints, unknowns) are compared item by item.
import type { PyValue } from '../ops/values';
import { asObject, obj, unknown } from './objects';
import { pyBool, pyEquals, pyInt, setHas, type SetObject } from './pyOps';
import { hashKey } from './pyHash';

export function makeSet(items: readonly PyValue[], frozen = false): PyValue {
  const s: SetObject = { t: 'set', items: [], frozen, keyed: new Set(), loose: 0 };
  for (const x of items) addItem(s, x);
  return obj(s, frozen ? 'frozenset' : 'set');
}

export function setItems(v: PyValue): PyValue[] | null {
  const o = asObject(v);
  return o && o.t === 'set' ? o.items : null;
}

function setOf(v: PyValue): SetObject | null {
  const o = asObject(v);
  return o && o.t === 'set' ? o : null;
}

function addItem(s: SetObject, x: PyValue): void {
  if (setHas(s, x) === true) return;
  s.items.push(x);
  const k = hashKey(x);
  if (k === null) s.loose++;
  else s.keyed.add(k);
}

function removeItem(s: SetObject, x: PyValue): boolean {
  const k = hashKey(x);
  let i = -1;
  if (k !== null && s.keyed.has(k)) i = s.items.findIndex((y) => hashKey(y) === k);
  else if (k === null || s.loose > 0) i = s.items.findIndex((y) => pyEquals(x, y) === true);
  if (i < 0) return false;
  const ky = hashKey(s.items[i]!);
  if (ky === null) s.loose--;
  else s.keyed.delete(ky);
  s.items.splice(i, 1);
  return true;
}

const ALGEBRA: Readonly<Record<string, string>> = {
  union: 'union',
  intersection: 'intersection',
  intersection_update: 'intersection',
  difference: 'difference',
  difference_update: 'difference',
  symmetric_difference: 'symmetric_difference',
  symmetric_difference_update: 'symmetric_difference',
};

/** `items` combined with the set `o` by one of Python's set operations, in Python's item order for insertion-ordered sets. */
function combine(op: string, s: SetObject, o: SetObject): PyValue[] {
  const inOther = (x: PyValue) => setHas(o, x) === true;
  if (op === 'union') return [...s.items, ...o.items];
  if (op === 'intersection') return s.items.filter(inOther);
  if (op === 'difference') return s.items.filter((x) => !inOther(x));
  return [...s.items.filter((x) => !inOther(x)), ...o.items.filter((x) => setHas(s, x) !== true)];
}

/** Methods of a set value; `iter` turns other iterables into item lists. */
export function setMethod(self: PyValue, name: string, args: PyValue[], iter: (v: PyValue) => PyValue[] | null): PyValue {
  const s = setOf(self)!;
  const items = s.items;
  // An operand as a set, for membership tests against it.
  const asSet = (v: PyValue): SetObject | null => {
    const o = setOf(v);
    if (o) return o;
    const list = iter(v);
    return list ? setOf(makeSet(list)) : null;
  };
  if (name === 'update') {
    for (const a of args) {
      const list = setItems(a) ?? iter(a);
      if (!list) return unknown('set.update with an unknown value');
      for (const x of list) addItem(s, x);
    }
    return { kind: 'none' };
  }
  const op = ALGEBRA[name];
  if (op) {
    // set.union(*others) and friends take any number of iterables; the *_update forms change the set in place.
    let cur = s;
    for (const a of args) {
      const o = asSet(a);
      if (!o) return unknown(`set.${name} of an unknown value`);
      cur = setOf(makeSet(combine(op, cur, o), s.frozen))!;
    }
    if (!name.endsWith('update')) return cur === s ? makeSet(items, s.frozen) : obj(cur, s.frozen ? 'frozenset' : 'set');
    if (cur !== s) {
      items.length = 0;
      s.keyed.clear();
      s.loose = 0;
      for (const x of cur.items) addItem(s, x);
    }
    return { kind: 'none' };
  }
  switch (name) {
    case 'add':
      if (args[0]) addItem(s, args[0]);
      return { kind: 'none' };
    case 'discard':
    case 'remove':
      removeItem(s, args[0] ?? { kind: 'none' });
      return { kind: 'none' };
    case 'clear':
      items.length = 0;
      s.keyed.clear();
      s.loose = 0;
      return { kind: 'none' };
    case 'issubset':
    case 'issuperset':
    case 'isdisjoint': {
      const o = args[0] ? asSet(args[0]) : null;
      if (!o) return unknown(`set.${name} of an unknown value`);
      if (name === 'issubset') return pyBool(items.every((x) => setHas(o, x) === true));
      if (name === 'issuperset') return pyBool(o.items.every((x) => setHas(s, x) === true));
      return pyBool(!items.some((x) => setHas(o, x) === true));
    }
    case 'copy':
      return makeSet(items, s.frozen);
    case '__len__':
      return pyInt(items.length);
    default:
      return unknown(`set.${name}`);
  }
}
