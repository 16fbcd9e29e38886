// Python sets (and frozensets) of hashable analysis values: membership, subset tests and set algebra by value equality.
import type { PyValue } from '../ops/values';
import { asObject, obj, unknown } from './objects';
import { pyBool, pyEquals, pyInt } from './pyOps';

export function makeSet(items: readonly PyValue[], frozen = false): PyValue {
  const out: PyValue[] = [];
  const strs = new Set<string>();
  for (const x of items) {
    if (x.kind === 'str') {
      if (strs.has(x.value)) continue;
      strs.add(x.value);
      out.push(x);
    } else if (!out.some((y) => pyEquals(x, y) === true)) out.push(x);
  }
  return obj({ t: 'set', items: out, frozen }, frozen ? 'frozenset' : 'set');
}

export function setItems(v: PyValue): PyValue[] | null {
  const o = asObject(v);
  return o && o.t === 'set' ? o.items : null;
}

/** Membership; a str equals only a str, so string sets (registries of names) are scanned without the general ==. */
const has = (items: readonly PyValue[], x: PyValue): boolean => {
  if (x.kind === 'str') {
    const v = x.value;
    return items.some((y) => y.kind === 'str' && y.value === v);
  }
  return items.some((y) => pyEquals(x, y) === true);
};

/** Methods of a set value; `iter` turns other iterables into item lists. */
export function setMethod(self: PyValue, name: string, args: PyValue[], iter: (v: PyValue) => PyValue[] | null): PyValue {
  const items = setItems(self)!;
  const other = () => (args[0] ? (setItems(args[0]) ?? iter(args[0])) : []);
  switch (name) {
    case 'add':
      if (args[0] && !has(items, args[0])) items.push(args[0]);
      return { kind: 'none' };
    case 'update':
    case 'discard':
    case 'remove': {
      const o = name === 'update' ? other() : [args[0] ?? { kind: 'none' }];
      if (!o) return unknown('set update with an unknown value');
      for (const x of o) {
        const i = items.findIndex((y) => pyEquals(x, y) === true);
        if (name === 'update' && i < 0) items.push(x);
        else if (name !== 'update' && i >= 0) items.splice(i, 1);
      }
      return { kind: 'none' };
    }
    case 'issubset':
    case 'issuperset':
    case 'isdisjoint': {
      const o = other();
      if (!o) return unknown(`set.${name} of an unknown value`);
      if (name === 'issubset') return pyBool(items.every((x) => has(o, x)));
      if (name === 'issuperset') return pyBool(o.every((x) => has(items, x)));
      return pyBool(!items.some((x) => has(o, x)));
    }
    case 'union':
    case 'intersection':
    case 'difference':
    case 'symmetric_difference': {
      const o = other();
      if (!o) return unknown(`set.${name} of an unknown value`);
      if (name === 'union') return makeSet([...items, ...o]);
      if (name === 'intersection') return makeSet(items.filter((x) => has(o, x)));
      if (name === 'difference') return makeSet(items.filter((x) => !has(o, x)));
      return makeSet([...items.filter((x) => !has(o, x)), ...o.filter((x) => !has(items, x))]);
    }
    case 'copy':
      return makeSet(items);
    case '__len__':
      return pyInt(items.length);
    default:
      return unknown(`set.${name}`);
  }
}
