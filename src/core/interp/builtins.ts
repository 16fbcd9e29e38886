// Python builtins and methods of builtin values (list, dict, str, torch.Size) that model code uses.
import { enumPlain } from './enumCore';
import { dim } from '../shape/dim';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, instanceOf, obj, unknown, type BuiltinFn, type Tensor } from './objects';
import { num, pyBool, pyEquals, pyInt, pyOrder, pyStr, pyStrOf, truthy } from './pyOps';
import { dictKey, pyRepr } from './tensorLeaves';
import { instanceGetAttr } from './moduleRuntime';
import { addNamespaceBuiltins } from './moduleObjects';
import { PyRaise } from './errors';
import { makeSet } from './pySet';
import { pyNumber, toPyList } from './tensorConsts';
import { isInstance, newClass, sameRef } from './pyTypes';
import { addStrMethods } from './strMethods';

const MAX_RANGE = 100000;

/** Names of builtin types, usable in isinstance() and as constructors. */
export const BUILTIN_TYPES: ReadonlySet<string> = new Set([
  'int',
  'float',
  'bool',
  'str',
  'list',
  'tuple',
  'dict',
  'set',
  'frozenset',
  'object',
  'type',
  'OrderedDict',
  'defaultdict',
  'Tensor',
  'Size',
]);

export function builtin(name: string, call: BuiltinFn): PyValue {
  return obj({ t: 'builtin', name, call }, BUILTIN_TYPES.has(name) ? 'type' : 'builtin_function_or_method');
}

const EXCEPTIONS = [
  'Exception',
  'BaseException',
  'ValueError',
  'TypeError',
  'RuntimeError',
  'NotImplementedError',
  'AssertionError',
  'KeyError',
  'IndexError',
  'AttributeError',
  'ImportError',
  'ModuleNotFoundError',
  'StopIteration',
  'Warning',
  'UserWarning',
  'DeprecationWarning',
  'ZeroDivisionError',
  'OSError',
  'FileNotFoundError',
  'ArithmeticError',
  'LookupError',
];

