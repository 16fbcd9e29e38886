// Python standard-library modules that library code uses, as Python defines them: collections, functools, itertools,
// operator and copy here; dataclasses/inspect/types, numpy, math and re in their own files; typing and warnings as no-ops.
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, instanceOf, obj, unknown, type BuiltinFn } from './objects';
import { builtin } from './builtins';
import { deepCopy } from './deepCopy';
import { num, pyBool, pyEquals, pyInt, pyStr, truthy } from './pyOps';
import { dictKey } from './tensorLeaves';
import { mathAttr } from './stdlibMath';
import { reAttr } from './pyRegex';
import { attrObject, counters, defaultFactories, dictOf, namedtupleTypes } from './stdlibState';
import { dataclassesAttr, decoratorFactory, inspectAttr, typesAttr } from './stdlibObjects';
import { numpyAttr } from './stdlibNumpy';
import { enumAttr } from './stdlibEnum';

const identity = (name: string) => builtin(name, (a) => a[0] ?? NONE);

function dictFromArgs(ip: Evaluator, a: PyValue[], k: Map<string, PyValue>, r: Range | null): Extract<PyValue, { kind: 'dict' }> | null {
  const d = dictOf(ip, []);
  const src = a[0];
  if (src && src.kind === 'dict') for (const key of src.keys) ip.dictSet(d.entries, d.keys, key, src.entries.get(dictKey(key))!);
  else if (src && src.kind !== 'none') {
    const items = ip.iterate(src, r);
    if (!items) return null;
    for (const it of items) {
      const kv = ip.iterate(it, r);
      if (!kv || kv.length !== 2) return null;
      ip.dictSet(d.entries, d.keys, kv[0], kv[1]);
    }
  }
  for (const [name, v] of k) ip.dictSet(d.entries, d.keys, pyStr(name), v);
  return d;
}

// ---------------------------------------------------------------- collections

function namedtupleCtor(ip: Evaluator, r: Range | null): PyValue {
  return builtin('namedtuple', (a, k) => {
    const typename = a[0]?.kind === 'str' ? a[0].value : 'namedtuple';
    const spec = a[1] ?? k.get('field_names');
    let fields: string[] | null = null;
    if (spec?.kind === 'str') fields = spec.value.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
    else if (spec) fields = ip.iterate(spec, r)?.map((x) => (x.kind === 'str' ? x.value : '?')) ?? null;
    if (!fields) return unknown('namedtuple with field names not known at analysis time');
    const names = fields;
    const defaultsV = k.get('defaults');
    // `Cls.__new__.__defaults__ = (…)` sets defaults after the fact (as efficientnet-style configs do).
    const newObj = attrObject('function', [['__defaults__', defaultsV ?? NONE]]);
    const make: BuiltinFn = (args, kw, site) => {
      const later = asObject(newObj);
      const dv = later && later.t === 'pymodule' ? later.scope.globals.get('__defaults__') : undefined;
      const defaults = dv && dv.kind !== 'none' ? (ip.iterate(dv, r) ?? []) : [];
      const firstDefault = names.length - defaults.length;
      const items: PyValue[] = [];
      for (let i = 0; i < names.length; i++) {
        const v = args[i] ?? kw.get(names[i]) ?? (i >= firstDefault ? defaults[i - firstDefault] : undefined);
        if (!v) {
          ip.diag('error', 'call-args', `${typename}() missing required argument '${names[i]}'`, site.range);
          return unknown(`${typename}() with a missing argument`);
        }
        items.push(v);
      }
      return { kind: 'tuple', items, fields: names };
    };
    const cls = builtin(typename, make);
    const fieldTuple: PyValue = { kind: 'tuple', items: names.map(pyStr) };
    namedtupleTypes.set(cls, { fields: names, fieldTuple, make: (items) => ({ kind: 'tuple', items, fields: names }), newObj });
    return cls;
  });
}

