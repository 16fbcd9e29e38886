// Methods of Python's str, as Python defines them (split/rsplit with maxsplit, partition, strip(chars), find, …).
import { NONE, type PyValue } from '../ops/values';
import type { BuiltinFn } from './objects';
import { num, pyBool, pyInt, pyStr } from './pyOps';

type Raise = (excType: string, message: string) => never;

const WS = ' \t\n\r\v\f';
/** What str.splitlines() splits at (\r\n counts once). */
const LINE_BREAKS = new Set(['\n', '\r', '\v', '\f', String.fromCharCode(0x1c, 0x1d, 0x1e), '\x85', '\u2028', '\u2029'].join(''));

function strip(s: string, chars: string | null, left: boolean, right: boolean): string {
  const set = chars ?? WS;
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a]!)) a++;
  if (right) while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** str.split / str.rsplit with Python's rules for sep=None (runs of whitespace, no empty strings) and maxsplit. */
function split(s: string, sep: string | null, maxsplit: number, fromRight: boolean): string[] {
  if (sep === null) {
    const words: string[] = [];
    if (!fromRight) {
      let rest = strip(s, null, true, false);
      while (rest) {
        if (maxsplit >= 0 && words.length === maxsplit) {
          words.push(rest);
          return words;
        }
        const m = /[ \t\n\r\v\f]+/.exec(rest);
        if (!m) {
          words.push(rest);
          break;
        }
        words.push(rest.slice(0, m.index));
        rest = rest.slice(m.index + m[0].length);
      }
      return words;
    }
    let rest = strip(s, null, false, true);
    while (rest) {
      if (maxsplit >= 0 && words.length === maxsplit) {
        words.unshift(rest);
        return words;
      }
      const m = /[ \t\n\r\v\f]+(?=[^ \t\n\r\v\f]*$)/.exec(rest);
      if (!m) {
        words.unshift(rest);
        break;
      }
      words.unshift(rest.slice(m.index + m[0].length));
      rest = rest.slice(0, m.index);
    }
    return words;
  }
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length - 1 <= maxsplit) return parts;
  if (!fromRight) return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
  const keep = parts.length - maxsplit;
  return [parts.slice(0, keep).join(sep), ...parts.slice(keep)];
}

/** Python's slice-style clamping of start/end arguments of find/count/startswith. */
function bounds(len: number, start: PyValue | undefined, end: PyValue | undefined): [number, number] {
  const clamp = (v: PyValue | undefined, dflt: number) => {
    const n = v && v.kind !== 'none' ? num(v) : null;
    if (n === null) return dflt;
    return n < 0 ? Math.max(0, len + n) : Math.min(n, len);
  };
  return [clamp(start, 0), clamp(end, len)];
}

function isUpperCased(s: string): boolean {
  return s.toUpperCase() === s && s.toLowerCase() !== s;
}

