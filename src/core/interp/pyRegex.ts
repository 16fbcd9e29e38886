// The `re` module on constant strings: Python patterns translated to JavaScript RegExp, with Python's match, split and sub rules.
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, unknown, type BuiltinFn } from './objects';
import { builtin } from './builtins';
import { num, pyInt, pyStr, pyStrOf } from './pyOps';
import { attrObject } from './stdlibState';

const FLAGS: Record<string, number> = {
  I: 2,
  IGNORECASE: 2,
  L: 4,
  LOCALE: 4,
  M: 8,
  MULTILINE: 8,
  S: 16,
  DOTALL: 16,
  U: 32,
  UNICODE: 32,
  X: 64,
  VERBOSE: 64,
  A: 256,
  ASCII: 256,
};

interface Compiled {
  readonly source: string;
  readonly flags: number;
  readonly re: RegExp;
  readonly groupNames: readonly (string | null)[];
}

/** Strips whitespace and comments of a verbose pattern (outside character classes and escapes). */
function unverbose(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (/\s/.test(c)) continue;
    else if (c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
    } else out += c;
  }
  return out;
}

function compile(pattern: string, flags: number): Compiled | string {
  let p = pattern;
  // Leading inline flags: (?aiLmsux)
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    for (const f of inline[1]) flags |= { a: 256, i: 2, L: 4, m: 8, s: 16, u: 32, x: 64 }[f] ?? 0;
    p = p.slice(inline[0].length);
  }
  if (flags & 64) p = unverbose(p);
  p = p
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  let js = 'g';
  if (flags & 2) js += 'i';
  if (flags & 8) js += 'm';
  if (flags & 16) js += 's';
  let re: RegExp;
  try {
    re = new RegExp(p, js);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  // Group names in order of their opening parenthesis.
  const groupNames: (string | null)[] = [];
  const scan = /\\.|\[(?:\\.|[^\]])*\]|\((\?(?:<([A-Za-z_]\w*)>|[^<]))?/g;
  for (let m = scan.exec(p); m; m = scan.exec(p)) {
    if (m[0].startsWith('(') && (!m[1] || m[2])) groupNames.push(m[2] ?? null);
  }
  return { source: pattern, flags, re, groupNames };
}

/** Python's search loop: empty matches are kept, but never twice at the same position. */
function* matches(c: Compiled, s: string, pos = 0, endpos = s.length): Generator<RegExpExecArray> {
  const re = new RegExp(c.re.source, c.re.flags);
  const text = s.slice(0, endpos);
  let at = pos;
  let lastEmpty = -1;
  while (at <= text.length) {
    re.lastIndex = at;
    let m = re.exec(text);
    if (m && m[0] === '' && m.index === lastEmpty) {
      if (m.index + 1 > text.length) return;
      re.lastIndex = m.index + 1;
      m = re.exec(text);
    }
    if (!m) return;
    yield m;
    if (m[0] === '') {
      lastEmpty = m.index;
      at = m.index;
    } else {
      lastEmpty = -1;
      at = m.index + m[0].length;
    }
  }
}

function matchObject(ip: Evaluator, c: Compiled, s: string, m: RegExpExecArray, r: Range | null): PyValue {
  const groupIndex = (g: PyValue | undefined): number | null => {
    if (!g) return 0;
    if (g.kind === 'str') {
      const i = c.groupNames.indexOf(g.value);
      return i < 0 ? null : i + 1;
    }
    return num(g);
  };
  const group = (i: number | null, dflt: PyValue = NONE): PyValue =>
    i === null || i > c.groupNames.length ? unknown('no such group') : m[i] === undefined ? dflt : pyStr(m[i]!);
  // Offsets of groups are not given by JavaScript without the `d` flag; recompute with it.
  const withIndices = new RegExp(c.re.source, c.re.flags + 'd');
  withIndices.lastIndex = m.index;
  const md = withIndices.exec(s) as (RegExpExecArray & { indices?: [number, number][] }) | null;
  const span = (i: number | null): [number, number] => {
    const sp = i !== null && md?.indices?.[i];
    return sp ? [sp[0], sp[1]] : [-1, -1];
  };
  const fn = (name: string, call: BuiltinFn) => [name, builtin(`Match.${name}`, call)] as [string, PyValue];
  return attrObject('re.Match', [
    fn('group', (a) => (a.length <= 1 ? group(groupIndex(a[0])) : { kind: 'tuple', items: a.map((g) => group(groupIndex(g))) })),
    fn('groups', (a, k) => ({ kind: 'tuple', items: c.groupNames.map((_, i) => group(i + 1, a[0] ?? k.get('default') ?? NONE)) })),
    fn('groupdict', (a) => {
      const d: Extract<PyValue, { kind: 'dict' }> = { kind: 'dict', entries: new Map(), keys: [] };
      c.groupNames.forEach((n, i) => n && ip.dictSet(d.entries, d.keys, pyStr(n), group(i + 1, a[0] ?? NONE)));
      return d;
    }),
    fn('start', (a) => pyInt(span(groupIndex(a[0]))[0])),
    fn('end', (a) => pyInt(span(groupIndex(a[0]))[1])),
    fn('span', (a) => ({ kind: 'tuple', items: span(groupIndex(a[0])).map(pyInt) })),
    fn('__getitem__', (a) => group(groupIndex(a[0]))),
    ['string', pyStr(s)],
    ['pos', pyInt(0)],
    [
      'lastindex',
      (() => {
        let last = -1;
        for (let i = 1; i < m.length; i++) if (m[i] !== undefined) last = i;
        return last < 0 ? NONE : pyInt(last);
      })(),
    ],
  ]);
  void r;
}