function collectionsAttr(ip: Evaluator, name: string, r: Range | null): PyValue | null {
  switch (name) {
    case 'OrderedDict':
      return ip.builtins.get('OrderedDict')!;
    case 'defaultdict':
      return builtin('defaultdict', (a, k) => {
        const d = dictFromArgs(ip, a.slice(1), k, r) ?? dictOf(ip, []);
        defaultFactories.set(d, a[0] ?? NONE);
        return d;
      });
    case 'Counter':
      return builtin('Counter', (a, k) => {
        const d = dictOf(ip, []);
        const src = a[0];
        if (src && src.kind === 'dict') for (const key of src.keys) ip.dictSet(d.entries, d.keys, key, src.entries.get(dictKey(key))!);
        else if (src) {
          const items = ip.iterate(src, r);
          if (!items) return unknown('Counter of an unknown value');
          for (const x of items) {
            const cur = d.entries.get(dictKey(x));
            ip.dictSet(d.entries, d.keys, x, cur ? ip.binary('+', cur, pyInt(1), r) : pyInt(1));
          }
        }
        for (const [n, v] of k) ip.dictSet(d.entries, d.keys, pyStr(n), v);
        defaultFactories.set(
          d,
          builtin('int', () => pyInt(0)),
        );
        counters.add(d);
        return d;
      });
    case 'deque':
      return builtin('deque', (a, k) => {
        const items = a[0] ? ip.iterate(a[0], r) : [];
        if (!items) return unknown('deque of an unknown value');
        const maxlen = num(a[1] ?? k.get('maxlen') ?? NONE);
        return { kind: 'list', items: maxlen !== null ? items.slice(Math.max(0, items.length - maxlen)) : items };
      });
    case 'namedtuple':
      return namedtupleCtor(ip, r);
    case 'ChainMap':
      return builtin('ChainMap', (a) => {
        const d = dictOf(ip, []);
        for (const m of [...a].reverse()) if (m.kind === 'dict') for (const key of m.keys) ip.dictSet(d.entries, d.keys, key, m.entries.get(dictKey(key))!);
        return d;
      });
    case 'abc':
      return obj({ t: 'namespace', path: 'collections.abc' }, 'module');
  }
  return null;
}

// ---------------------------------------------------------------- functools

function functoolsAttr(ip: Evaluator, name: string, r: Range | null): PyValue | null {
  switch (name) {
    case 'partial':
    case 'partialmethod':
      return builtin(name, (a, k) => (a[0] ? obj({ t: 'partial', fn: a[0], args: a.slice(1), kwargs: k }, 'functools.partial') : unknown('partial')));
    case 'reduce':
      return builtin(name, (a) => {
        const items = a[1] ? ip.iterate(a[1], r) : null;
        if (!items || !a[0]) return unknown('reduce of an unknown value');
        let acc = a[2] ?? items.shift();
        if (!acc) return unknown('reduce of an empty sequence');
        for (const x of items) acc = ip.call(a[0], [acc, x], new Map(), r);
        return acc;
      });
    case 'wraps':
    case 'update_wrapper': {
      // wraps(wrapped)(wrapper): the wrapper takes the wrapped function's name and docs (its code keeps its own).
      const copy = (wrapper: PyValue, wrapped: PyValue): PyValue => {
        for (const key of ['__name__', '__qualname__', '__doc__', '__module__']) {
          const v = ip.getAttr(wrapped, key, r);
          if (v.kind !== 'unknown') ip.setAttr(wrapper, key, v, r);
        }
        ip.setAttr(wrapper, '__wrapped__', wrapped, r);
        return wrapper;
      };
      if (name === 'update_wrapper') return builtin(name, (a) => (a[0] && a[1] ? copy(a[0], a[1]) : (a[0] ?? NONE)));
      return builtin(name, (a) => (a[0] ? builtin('wraps.decorator', (b) => (b[0] ? copy(b[0], a[0]!) : NONE)) : unknown('wraps()')));
    }
    case 'cached_property':
      return builtin(name, (a) => (a[0] ? obj({ t: 'property', fn: a[0] }, 'property') : unknown('cached_property()')));
    case 'lru_cache':
    case 'cache':
    case 'total_ordering':
    case 'singledispatch':
    case 'singledispatchmethod':
      return decoratorFactory(name);
    case 'cmp_to_key':
      return builtin(name, (a) => a[0] ?? NONE);
  }
  return null;
}

// ---------------------------------------------------------------- itertools

function product(lists: PyValue[][]): PyValue[] {
  let out: PyValue[][] = [[]];
  for (const l of lists) out = out.flatMap((p) => l.map((x) => [...p, x]));
  return out.map((items) => ({ kind: 'tuple', items }));
}

