// Methods of builtin values that library code uses beyond the basics: str.format and format() with format specs,
// named-tuple, deque and OrderedDict/Counter methods, and ndarray.astype on numpy-array tensors.
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { unknown, type BuiltinFn } from './objects';
import { deleteAttr } from './dataModel';
import { builtin } from './builtins';
import { num, pyInt, pyOrder, pyStr, pyStrOf } from './pyOps';
import { dictKey, pyRepr } from './tensorLeaves';
import { formatArg, formatSpec } from './pyFormat';
import { counters, defaultFactories, npDtype, numpyArrays } from './stdlibState';

/** format(v, spec) as text; null when the value or spec is not known well enough. */
export function formatValue(v: PyValue, spec: string): string | null {
  if (spec === '') return v.kind === 'unknown' ? null : pyStrOf(v);
  const a = formatArg(v, pyStrOf);
  return a ? formatSpec(a, spec) : null;
}

/** `fmt.format(*args, **kwargs)`: auto and explicit field numbers, names, `.attr` and `[key]` chains, `!r/!s/!a`, nested specs. */
export function strFormat(ip: Evaluator, fmt: string, args: readonly PyValue[], kwargs: ReadonlyMap<string, PyValue>, r: Range | null): PyValue {
  let auto = 0;
  let failed: string | null = null;
  const field = (text: string): string => {
    // name[.attr|[key]]*[!conv][:spec]
    let i = 0;
    let depth = 0;
    while (i < text.length && !(depth === 0 && (text[i] === '!' || text[i] === ':'))) {
      if (text[i] === '[') depth++;
      else if (text[i] === ']') depth--;
      i++;
    }
    const namePart = text.slice(0, i);
    let conv = '';
    let spec = '';
    if (text[i] === '!') {
      conv = text[i + 1] ?? '';
      i += 2;
    }
    if (text[i] === ':') spec = text.slice(i + 1);
    const head = /^[^.[]*/.exec(namePart)![0];
    let v: PyValue | undefined = head === '' ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kwargs.get(head);
    if (!v) {
      failed = `format field {${namePart}} has no value`;
      return '';
    }
    for (const m of namePart.slice(head.length).matchAll(/\.(\w+)|\[([^\]]*)\]/g)) {
      v = m[1] !== undefined ? ip.getAttr(v, m[1], r) : ip.getItem(v, /^\d+$/.test(m[2]) ? pyInt(Number(m[2])) : pyStr(m[2]), r);
    }
    if (conv === 'r' || conv === 'a') v = pyStr(pyRepr(v));
    else if (conv === 's') v = pyStr(pyStrOf(v));
    const expanded = spec.includes('{') ? render(spec) : spec;
    const out = formatValue(v, expanded);
    if (out === null) failed = 'a value or format spec not known at analysis time';
    return out ?? '';
  };
  const render = (s: string): string => {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '{' && s[i + 1] === '{') {
        out += '{';
        i++;
      } else if (c === '}' && s[i + 1] === '}') {
        out += '}';
        i++;
      } else if (c === '{') {
        let depth = 1;
        let j = i + 1;
        while (j < s.length && depth > 0) {
          if (s[j] === '{') depth++;
          else if (s[j] === '}') depth--;
          if (depth > 0) j++;
        }
        out += field(s.slice(i + 1, j));
        i = j;
      } else out += c;
    }
    return out;
  };
  const text = render(fmt);
  return failed ? unknown(`str.format: ${failed}`) : pyStr(text);
}

type Dict = Extract<PyValue, { kind: 'dict' }>;