function expandTemplate(c: Compiled, tpl: string, m: RegExpExecArray): string {
  return tpl.replace(/\\(?:g<([^>]+)>|(\d{1,2})|([nrtfv\\]))/g, (_all, g: string | undefined, d: string | undefined, esc: string | undefined) => {
    if (esc) return { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '\\': '\\' }[esc] ?? esc;
    const key = g ?? d!;
    const i = /^\d+$/.test(key) ? Number(key) : c.groupNames.indexOf(key) + 1;
    return m[i] ?? '';
  });
}

function patternMethods(ip: Evaluator, c: Compiled, r: Range | null): Record<string, BuiltinFn> {
  const str = (v: PyValue | undefined): string | null => (v && v.kind === 'str' ? v.value : null);
  const noStr = (what: string) => unknown(`re.${what} of a string not known at analysis time`);
  const first = (s: string, pos: number, anchored: 'start' | 'full' | null, endpos: number): RegExpExecArray | null => {
    if (!anchored) {
      for (const m of matches(c, s, pos, endpos)) return m;
      return null;
    }
    const sticky = new RegExp(anchored === 'full' ? `(?:${c.re.source})(?![\\s\\S])` : c.re.source, c.re.flags.replace('g', '') + 'y');
    sticky.lastIndex = pos;
    return sticky.exec(s.slice(0, endpos));
  };
  const matcher =
    (anchored: 'start' | 'full' | null, what: string): BuiltinFn =>
    (a, k) => {
      const s = str(a[0] ?? k.get('string'));
      if (s === null) return noStr(what);
      const pos = num(a[1] ?? k.get('pos') ?? pyInt(0)) ?? 0;
      const endV = a[2] ?? k.get('endpos');
      const endpos = endV ? (num(endV) ?? s.length) : s.length;
      const m = first(s, pos, anchored, endpos);
      return m ? matchObject(ip, c, s, m, r) : NONE;
    };
  const groupsOf = (m: RegExpExecArray): PyValue => {
    if (c.groupNames.length === 0) return pyStr(m[0]);
    const gs = c.groupNames.map((_, i) => pyStr(m[i + 1] ?? ''));
    return gs.length === 1 ? gs[0] : { kind: 'tuple', items: gs };
  };
  return {
    match: matcher('start', 'match'),
    search: matcher(null, 'search'),
    fullmatch: matcher('full', 'fullmatch'),
    findall: (a, k) => {
      const s = str(a[0] ?? k.get('string'));
      if (s === null) return noStr('findall');
      return { kind: 'list', items: [...matches(c, s)].map(groupsOf) };
    },
    finditer: (a, k) => {
      const s = str(a[0] ?? k.get('string'));
      if (s === null) return noStr('finditer');
      return { kind: 'list', items: [...matches(c, s)].map((m) => matchObject(ip, c, s, m, r)) };
    },
    split: (a, k) => {
      const s = str(a[0] ?? k.get('string'));
      if (s === null) return noStr('split');
      const max = num(a[1] ?? k.get('maxsplit') ?? pyInt(0)) ?? 0;
      const out: PyValue[] = [];
      let last = 0;
      let n = 0;
      for (const m of matches(c, s)) {
        if (max > 0 && n >= max) break;
        out.push(pyStr(s.slice(last, m.index)));
        for (let i = 1; i < m.length; i++) out.push(m[i] === undefined ? NONE : pyStr(m[i]!));
        last = m.index + m[0].length;
        n++;
      }
      out.push(pyStr(s.slice(last)));
      return { kind: 'list', items: out };
    },
    sub: (a, k) => subn(a, k, false),
    subn: (a, k) => subn(a, k, true),
  };
  function subn(a: PyValue[], k: Map<string, PyValue>, withCount: boolean): PyValue {
    const repl = a[0] ?? k.get('repl') ?? NONE;
    const s = str(a[1] ?? k.get('string'));
    if (s === null) return noStr('sub');
    const count = num(a[2] ?? k.get('count') ?? pyInt(0)) ?? 0;
    let out = '';
    let last = 0;
    let n = 0;
    for (const m of matches(c, s)) {
      if (count > 0 && n >= count) break;
      out += s.slice(last, m.index);
      if (repl.kind === 'str') out += expandTemplate(c, repl.value, m);
      else {
        const got = ip.call(repl, [matchObject(ip, c, s, m, r)], new Map(), r);
        if (got.kind !== 'str') return unknown('re.sub with a replacement function whose result is not known');
        out += got.value;
      }
      last = m.index + m[0].length;
      n++;
    }
    out += s.slice(last);
    return withCount ? { kind: 'tuple', items: [pyStr(out), pyInt(n)] } : pyStr(out);
  }
}