/** Registers the str methods under `str.NAME` (a method of the value is looked up as `${kind}.${name}`). */
export function addStrMethods(m: (name: string, call: BuiltinFn) => void, raise: Raise): void {
  const self = (a: PyValue[]) => (a[0]?.kind === 'str' ? a[0].value : '');
  const str = (v: PyValue | undefined) => (v && v.kind === 'str' ? v.value : null);
  const int = (v: PyValue | undefined, dflt: number) => (v && v.kind !== 'none' ? (num(v) ?? dflt) : dflt);
  const list = (xs: string[]): PyValue => ({ kind: 'list', items: xs.map(pyStr) });
  const arg = (a: PyValue[], k: Map<string, PyValue>, i: number, name: string) => a[i] ?? k.get(name);

  for (const [name, fromRight] of [
    ['split', false],
    ['rsplit', true],
  ] as const) {
    m(`str.${name}`, (a, k) => {
      const sep = arg(a, k, 1, 'sep');
      const sepStr = sep && sep.kind !== 'none' ? str(sep) : null;
      if (sepStr === '') raise('ValueError', 'empty separator');
      return list(split(self(a), sepStr, int(arg(a, k, 2, 'maxsplit'), -1), fromRight));
    });
  }
  m('str.splitlines', (a, k) => {
    const keep = (arg(a, k, 1, 'keepends')?.kind === 'bool' && (arg(a, k, 1, 'keepends') as { value: boolean }).value) || false;
    const s = self(a);
    const out: string[] = [];
    let at = 0;
    for (let i = 0; i < s.length; i++) {
      if (!LINE_BREAKS.has(s[i]!)) continue;
      const end = s[i] === '\r' && s[i + 1] === '\n' ? i + 2 : i + 1;
      out.push(s.slice(at, keep ? end : i));
      at = end;
      i = end - 1;
    }
    if (at < s.length) out.push(s.slice(at));
    return list(out);
  });
  const partition =
    (fromRight: boolean): BuiltinFn =>
    (a) => {
      const s = self(a);
      const sep = str(a[1]);
      if (sep === null) return raise('TypeError', 'must be str');
      if (sep === '') return raise('ValueError', 'empty separator');
      const i = fromRight ? s.lastIndexOf(sep) : s.indexOf(sep);
      const parts = i < 0 ? (fromRight ? ['', '', s] : [s, '', '']) : [s.slice(0, i), sep, s.slice(i + sep.length)];
      return { kind: 'tuple', items: parts.map(pyStr) };
    };
  m('str.partition', partition(false));
  m('str.rpartition', partition(true));
  for (const [name, l, r] of [
    ['strip', true, true],
    ['lstrip', true, false],
    ['rstrip', false, true],
  ] as const) {
    m(`str.${name}`, (a) => pyStr(strip(self(a), a[1] && a[1].kind !== 'none' ? str(a[1]) : null, l, r)));
  }
  const affix =
    (end: boolean): BuiltinFn =>
    (a) => {
      const s = self(a);
      const [from, to] = bounds(s.length, a[2], a[3]);
      const part = s.slice(from, to);
      const cands = a[1]?.kind === 'tuple' ? a[1].items.map(str) : [str(a[1])];
      if (cands.some((c) => c === null)) return raise('TypeError', `${end ? 'endswith' : 'startswith'} first arg must be str or a tuple of str`);
      return pyBool(to >= from && cands.some((c) => (end ? part.endsWith(c!) : part.startsWith(c!))));
    };
  m('str.startswith', affix(false));
  m('str.endswith', affix(true));
  const find =
    (fromRight: boolean, strict: boolean, name: string): BuiltinFn =>
    (a) => {
      const s = self(a);
      const sub = str(a[1]) ?? '';
      const [from, to] = bounds(s.length, a[2], a[3]);
      const part = s.slice(from, to);
      const i = to < from ? -1 : fromRight ? part.lastIndexOf(sub) : part.indexOf(sub);
      if (i < 0 && strict) return raise('ValueError', `substring not found (${name})`);
      return pyInt(i < 0 ? -1 : from + i);
    };
  m('str.find', find(false, false, 'find'));
  m('str.rfind', find(true, false, 'rfind'));
  m('str.index', find(false, true, 'index'));
  m('str.rindex', find(true, true, 'rindex'));
  m('str.count', (a) => {
    const s = self(a);
    const sub = str(a[1]) ?? '';
    const [from, to] = bounds(s.length, a[2], a[3]);
    if (to < from) return pyInt(0);
    const part = s.slice(from, to);
    return pyInt(sub === '' ? part.length + 1 : part.split(sub).length - 1);
  });
  m('str.replace', (a) => {
    const s = self(a);
    const old = str(a[1]);
    const rep = str(a[2]);
    if (old === null || rep === null) return raise('TypeError', 'replace() arguments must be str');
    const count = int(a[3], -1);
    const parts = s.split(old);
    if (count < 0 || parts.length - 1 <= count) return pyStr(parts.join(rep));
    return pyStr(parts.slice(0, count + 1).join(rep) + old + parts.slice(count + 1).join(old));
  });
  m('str.lower', (a) => pyStr(self(a).toLowerCase()));
  m('str.casefold', (a) => pyStr(self(a).toLowerCase()));
  m('str.upper', (a) => pyStr(self(a).toUpperCase()));
  m('str.swapcase', (a) => pyStr([...self(a)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')));
  m('str.capitalize', (a) => {
    const s = self(a);
    return pyStr(s.slice(0, 1).toUpperCase() + s.slice(1).toLowerCase());
  });
  m('str.title', (a) =>
    pyStr(
      self(a)
        .toLowerCase()
        .replace(/(^|[^A-Za-z])([a-z])/g, (_x, p: string, c: string) => p + c.toUpperCase()),
    ),
  );
  const test =
    (re: RegExp): BuiltinFn =>
    (a) =>
      pyBool(re.test(self(a)));
  m('str.isdigit', test(/^\d+$/));
  m('str.isdecimal', test(/^\d+$/));
  m('str.isnumeric', test(/^\d+$/));
  m('str.isalpha', test(/^[A-Za-z\u00c0-\uffff]+$/));
  m('str.isalnum', test(/^[A-Za-z0-9\u00c0-\uffff]+$/));
  m('str.isspace', test(/^[ \t\n\r\v\f]+$/));
  m('str.isidentifier', test(/^[A-Za-z_\u00c0-\uffff][A-Za-z0-9_\u00c0-\uffff]*$/));
  m('str.isascii', (a) => pyBool([...self(a)].every((c) => c.charCodeAt(0) < 128)));
  m('str.isupper', (a) => pyBool(isUpperCased(self(a))));
  m('str.islower', (a) => pyBool(self(a).toLowerCase() === self(a) && self(a).toUpperCase() !== self(a)));
  m('str.zfill', (a) => {
    const s = self(a);
    const w = int(a[1], 0);
    if (s.length >= w) return pyStr(s);
    const sign = s[0] === '+' || s[0] === '-' ? s[0] : '';
    return pyStr(sign + '0'.repeat(w - s.length) + s.slice(sign.length));
  });
  const pad =
    (how: 'l' | 'r' | 'c'): BuiltinFn =>
    (a) => {
      const s = self(a);
      const w = int(a[1], 0);
      const fill = str(a[2]) ?? ' ';
      const n = Math.max(0, w - s.length);
      if (how === 'l') return pyStr(s + fill.repeat(n));
      if (how === 'r') return pyStr(fill.repeat(n) + s);
      // Python puts the extra fill character on the right when the padding is odd, unless the width is odd too.
      const left = Math.floor(n / 2) + (n & w & 1);
      return pyStr(fill.repeat(left) + s + fill.repeat(n - left));
    };
  m('str.ljust', pad('l'));
  m('str.rjust', pad('r'));
  m('str.center', pad('c'));
  m('str.removeprefix', (a) => {
    const s = self(a);
    const p = str(a[1]) ?? '';
    return pyStr(p && s.startsWith(p) ? s.slice(p.length) : s);
  });
  m('str.removesuffix', (a) => {
    const s = self(a);
    const p = str(a[1]) ?? '';
    return pyStr(p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s);
  });
  m('str.expandtabs', (a) => pyStr(self(a).replace(/\t/g, ' '.repeat(int(a[1], 8)))));
  m('str.encode', (a) => pyStr(self(a)));
  m('str.__len__', (a) => pyInt(self(a).length));
  void NONE;
}