export function addStdlibMethods(ip: Evaluator, b: Map<string, PyValue>): void {
  const m = (name: string, call: BuiltinFn) => b.set(name, builtin(name, call));
  const r = () => ip.site.range;
  const dictSelf = (v: PyValue | undefined): Dict | null => (v && v.kind === 'dict' ? v : null);
  const listSelf = (v: PyValue | undefined) => (v && v.kind === 'list' ? v : null);

  m('str.format', (a, k) => (a[0]?.kind === 'str' ? strFormat(ip, a[0].value, a.slice(1), k, r()) : unknown('format of an unknown string')));
  m('str.format_map', (a) =>
    a[0]?.kind === 'str' && a[1]?.kind === 'dict'
      ? strFormat(
          ip,
          a[0].value,
          [],
          new Map(
            a[1].keys.flatMap((key) =>
              key.kind === 'str' ? [[key.value, a[1].kind === 'dict' ? a[1].entries.get(dictKey(key))! : NONE] as [string, PyValue]] : [],
            ),
          ),
          r(),
        )
      : unknown('format_map'),
  );
  m('str.__format__', (a) => {
    const out = a[0] && a[1]?.kind === 'str' ? formatValue(a[0], a[1].value) : null;
    return out === null ? unknown('format') : pyStr(out);
  });
  b.set(
    'format',
    builtin('format', (a) => {
      const spec = a[1]?.kind === 'str' ? a[1].value : '';
      const out = a[0] ? formatValue(a[0], spec) : '';
      return out === null ? unknown('format() of a value not known at analysis time') : pyStr(out);
    }),
  );

  b.set(
    'delattr',
    builtin('delattr', (a) => {
      if (a[0] && a[1]?.kind === 'str') deleteAttr(ip, a[0], a[1].value, r());
      else if (a[0]?.kind !== 'unknown') ip.diag('warning', 'unsupported', 'delattr with a name not known at analysis time', r());
      return NONE;
    }),
  );
  b.set(
    'pow',
    builtin('pow', (a) => {
      const out = ip.binary('**', a[0] ?? NONE, a[1] ?? NONE, r());
      return a[2] ? ip.binary('%', out, a[2], r()) : out;
    }),
  );

  b.set(
    'chain.from_iterable',
    builtin('chain.from_iterable', (a) => {
      const outer = a[0] ? ip.iterate(a[0], r()) : null;
      const items: PyValue[] = [];
      for (const x of outer ?? []) {
        const it = ip.iterate(x, r());
        if (!it) return unknown('chain.from_iterable of an unknown value');
        items.push(...it);
      }
      return outer ? { kind: 'list', items } : unknown('chain.from_iterable of an unknown value');
    }),
  );

  // f-string conversions and format specs (the parser turns `{x!r:>5}` into calls of these two).
  b.set(
    '__fstring_convert__',
    builtin('__fstring_convert__', (a) => {
      const v = a[0] ?? NONE;
      if (v.kind === 'unknown') return v;
      return pyStr(a[1]?.kind === 'str' && a[1].value === 's' ? pyStrOf(v) : pyRepr(v));
    }),
  );
  b.set(
    '__fstring_format__',
    builtin('__fstring_format__', (a) => {
      const out = a[0] && a[1]?.kind === 'str' ? formatValue(a[0], a[1].value) : null;
      return out === null ? unknown('f-string format of a value not known at analysis time') : pyStr(out);
    }),
  );

  // Named tuples.
  m('tuple._replace', (a, k) => {
    const t = a[0];
    if (!t || t.kind !== 'tuple' || !t.fields) return unknown('_replace of a plain tuple');
    const fields = t.fields;
    return { kind: 'tuple', items: t.items.map((x, i) => k.get(fields[i]) ?? x), fields };
  });
  m('tuple._asdict', (a) => {
    const t = a[0];
    if (!t || t.kind !== 'tuple' || !t.fields) return unknown('_asdict of a plain tuple');
    const d: Dict = { kind: 'dict', entries: new Map(), keys: [] };
    t.fields.forEach((f, i) => ip.dictSet(d.entries, d.keys, pyStr(f), t.items[i] ?? NONE));
    return d;
  });

  // collections.deque (modelled as a list).
  m('list.appendleft', (a) => (listSelf(a[0])?.items.unshift(a[1] ?? NONE), NONE));
  m('list.popleft', (a) => {
    const l = listSelf(a[0]);
    return l && l.items.length ? l.items.shift()! : unknown('popleft from an empty deque');
  });
  m('list.extendleft', (a) => {
    const l = listSelf(a[0]);
    const items = a[1] ? ip.iterate(a[1], r()) : null;
    if (l && items) for (const x of items) l.items.unshift(x);
    return NONE;
  });
  m('list.rotate', (a) => {
    const l = listSelf(a[0]);
    const n = num(a[1] ?? pyInt(1));
    if (l && n !== null && l.items.length) {
      const k = ((n % l.items.length) + l.items.length) % l.items.length;
      l.items.unshift(...l.items.splice(l.items.length - k, k));
    }
    return NONE;
  });
  m('list.sort', (a, k) => {
    const l = listSelf(a[0]);
    if (!l) return NONE;
    const key = k.get('key');
    const keyed = l.items.map((x) => [key && key.kind !== 'none' ? ip.call(key, [x], new Map(), r()) : x, x] as const);
    let ok = true;
    keyed.sort((p, q) => {
      const lt = pyOrder('<', p[0], q[0]);
      const gt = pyOrder('>', p[0], q[0]);
      if (lt === null || gt === null) ok = false;
      return lt ? -1 : gt ? 1 : 0;
    });
    if (!ok) return NONE;
    const out = keyed.map((p) => p[1]);
    const rev = k.get('reverse');
    if (rev && rev.kind === 'bool' && rev.value) out.reverse();
    l.items.splice(0, l.items.length, ...out);
    return NONE;
  });

  // OrderedDict, Counter and dict extras.
  m('dict.move_to_end', (a, k) => {
    const d = dictSelf(a[0]);
    if (!d || !a[1]) return NONE;
    const key = dictKey(a[1]);
    const i = d.keys.findIndex((x) => dictKey(x) === key);
    if (i < 0) return NONE;
    const [kv] = d.keys.splice(i, 1);
    const last = a[2] ?? k.get('last');
    if (last && last.kind === 'bool' && !last.value) d.keys.unshift(kv);
    else d.keys.push(kv);
    return NONE;
  });
  m('dict.popitem', (a, k) => {
    const d = dictSelf(a[0]);
    if (!d || !d.keys.length) return unknown('popitem of an empty dict');
    const last = a[1] ?? k.get('last');
    const key = last && last.kind === 'bool' && !last.value ? d.keys.shift()! : d.keys.pop()!;
    const v = d.entries.get(dictKey(key))!;
    d.entries.delete(dictKey(key));
    return { kind: 'tuple', items: [key, v] };
  });
  m('dict.most_common', (a) => {
    const d = dictSelf(a[0]);
    if (!d || !counters.has(d)) return unknown('most_common');
    const items = d.keys.map((key) => [key, d.entries.get(dictKey(key))!] as const);
    const ns = items.map(([, v]) => num(v));
    if (ns.some((x) => x === null)) return unknown('most_common of counts not known');
    const order = items.map((_, i) => i).sort((x, y) => ns[y]! - ns[x]! || x - y);
    const n = a[1] && a[1].kind !== 'none' ? (num(a[1]) ?? order.length) : order.length;
    return { kind: 'list', items: order.slice(0, n).map((i) => ({ kind: 'tuple' as const, items: [items[i][0], items[i][1]] })) };
  });
  m('dict.fromkeys', (a) => {
    // dict.fromkeys(keys, value) called on the class: a[0] is the key iterable.
    const keysV = a[0]?.kind === 'dict' && a.length > 1 && a[1] && a[1].kind !== 'dict' && !ip.iterate(a[0], r()) ? a[1] : a[0];
    const items = keysV ? ip.iterate(keysV, r()) : null;
    if (!items) return unknown('fromkeys of an unknown value');
    const d: Dict = { kind: 'dict', entries: new Map(), keys: [] };
    const v = keysV === a[0] ? (a[1] ?? NONE) : (a[2] ?? NONE);
    for (const key of items) ip.dictSet(d.entries, d.keys, key, v);
    return d;
  });
  m('dict.elements', (a) => {
    const d = dictSelf(a[0]);
    if (!d) return unknown('elements');
    const out: PyValue[] = [];
    for (const key of d.keys) {
      const n = num(d.entries.get(dictKey(key))!) ?? 0;
      for (let i = 0; i < n; i++) out.push(key);
    }
    return { kind: 'list', items: out };
  });
  m('dict.__missing__', (a) => {
    const d = dictSelf(a[0]);
    const f = d ? defaultFactories.get(d) : undefined;
    return f ? ip.call(f, [], new Map(), r()) : unknown('__missing__');
  });

  // ndarray.astype on a numpy array (a constant tensor): a new array of that dtype.
  m('Tensor.astype', (a, k) => {
    const t = a[0];
    const dt = a[1] ?? k.get('dtype');
    if (!t || !dt) return unknown('astype');
    const torchDtype = npDtype(dt) ?? dt;
    const out = ip.callOpKey('Tensor.to', [t, torchDtype], new Map(), r());
    if (out.kind === 'tensor') numpyArrays.add(out);
    return out;
  });
}