const patternCache = new Map<string, Compiled | string>();

function compiled(ip: Evaluator, p: PyValue, flagsV: PyValue | undefined, r: Range | null): Compiled | PyValue {
  const pat = patternOf(p);
  if (pat) return pat;
  if (p.kind !== 'str') return unknown('a regular expression not known at analysis time');
  const flags = flagsV ? (num(flagsV) ?? 0) : 0;
  const key = `${flags}\u0000${p.value}`;
  let c = patternCache.get(key);
  if (!c) {
    c = compile(p.value, flags);
    patternCache.set(key, c);
  }
  if (typeof c === 'string') {
    ip.diag('warning', 'unsupported', `regular expression ${JSON.stringify(p.value)} is not supported by the analysis (${c})`, r);
    return unknown('unsupported regular expression');
  }
  return c;
}

const compiledOf = new WeakMap<object, Compiled>();

function patternOf(v: PyValue): Compiled | null {
  return v.kind === 'object' ? (compiledOf.get(v) ?? null) : null;
}

function patternObject(ip: Evaluator, c: Compiled, r: Range | null): PyValue {
  const methods = patternMethods(ip, c, r);
  const v = attrObject('re.Pattern', [
    ...Object.entries(methods).map(([n, f]) => [n, builtin(`Pattern.${n}`, f)] as [string, PyValue]),
    ['pattern', pyStr(c.source)],
    ['flags', pyInt(c.flags)],
    ['groups', pyInt(c.groupNames.length)],
  ]);
  compiledOf.set(v, c);
  return v;
}

function isCompiled(c: Compiled | PyValue): c is Compiled {
  return 're' in c && c.re instanceof RegExp;
}

/** Attribute `name` of the `re` module; null when unknown here. */
export function reAttr(ip: Evaluator, name: string, r: Range | null): PyValue | null {
  if (name in FLAGS) return pyInt(FLAGS[name]);
  if (name === 'escape')
    return builtin(name, (a) => (a[0]?.kind === 'str' ? pyStr(a[0].value.replace(/[^A-Za-z0-9_]/g, (ch) => `\\${ch}`)) : unknown('re.escape')));
  if (name === 'compile') {
    return builtin(name, (a, k) => {
      const c = compiled(ip, a[0] ?? NONE, a[1] ?? k.get('flags'), r);
      return isCompiled(c) ? patternObject(ip, c, r) : c;
    });
  }
  if (name === 'Pattern' || name === 'Match') return builtin(`re.${name}`, () => unknown(`re.${name}()`));
  if (name === 'error') return builtin('re.error', (a) => pyStr(a[0] ? pyStrOf(a[0]) : 'error'));
  const flagPos: Record<string, number> = { match: 2, search: 2, fullmatch: 2, findall: 2, finditer: 2, split: 3, sub: 4, subn: 4 };
  if (!(name in flagPos)) return null;
  return builtin(`re.${name}`, (a, k) => {
    const c = compiled(ip, a[0] ?? k.get('pattern') ?? NONE, a[flagPos[name]] ?? k.get('flags'), r);
    if (!isCompiled(c)) return c;
    const rest = a.slice(1, flagPos[name]);
    const kw = new Map([...k].filter(([key]) => key !== 'flags' && key !== 'pattern'));
    return patternMethods(ip, c, r)[name](rest, kw, { range: r });
  });
}

void asObject;