function combinations(items: PyValue[], k: number, withReplacement: boolean): PyValue[] {
  const out: PyValue[] = [];
  const rec = (start: number, acc: PyValue[]) => {
    if (acc.length === k) return void out.push({ kind: 'tuple', items: acc });
    for (let i = start; i < items.length; i++) rec(withReplacement ? i : i + 1, [...acc, items[i]]);
  };
  rec(0, []);
  return out;
}

function permutations(items: PyValue[], k: number): PyValue[] {
  const out: PyValue[] = [];
  const rec = (used: boolean[], acc: PyValue[]) => {
    if (acc.length === k) return void out.push({ kind: 'tuple', items: acc });
    items.forEach((x, i) => {
      if (used[i]) return;
      used[i] = true;
      rec(used, [...acc, x]);
      used[i] = false;
    });
  };
  rec(
    items.map(() => false),
    [],
  );
  return out;
}

const MAX_ITEMS = 100000;

function itertoolsAttr(ip: Evaluator, name: string, r: Range | null): PyValue | null {
  const iter = (v: PyValue | undefined) => (v ? ip.iterate(v, r) : null);
  const list = (items: PyValue[]): PyValue => ({ kind: 'list', items });
  switch (name) {
    case 'chain':
      return builtin(name, (a) => {
        const items: PyValue[] = [];
        for (const x of a) {
          const it = iter(x);
          if (!it) return unknown('chain of an unknown value');
          items.push(...it);
        }
        return list(items);
      });
    case 'chain_from_iterable':
      return builtin(name, (a) => {
        const outer = iter(a[0]);
        if (!outer) return unknown('chain.from_iterable of an unknown value');
        const items: PyValue[] = [];
        for (const x of outer) {
          const it = iter(x);
          if (!it) return unknown('chain.from_iterable of an unknown value');
          items.push(...it);
        }
        return list(items);
      });
    case 'repeat':
      return builtin(name, (a, k) => {
        const n = num(a[1] ?? k.get('times') ?? NONE);
        return n === null || n > MAX_ITEMS ? unknown('itertools.repeat without a count') : list(Array.from({ length: Math.max(0, n) }, () => a[0] ?? NONE));
      });
    case 'product':
      return builtin(name, (a, k) => {
        const lists = a.map((x) => iter(x));
        if (lists.some((l) => !l)) return unknown('product of an unknown value');
        const rep = num(k.get('repeat') ?? pyInt(1)) ?? 1;
        const all: PyValue[][] = [];
        for (let i = 0; i < rep; i++) all.push(...(lists as PyValue[][]));
        if (all.reduce((n, l) => n * l.length, 1) > MAX_ITEMS) return unknown('product too large');
        return list(product(all));
      });
    case 'combinations':
    case 'combinations_with_replacement':
    case 'permutations':
      return builtin(name, (a, k) => {
        const items = iter(a[0]);
        if (!items) return unknown(`${name} of an unknown value`);
        const n = num(a[1] ?? k.get('r') ?? pyInt(items.length));
        if (n === null || items.length > 12) return unknown(`${name} too large`);
        return list(name === 'permutations' ? permutations(items, n) : combinations(items, n, name !== 'combinations'));
      });
    case 'accumulate':
      return builtin(name, (a, k) => {
        const items = iter(a[0]);
        if (!items) return unknown('accumulate of an unknown value');
        const fn = a[1] ?? k.get('func');
        const init = k.get('initial');
        const out: PyValue[] = [];
        let acc: PyValue | undefined = init && init.kind !== 'none' ? init : undefined;
        if (acc) out.push(acc);
        for (const x of items) {
          acc = acc === undefined ? x : fn && fn.kind !== 'none' ? ip.call(fn, [acc, x], new Map(), r) : ip.binary('+', acc, x, r);
          out.push(acc);
        }
        return list(out);
      });
    case 'islice':
      return builtin(name, (a) => {
        const items = iter(a[0]);
        if (!items) return unknown('islice of an unknown value');
        const args = a.slice(1).map((x) => (x.kind === 'none' ? null : num(x)));
        const [start, stop, step] = args.length === 1 ? [0, args[0], 1] : [args[0] ?? 0, args[1] ?? null, args[2] ?? 1];
        const out: PyValue[] = [];
        for (let i = start ?? 0; i < (stop ?? items.length) && i < items.length; i += step ?? 1) out.push(items[i]);
        return list(out);
      });
    case 'zip_longest':
      return builtin(name, (a, k) => {
        const lists = a.map((x) => iter(x));
        if (lists.some((l) => !l)) return unknown('zip_longest of an unknown value');
        const fill = k.get('fillvalue') ?? NONE;
        const n = Math.max(0, ...lists.map((l) => l!.length));
        return list(Array.from({ length: n }, (_, i) => ({ kind: 'tuple' as const, items: lists.map((l) => l![i] ?? fill) })));
      });
    case 'starmap':
      return builtin(name, (a) => {
        const items = iter(a[1]);
        if (!items || !a[0]) return unknown('starmap of an unknown value');
        const out: PyValue[] = [];
        for (const x of items) {
          const args = iter(x);
          if (!args) return unknown('starmap of an unknown value');
          out.push(ip.call(a[0], args, new Map(), r));
        }
        return list(out);
      });
    case 'groupby':
      return builtin(name, (a, k) => {
        const items = iter(a[0]);
        if (!items) return unknown('groupby of an unknown value');
        const key = a[1] ?? k.get('key');
        const out: PyValue[] = [];
        let curKey: PyValue | null = null;
        let cur: PyValue[] = [];
        for (const x of items) {
          const kx = key && key.kind !== 'none' ? ip.call(key, [x], new Map(), r) : x;
          if (curKey && pyEquals(curKey, kx) === true) cur.push(x);
          else {
            if (curKey) out.push({ kind: 'tuple', items: [curKey, list(cur)] });
            curKey = kx;
            cur = [x];
          }
        }
        if (curKey) out.push({ kind: 'tuple', items: [curKey, list(cur)] });
        return list(out);
      });
    case 'tee':
      return builtin(name, (a) => {
        const items = iter(a[0]);
        const n = num(a[1] ?? pyInt(2)) ?? 2;
        return items ? { kind: 'tuple', items: Array.from({ length: n }, () => list([...items])) } : unknown('tee of an unknown value');
      });
    case 'count':
    case 'cycle':
      return builtin(name, () => unknown(`itertools.${name} (an endless iterator)`));
    case 'compress':
      return builtin(name, (a) => {
        const items = iter(a[0]);
        const sel = iter(a[1]);
        if (!items || !sel) return unknown('compress of an unknown value');
        return list(items.filter((_, i) => i < sel.length && truthy(sel[i]) === true));
      });
    case 'takewhile':
    case 'dropwhile':
    case 'filterfalse':
      return builtin(name, (a) => {
        const items = iter(a[1]);
        if (!items || !a[0]) return unknown(`${name} of an unknown value`);
        const test = (x: PyValue) => truthy(a[0]!.kind === 'none' ? x : ip.call(a[0]!, [x], new Map(), r)) === true;
        if (name === 'filterfalse') return list(items.filter((x) => !test(x)));
        const i = items.findIndex((x) => !test(x));
        const cut = i < 0 ? items.length : i;
        return list(name === 'takewhile' ? items.slice(0, cut) : items.slice(cut));
      });
  }
  return null;
}