export function makeBuiltins(ip: Evaluator): Map<string, PyValue> {
  const b = new Map<string, PyValue>();
  const def = (name: string, call: BuiltinFn) => b.set(name, builtin(name, call));
  const iter = (v: PyValue | undefined) => (v ? ip.iterate(v, ip.site.range) : null);
  const kw = (kwargs: Map<string, PyValue>, k: string) => kwargs.get(k);

  def('len', (a) => ip.length(a[0] ?? NONE, ip.site.range));
  def('print', () => NONE);
  def('range', (a) => {
    const ns = a.map((x) => (x.kind === 'int' || x.kind === 'bool' ? num(x) : null));
    if (ns.some((x) => x === null) || !ns.length) return unknown('range() with bounds not known at analysis time');
    const [start, stop, step] = ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? 1];
    if (step === 0) return unknown('range() step 0');
    const count = Math.max(0, Math.ceil((stop - start) / step));
    if (count > MAX_RANGE) {
      ip.diag('warning', 'loop-budget', `range of ${count} items is too long to analyse`, ip.site.range);
      return unknown('range too long');
    }
    const items: PyValue[] = [];
    for (let i = 0; i < count; i++) items.push(pyInt(start + i * step));
    return { kind: 'list', items };
  });
  def('enumerate', (a, k) => {
    const items = iter(a[0]);
    if (!items) return unknown('enumerate of an unknown value');
    const start = num(a[1] ?? kw(k, 'start') ?? pyInt(0)) ?? 0;
    return { kind: 'list', items: items.map((x, i) => ({ kind: 'tuple', items: [pyInt(start + i), x] })) };
  });
  def('zip', (a) => {
    const lists = a.map((x) => iter(x));
    if (lists.some((l) => !l)) return unknown('zip of an unknown value');
    const n = Math.min(...lists.map((l) => l!.length));
    const items: PyValue[] = [];
    for (let i = 0; i < n; i++) items.push({ kind: 'tuple', items: lists.map((l) => l![i]) });
    return { kind: 'list', items };
  });
  def('reversed', (a) => {
    const items = iter(a[0]);
    return items ? { kind: 'list', items: items.reverse() } : unknown('reversed of an unknown value');
  });
  def('list', (a) => {
    if (!a.length) return { kind: 'list', items: [] };
    const items = iter(a[0]);
    return items ? { kind: 'list', items } : unknown('list of an unknown value');
  });
  def('tuple', (a) => {
    if (!a.length) return { kind: 'tuple', items: [] };
    const items = iter(a[0]);
    return items ? { kind: 'tuple', items } : unknown('tuple of an unknown value');
  });
  const dictCtor: BuiltinFn = (a, k) => {
    const entries = new Map<string, PyValue>();
    const keys: PyValue[] = [];
    if (a[0]) {
      if (a[0].kind === 'dict') for (const key of a[0].keys) ip.dictSet(entries, keys, key, a[0].entries.get(dictKey(key))!);
      else {
        const items = iter(a[0]);
        if (!items) return unknown('dict of an unknown value');
        for (const it of items) {
          const kv = iter(it);
          if (kv && kv.length === 2) ip.dictSet(entries, keys, kv[0], kv[1]);
        }
      }
    }
    for (const [name, v] of k) ip.dictSet(entries, keys, pyStr(name), v);
    return { kind: 'dict', entries, keys };
  };
  def('dict', dictCtor);
  def('OrderedDict', dictCtor);
  def('defaultdict', () => ({ kind: 'dict', entries: new Map(), keys: [] }));
  const setCtor =
    (frozen: boolean): BuiltinFn =>
    (a) => {
      const items = a[0] ? iter(a[0]) : [];
      return items ? makeSet(items, frozen) : unknown('set of an unknown value');
    };
  def('set', setCtor(false));
  def('frozenset', setCtor(true));
  def('object', () => obj({ t: 'opaque', what: 'object' }, 'object'));
  def('int', (a) => {
    const v = enumPlain(a[0] ?? pyInt(0));
    if (v.kind === 'int') return v;
    if (v.kind === 'bool') return pyInt(Number(v.value));
    if (v.kind === 'float') return pyInt(Math.trunc(v.value));
    if (v.kind === 'str' && /^\s*[-+]?\d+\s*$/.test(v.value)) return pyInt(parseInt(v.value, 10));
    return unknown('int() of a value not known at analysis time');
  });
  def('float', (a) => {
    const v = a[0] ?? pyInt(0);
    const n = num(v);
    if (n !== null) return { kind: 'float', value: n };
    if (v.kind === 'str') return { kind: 'float', value: v.value.trim() === 'inf' ? Infinity : v.value.trim() === '-inf' ? -Infinity : Number(v.value) };
    return unknown('float() of an unknown value');
  });
  def('bool', (a) => {
    const t = truthy(a[0] ?? pyBool(false));
    return t === null ? unknown('bool() of an unknown value') : pyBool(t);
  });
  def('str', (a) => pyStr(a[0] ? pyStrOf(a[0]) : ''));
  def('repr', (a) => pyStr(a[0] ? pyRepr(a[0]) : ''));
  def('format', (a) => pyStr(a[0] ? pyStrOf(a[0]) : ''));
  const minmax =
    (isMax: boolean): BuiltinFn =>
    (a, k) => {
      const items = a.length === 1 ? iter(a[0]) : a;
      if (!items) return unknown('min/max of an unknown value');
      if (!items.length) return kw(k, 'default') ?? unknown('min/max of an empty sequence');
      const key = kw(k, 'key');
      let best = items[0];
      let bestKey = key ? ip.call(key, [best], new Map(), ip.site.range) : best;
      for (const x of items.slice(1)) {
        const xk = key ? ip.call(key, [x], new Map(), ip.site.range) : x;
        if (xk.kind === 'tensor' || bestKey.kind === 'tensor')
          return ip.callOpKey(isMax ? 'torch.maximum' : 'torch.minimum', [best, x], new Map(), ip.site.range);
        const gt = pyOrder(isMax ? '>' : '<', xk, bestKey);
        if (gt === null) return unknown('min/max of values not known at analysis time');
        if (gt) {
          best = x;
          bestKey = xk;
        }
      }
      return best;
    };
  def('max', minmax(true));
  def('min', minmax(false));
  def('abs', (a) => {
    const v = a[0] ?? NONE;
    if (v.kind === 'tensor') return ip.callOpKey('torch.abs', [v], new Map(), ip.site.range);
    const n = num(v);
    if (n === null) return unknown('abs of an unknown value');
    return v.kind === 'float' ? { kind: 'float', value: Math.abs(n) } : pyInt(Math.abs(n));
  });
  def('round', (a) => {
    const n = num(a[0] ?? NONE);
    if (n === null) return unknown('round of an unknown value');
    const digits = a[1] ? num(a[1]) : null;
    if (digits !== null && digits !== undefined) return { kind: 'float', value: Number(n.toFixed(digits)) };
    // Python rounds half to even.
    const f = Math.floor(n);
    const d = n - f;
    return pyInt(d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f);
  });
  def('sum', (a, k) => {
    const items = iter(a[0]);
    if (!items) return unknown('sum of an unknown value');
    let acc: PyValue = a[1] ?? kw(k, 'start') ?? pyInt(0);
    for (const x of items) acc = ip.binary('+', acc, x, ip.site.range);
    return acc;
  });
  def('any', (a) => {
    const items = iter(a[0]);
    if (!items) return unknown('any of an unknown value');
    let r: boolean | null = false;
    for (const x of items) {
      const t = truthy(x);
      if (t) return pyBool(true);
      if (t === null) r = null;
    }
    return r === null ? unknown('any of unknown values') : pyBool(false);
  });
  def('all', (a) => {
    const items = iter(a[0]);
    if (!items) return unknown('all of an unknown value');
    let r: boolean | null = true;
    for (const x of items) {
      const t = truthy(x);
      if (t === false) return pyBool(false);
      if (t === null) r = null;
    }
    return r === null ? unknown('all of unknown values') : pyBool(true);
  });
  def('sorted', (a, k) => {
    const items = iter(a[0]);
    if (!items) return unknown('sorted of an unknown value');
    const key = kw(k, 'key');
    const keyed = items.map((x) => [key ? ip.call(key, [x], new Map(), ip.site.range) : x, x] as const);
    let ok = true;
    keyed.sort((p, q) => {
      const lt = pyOrder('<', p[0], q[0]);
      const gt = pyOrder('>', p[0], q[0]);
      if (lt === null || gt === null) ok = false;
      return lt ? -1 : gt ? 1 : 0;
    });
    if (!ok) return unknown('sorted of values not known at analysis time');
    const out = keyed.map((p) => p[1]);
    if (truthy(kw(k, 'reverse') ?? pyBool(false))) out.reverse();
    return { kind: 'list', items: out };
  });
  def('map', (a) => {
    const lists = a.slice(1).map((x) => iter(x));
    if (lists.some((l) => !l) || !a[0]) return unknown('map of an unknown value');
    const n = Math.min(...lists.map((l) => l!.length));
    const items: PyValue[] = [];
    for (let i = 0; i < n; i++)
      items.push(
        ip.call(
          a[0],
          lists.map((l) => l![i]),
          new Map(),
          ip.site.range,
        ),
      );
    return { kind: 'list', items };
  });
  def('filter', (a) => {
    const items = iter(a[1]);
    if (!items) return unknown('filter of an unknown value');
    const fn = a[0] ?? NONE;
    return { kind: 'list', items: items.filter((x) => truthy(fn.kind === 'none' ? x : ip.call(fn, [x], new Map(), ip.site.range)) === true) };
  });
  def('iter', (a) => {
    const items = iter(a[0]);
    return items ? { kind: 'list', items } : unknown('iter of an unknown value');
  });
  def('next', (a) => {
    const v = a[0] ?? NONE;
    if (v.kind === 'list' && v.items.length) return v.items.shift()!;
    return a[1] ?? unknown('next of an unknown iterator');
  });
  def('divmod', (a) => {
    const x = a[0] ?? NONE;
    const y = a[1] ?? NONE;
    return { kind: 'tuple', items: [ip.binary('//', x, y, ip.site.range), ip.binary('%', x, y, ip.site.range)] };
  });
  def('callable', (a) => {
    const o = a[0] ? asObject(a[0]) : null;
    return pyBool((!!o && ['func', 'bound', 'builtin', 'class', 'op', 'partial'].includes(o.t)) || !!(o && o.t === 'instance' && o.inst.isModule));
  });
  def('id', () => unknown('id()'));
  def('hash', () => unknown('hash()'));
  addNamespaceBuiltins(ip, def);
  def('type', (a) => {
    const v = a[0] ?? NONE;
    if (a.length === 3) return newClass(ip, a[0]!, a[1]!, a[2]!);
    const inst = instanceOf(v);
    if (inst) return obj({ t: 'class', cls: inst.cls }, 'type');
    const vo = asObject(v);
    if (vo && (vo.t === 'class' || (vo.t === 'builtin' && v.kind === 'object' && v.typeName === 'type'))) return b.get('type')!;
    if (vo && vo.t === 'set') return b.get(vo.frozen ? 'frozenset' : 'set')!;
    const name = v.kind === 'tensor' ? 'Tensor' : v.kind === 'none' ? 'NoneType' : v.kind;
    return b.get(name) ?? obj({ t: 'opaque', what: `type ${name}` }, 'type');
  });
  def('isinstance', (a) => {
    const r = isInstance(ip, a[0] ?? NONE, a[1] ?? NONE);
    return r === null ? unknown('isinstance with a class not known to the analysis') : pyBool(r);
  });
  def('issubclass', (a) => {
    const c = asObject(a[0] ?? NONE);
    if (c && c.t === 'builtin' && BUILTIN_TYPES.has(c.name)) {
      // Builtin types: bool is an int; everything is an object.
      const supers: Record<string, string[]> = { bool: ['bool', 'int', 'object'] };
      const mine = supers[c.name] ?? [c.name, 'object'];
      const targets = a[1]?.kind === 'tuple' ? a[1].items : [a[1] ?? NONE];
      return pyBool(
        targets.some((t) => {
          const o = asObject(t);
          return !!o && o.t === 'builtin' && mine.includes(o.name);
        }),
      );
    }
    if (!c || c.t !== 'class') return unknown('issubclass');
    const mro = c.cls.t === 'user' ? c.cls.cls.mro : [c.cls];
    const targets = a[1]?.kind === 'tuple' ? a[1].items : [a[1] ?? NONE];
    return pyBool(
      targets.some((t) => {
        const o = asObject(t);
        return !!o && o.t === 'class' && mro.some((m) => sameRef(m, o.cls));
      }),
    );
  });
  def('getattr', (a) => {
    const [o, n, d] = a;
    if (!o || n?.kind !== 'str') return unknown('getattr with a name not known at analysis time');
    if (d) {
      if (!hasAttr(ip, o, n.value)) return d;
    }
    return ip.getAttr(o, n.value, ip.site.range);
  });
  def('hasattr', (a) => {
    const [o, n] = a;
    if (!o || n?.kind !== 'str') return unknown('hasattr');
    return pyBool(hasAttr(ip, o, n.value));
  });
  def('setattr', (a) => {
    const [o, n, v] = a;
    if (o && n?.kind === 'str' && v) ip.setAttr(o, n.value, v, ip.site.range);
    return NONE;
  });
  def('super', (a) => {
    const c = asObject(a[0] ?? NONE);
    if (c && c.t === 'class' && c.cls.t === 'user' && a[1]) return obj({ t: 'super', cls: c.cls.cls, self: a[1] }, 'super');
    return ip.unsupported('super() with these arguments', ip.site.range);
  });
  for (const e of EXCEPTIONS) def(e, (a) => obj({ t: 'opaque', what: a[0] ? `${e}: ${pyStrOf(a[0])}` : e }, e));
  b.set('NotImplemented', obj({ t: 'opaque', what: 'NotImplemented' }, 'NotImplementedType'));
  b.set('Ellipsis', { kind: 'ellipsis' });
  b.set('__debug__', pyBool(true));

  addValueMethods(ip, b);
  return b;
}