// ---------------------------------------------------------------- operator

const BINARY_OPS: Record<string, string> = {
  add: '+',
  sub: '-',
  mul: '*',
  truediv: '/',
  floordiv: '//',
  mod: '%',
  pow: '**',
  matmul: '@',
  and_: '&',
  or_: '|',
  xor: '^',
  lshift: '<<',
  rshift: '>>',
  iadd: '+',
  isub: '-',
  imul: '*',
  itruediv: '/',
  ifloordiv: '//',
  imatmul: '@',
  concat: '+',
  iconcat: '+',
};
const COMPARE_OPS: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', is_: 'is', is_not: 'is not' };

function operatorAttr(ip: Evaluator, name: string, r: Range | null): PyValue | null {
  if (name in BINARY_OPS) return builtin(name, (a) => ip.binary(BINARY_OPS[name], a[0] ?? NONE, a[1] ?? NONE, r));
  if (name in COMPARE_OPS) return builtin(name, (a) => ip.compare(COMPARE_OPS[name], a[0] ?? NONE, a[1] ?? NONE, r));
  switch (name) {
    case 'neg':
      return builtin(name, (a) => ip.binary('-', pyInt(0), a[0] ?? NONE, r));
    case 'pos':
    case 'index':
      return identity(name);
    case 'not_':
    case 'truth':
      return builtin(name, (a) => {
        const t = truthy(a[0] ?? NONE);
        return t === null ? unknown(`operator.${name} of an unknown value`) : pyBool(name === 'truth' ? t : !t);
      });
    case 'contains':
      return builtin(name, (a) => ip.compare('in', a[1] ?? NONE, a[0] ?? NONE, r));
    case 'getitem':
      return builtin(name, (a) => ip.getItem(a[0] ?? NONE, a[1] ?? NONE, r));
    case 'setitem':
      return builtin(name, (a) => (ip.setItem(a[0] ?? NONE, a[1] ?? NONE, a[2] ?? NONE, r), NONE));
    case 'itemgetter':
      return builtin(name, (keys) =>
        builtin('itemgetter', (a) => {
          const got = keys.map((k) => ip.getItem(a[0] ?? NONE, k, r));
          return got.length === 1 ? got[0] : { kind: 'tuple', items: got };
        }),
      );
    case 'attrgetter':
      return builtin(name, (names) =>
        builtin('attrgetter', (a) => {
          const got = names.map((n) =>
            n.kind === 'str' ? n.value.split('.').reduce((v, part) => ip.getAttr(v, part, r), a[0] ?? NONE) : unknown('attrgetter'),
          );
          return got.length === 1 ? got[0] : { kind: 'tuple', items: got };
        }),
      );
    case 'methodcaller':
      return builtin(name, (b, bk) =>
        builtin('methodcaller', (a) => (b[0]?.kind === 'str' ? ip.call(ip.getAttr(a[0] ?? NONE, b[0].value, r), b.slice(1), bk, r) : unknown('methodcaller'))),
      );
  }
  return null;
}

// ---------------------------------------------------------------- copy, dataclasses, inspect, types

function shallowCopy(ip: Evaluator, v: PyValue): PyValue {
  switch (v.kind) {
    case 'list':
      return { kind: 'list', items: [...v.items] };
    case 'dict': {
      const d = { kind: 'dict' as const, entries: new Map(v.entries), keys: [...v.keys] };
      const f = defaultFactories.get(v);
      if (f) defaultFactories.set(d, f);
      return d;
    }
    case 'object': {
      const inst = instanceOf(v);
      // A module copied shallowly still shares its children and parameters; a deep copy gives the same shapes.
      return inst ? deepCopy(ip, v) : v;
    }
    default:
      return v;
  }
}

// ---------------------------------------------------------------- numpy (arrays are constant tensors)

// ---------------------------------------------------------------- entry point

/** Attribute `name` of a standard-library module (`path` is the dotted module name); null when this file does not define it. */
export function stdlibAttr(ip: Evaluator, path: string, name: string, r: Range | null): PyValue | null {
  switch (path) {
    case 'math':
      return mathAttr(ip, name, r, false);
    case 'collections':
      return collectionsAttr(ip, name, r);
    case 'functools':
      return functoolsAttr(ip, name, r);
    case 'itertools':
      return itertoolsAttr(ip, name, r);
    case 'operator':
      return operatorAttr(ip, name, r);
    case 'copy':
      if (name === 'deepcopy') return builtin(name, (a) => (a[0] ? deepCopy(ip, a[0]) : NONE));
      if (name === 'copy') return builtin(name, (a) => (a[0] ? shallowCopy(ip, a[0]) : NONE));
      return null;
    case 'dataclasses':
      return dataclassesAttr(ip, name, r);
    case 'inspect':
      return inspectAttr(ip, name, r);
    case 'types':
      return typesAttr(ip, name);
    case 're':
      return reAttr(ip, name, r);
    case 'warnings':
      return builtin(name, () => NONE);
    case 'numpy':
      return numpyAttr(ip, name, r);
    case 'numpy.random':
      return builtin(name, () => unknown(`numpy.random.${name} (random values)`));
    case 'enum':
      return enumAttr(ip, name);
  }
  return null;
}