function hasAttr(ip: Evaluator, o: PyValue, name: string): boolean {
  const inst = instanceOf(o);
  if (inst) {
    try {
      return instanceGetAttr(ip, inst, name, null, false, true).kind !== 'unknown';
    } catch (e) {
      // hasattr is False when the lookup (a class's __getattr__) raises.
      if (e instanceof PyRaise) return false;
      throw e;
    }
  }
  if (o.kind === 'tensor') return ['shape', 'dtype', 'device', 'ndim'].includes(name) || name in { size: 1, view: 1, reshape: 1 };
  if (o.kind === 'unknown') return false;
  const ob = asObject(o);
  if (ob && ob.t === 'class' && ob.cls.t === 'user') return ob.cls.cls.mro.some((c) => c.t === 'user' && c.cls.ns.has(name));
  if (ob && ob.t === 'pymodule') return ob.scope.globals.has(name);
  return false;
}

/** Methods of list, tuple, dict, str and torch.Size values, plus tensor methods the registry may lack. */
function addValueMethods(ip: Evaluator, b: Map<string, PyValue>): void {
  const m = (name: string, call: BuiltinFn) => b.set(name, builtin(name, call));
  const r = () => ip.site.range;
  const listSelf = (v: PyValue) => (v.kind === 'list' ? v : null);

  m('list.append', (a) => {
    listSelf(a[0])?.items.push(a[1] ?? NONE);
    return NONE;
  });
  m('list.extend', (a) => {
    const l = listSelf(a[0]);
    const items = a[1] ? ip.iterate(a[1], r()) : null;
    if (l && items) l.items.push(...items);
    return NONE;
  });
  m('list.insert', (a) => {
    const l = listSelf(a[0]);
    const i = a[1] ? num(a[1]) : null;
    if (l && i !== null) {
      let at = i < 0 ? Math.max(0, l.items.length + i) : Math.min(i, l.items.length);
      if (at < 0) at = 0;
      l.items.splice(at, 0, a[2] ?? NONE);
    }
    return NONE;
  });
  m('list.pop', (a) => {
    const l = listSelf(a[0]);
    if (!l || !l.items.length) return unknown('pop from an empty list');
    const i = a[1] ? num(a[1]) : -1;
    if (i === null) return unknown('pop index not known');
    const j = i < 0 ? l.items.length + i : i;
    return l.items.splice(j, 1)[0] ?? unknown('pop index out of range');
  });
  // numpy arrays are modelled as lists: `.tolist()` gives the list itself.
  m('list.tolist', (a) => a[0] ?? NONE);
  m('list.copy', (a) => ({ kind: 'list', items: [...(listSelf(a[0])?.items ?? [])] }));
  m('list.reverse', (a) => {
    listSelf(a[0])?.items.reverse();
    return NONE;
  });
  m('list.clear', (a) => {
    const l = listSelf(a[0]);
    if (l) l.items.length = 0;
    return NONE;
  });
  m('list.remove', (a) => {
    const l = listSelf(a[0]);
    if (l) {
      const i = l.items.findIndex((x) => pyEquals(x, a[1] ?? NONE) === true);
      if (i >= 0) l.items.splice(i, 1);
    }
    return NONE;
  });
  const index: BuiltinFn = (a) => {
    const s = a[0];
    if (!s || (s.kind !== 'list' && s.kind !== 'tuple')) return unknown('index');
    const i = s.items.findIndex((x) => pyEquals(x, a[1] ?? NONE) === true);
    return i >= 0 ? pyInt(i) : unknown('value not in sequence');
  };
  const count: BuiltinFn = (a) => {
    const s = a[0];
    if (!s || (s.kind !== 'list' && s.kind !== 'tuple')) return unknown('count');
    return pyInt(s.items.filter((x) => pyEquals(x, a[1] ?? NONE) === true).length);
  };
  m('list.index', index);
  m('tuple.index', index);
  m('list.count', count);
  m('tuple.count', count);
  m('size.numel', (a) => {
    const s = a[0];
    if (!s || s.kind !== 'tuple') return unknown('numel');
    let acc: PyValue = pyInt(1);
    for (const x of s.items) acc = ip.binary('*', acc, x, r());
    return acc;
  });

  const dictSelf = (v: PyValue) => (v.kind === 'dict' ? v : null);
  m('dict.get', (a) => {
    const d = dictSelf(a[0]);
    if (!d) return unknown('get');
    return d.entries.get(dictKey(a[1] ?? NONE)) ?? a[2] ?? NONE;
  });
  m('dict.keys', (a) => ({ kind: 'list', items: [...(dictSelf(a[0])?.keys ?? [])] }));
  m('dict.values', (a) => {
    const d = dictSelf(a[0]);
    return { kind: 'list', items: d ? d.keys.map((k) => d.entries.get(dictKey(k))!) : [] };
  });
  m('dict.items', (a) => {
    const d = dictSelf(a[0]);
    return { kind: 'list', items: d ? d.keys.map((k) => ({ kind: 'tuple' as const, items: [k, d.entries.get(dictKey(k))!] })) : [] };
  });
  m('dict.pop', (a) => {
    const d = dictSelf(a[0]);
    if (!d) return unknown('pop');
    const key = dictKey(a[1] ?? NONE);
    const v = d.entries.get(key);
    if (v === undefined) return a[2] ?? unknown('key not in dict');
    d.entries.delete(key);
    d.keys.splice(
      d.keys.findIndex((k) => dictKey(k) === key),
      1,
    );
    return v;
  });
  m('dict.update', (a, k) => {
    const d = dictSelf(a[0]);
    if (!d) return NONE;
    const src = a[1];
    if (src?.kind === 'dict') for (const key of src.keys) ip.dictSet(d.entries, d.keys, key, src.entries.get(dictKey(key))!);
    for (const [name, v] of k) ip.dictSet(d.entries, d.keys, pyStr(name), v);
    return NONE;
  });
  m('dict.setdefault', (a) => {
    const d = dictSelf(a[0]);
    if (!d) return unknown('setdefault');
    const key = dictKey(a[1] ?? NONE);
    if (!d.entries.has(key)) ip.dictSet(d.entries, d.keys, a[1] ?? NONE, a[2] ?? NONE);
    return d.entries.get(key)!;
  });
  m('dict.copy', (a) => {
    const d = dictSelf(a[0]);
    return d ? { kind: 'dict', entries: new Map(d.entries), keys: [...d.keys] } : unknown('copy');
  });

  const strSelf = (v: PyValue) => (v.kind === 'str' ? v.value : '');
  m('str.format', (a, k) => {
    let i = 1;
    const s = strSelf(a[0]).replace(/\{([^{}]*)\}/g, (_m, key: string) => {
      const name = key.split(/[:!]/)[0];
      const v = name === '' ? a[i++] : /^\d+$/.test(name) ? a[1 + Number(name)] : k.get(name);
      return v ? pyStrOf(v) : '';
    });
    return pyStr(s);
  });
  m('str.join', (a) => {
    const items = a[1] ? ip.iterate(a[1], r()) : null;
    return items ? pyStr(items.map(pyStrOf).join(strSelf(a[0]))) : unknown('join');
  });
  m('str.split', (a) => {
    const sep = a[1]?.kind === 'str' ? a[1].value : null;
    const parts = sep === null ? strSelf(a[0]).trim().split(/\s+/) : strSelf(a[0]).split(sep);
    return { kind: 'list', items: parts.map(pyStr) };
  });
  m('str.lower', (a) => pyStr(strSelf(a[0]).toLowerCase()));
  m('str.upper', (a) => pyStr(strSelf(a[0]).toUpperCase()));
  m('str.strip', (a) => pyStr(strSelf(a[0]).trim()));
  m('str.startswith', (a) => pyBool(a[1]?.kind === 'str' && strSelf(a[0]).startsWith(a[1].value)));
  m('str.endswith', (a) => pyBool(a[1]?.kind === 'str' && strSelf(a[0]).endsWith(a[1].value)));
  m('str.replace', (a) => pyStr(a[1]?.kind === 'str' && a[2]?.kind === 'str' ? strSelf(a[0]).split(a[1].value).join(a[2].value) : strSelf(a[0])));
  m('str.isdigit', (a) => pyBool(/^\d+$/.test(strSelf(a[0]))));
  addStrMethods(m, (type, message) => {
    throw new PyRaise(message, ip.site.range, ip.currentFile, type);
  });

  // Tensor queries that return Python values; used when the op registry has no entry of its own.
  const tensorSelf = (v: PyValue | undefined) => (v && v.kind === 'tensor' ? (v as Tensor) : null);
  m('Tensor.size', (a, k) => {
    const t = tensorSelf(a[0]);
    if (!t?.shape) return unknown('size of a tensor of unknown rank');
    const d = a[1] ?? k.get('dim');
    if (!d || d.kind === 'none') return { kind: 'tuple', items: t.shape.map((x) => ({ kind: 'int', dim: x })), isSize: true };
    const i = num(d);
    if (i === null) return unknown('size(dim) with dim not known');
    const j = i < 0 ? t.shape.length + i : i;
    if (j < 0 || j >= t.shape.length) {
      ip.diag('error', 'index', `dimension ${i} is out of range for a tensor of rank ${t.shape.length}`, r());
      return unknown('dim out of range');
    }
    return { kind: 'int', dim: t.shape[j] };
  });
  const rank: BuiltinFn = (a) => {
    const t = tensorSelf(a[0]);
    return t?.shape ? pyInt(t.shape.length) : unknown('rank');
  };
  m('Tensor.dim', rank);
  m('Tensor.ndimension', rank);
  const numelFn: BuiltinFn = (a) => {
    const t = tensorSelf(a[0]);
    if (!t?.shape) return unknown('numel');
    let acc: PyValue = pyInt(1);
    for (const d of t.shape) acc = ip.binary('*', acc, { kind: 'int', dim: d }, r());
    return acc;
  };
  m('Tensor.numel', numelFn);
  m('Tensor.nelement', numelFn);
  m('Tensor.get_device', () => pyInt(-1));
  m('Tensor.item', (a) => {
    const t = tensorSelf(a[0]);
    const vals = t && ip.facts.valuesOf(t);
    return vals && vals.length === 1 ? pyNumber(vals[0]!, t.dtype) : unknown('the value of a tensor element');
  });
  m('Tensor.tolist', (a) => {
    const t = tensorSelf(a[0]);
    const vals = t && ip.facts.valuesOf(t);
    return vals && t.shape ? toPyList(vals, t.shape, t.dtype) : unknown('tensor values');
  });
  m('Tensor.is_contiguous', () => pyBool(true));
  m('Tensor.is_floating_point', (a) => pyBool(!!tensorSelf(a[0])?.dtype.startsWith('float') || tensorSelf(a[0])?.dtype === 'bfloat16'));
  void dim;
}
