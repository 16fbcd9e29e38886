// Python's text forms of values: float repr, the format-spec mini-language (format(), str.format, f-string specs).
import type { PyValue } from '../ops/values';

/** repr(float) as Python writes it: shortest round-trip digits, scientific below 1e-4 and from 1e16 on. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = mant.includes('.') ? mant : mant;
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(x);
  if (/e/.test(s)) {
    // JavaScript switches to exponents later or earlier than Python: write the digits out.
    const neg = x < 0;
    const digits = mant.replace('-', '').replace('.', '');
    let out: string;
    if (exp >= 0) out = digits.length <= exp + 1 ? digits.padEnd(exp + 1, '0') + '.0' : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    else out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    return (neg ? '-' : '') + out;
  }
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** x.toFixed(p) with Python's rounding: an exact tie goes to the even digit (JavaScript rounds it up). */
export function fixed(x: number, p: number): string {
  const s = x.toFixed(p);
  if (!Number.isFinite(x) || p > 60) return s;
  const long = Math.abs(x).toFixed(Math.min(100, p + 40));
  const tail = long.slice(long.indexOf('.') + 1 + p);
  if (!/^50*$/.test(tail)) return s;
  // A tie: round the truncated value to even.
  const trunc = long.slice(0, long.indexOf('.') + (p > 0 ? 1 + p : 0));
  const lastDigit = Number(trunc.replace('.', '').slice(-1));
  if (lastDigit % 2 === 0) return (x < 0 ? '-' : '') + trunc;
  return s;
}

/** Python's exponent form: at least two exponent digits (`1.5e+03`). */
function pyExp(x: number, prec: number): string {
  const [m, e] = x.toExponential(prec).split('e');
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** The 'g' presentation: fixed or exponent by the exponent's size, trailing zeros dropped unless `alt`. */
function generalFormat(x: number, prec: number, alt: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (x === 0) return alt ? `0.${'0'.repeat(p - 1)}` : '0';
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  let s: string;
  if (exp >= -4 && exp < p) s = x.toFixed(Math.max(0, p - 1 - exp));
  else s = pyExp(x, p - 1);
  if (!alt) {
    const [m, e] = s.split('e');
    const mm = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    s = e === undefined ? mm : `${mm}e${e}`;
  }
  return s;
}

function groupDigits(intPart: string, sep: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

export interface FormatArg {
  /** The value to format, already reduced to a number, string or bool. */
  readonly num: number | null;
  readonly isInt: boolean;
  readonly isFloat: boolean;
  readonly text: string;
}

export function formatArg(v: PyValue, str: (v: PyValue) => string): FormatArg | null {
  switch (v.kind) {
    case 'int':
      return v.dim.value === null ? null : { num: v.dim.value, isInt: true, isFloat: false, text: String(v.dim.value) };
    case 'bool':
      return { num: Number(v.value), isInt: true, isFloat: false, text: v.value ? 'True' : 'False' };
    case 'float':
      return { num: v.value, isInt: false, isFloat: true, text: floatRepr(v.value) };
    case 'unknown':
      return null;
    default:
      return { num: null, isInt: false, isFloat: false, text: str(v) };
  }
}

/** format(value, spec) — null when the spec does not apply to the value (Python raises ValueError). */
export function formatSpec(a: FormatArg, spec: string): string | null {
  const m = /^(?:(.)?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m) return null;
  let [, fill, align] = m;
  const [, , , sign, , alt, zero, widthText, group, precText, type] = m;
  const width = widthText ? Number(widthText) : 0;
  const prec = precText !== undefined ? Number(precText) : null;
  if (zero && !align) {
    fill = '0';
    align = '=';
  }
  fill = fill ?? ' ';
  let body: string;
  let signText = '';
  let prefix = '';
  if (type === 's' || (!type && a.num === null) || (!type && !a.isInt && !a.isFloat)) {
    if (a.num !== null && type === 's' && (a.isInt || a.isFloat) && a.text !== 'True' && a.text !== 'False') return null;
    body = prec !== null ? a.text.slice(0, prec) : a.text;
    align = align ?? '<';
  } else {
    if (a.num === null) return null;
    let x = a.num;
    const intType = type && 'bcdoxXn'.includes(type);
    if (intType && !a.isInt) return null;
    if (x < 0 || Object.is(x, -0)) {
      signText = '-';
      x = -x;
    } else if (sign === '+') signText = '+';
    else if (sign === ' ') signText = ' ';
    switch (type) {
      case 'b':
        body = x.toString(2);
        if (alt) prefix = '0b';
        break;
      case 'o':
        body = x.toString(8);
        if (alt) prefix = '0o';
        break;
      case 'x':
      case 'X':
        body = x.toString(16);
        if (type === 'X') body = body.toUpperCase();
        if (alt) prefix = type === 'x' ? '0x' : '0X';
        break;
      case 'c':
        body = String.fromCodePoint(x);
        break;
      case 'd':
      case 'n':
        body = String(x);
        break;
      case 'e':
      case 'E':
        body = pyExp(x, prec ?? 6);
        if (type === 'E') body = body.toUpperCase();
        break;
      case 'f':
      case 'F':
        body = Number.isFinite(x) ? fixed(x, prec ?? 6) : x !== x ? 'nan' : 'inf';
        if (type === 'F') body = body.toUpperCase();
        break;
      case '%':
        body = fixed(x * 100, prec ?? 6) + '%';
        break;
      case 'g':
      case 'G':
        body = generalFormat(x, prec ?? 6, !!alt);
        if (type === 'G') body = body.toUpperCase();
        break;
      default:
        // No type: ints as 'd'; floats as repr, or like 'g' (with at least one digit after the point) when a precision is given.
        if (a.isInt) body = String(x);
        else if (prec === null) body = floatRepr(x);
        else {
          body = generalFormat(x, prec, !!alt);
          if (!/[.e]/.test(body) && Number.isFinite(x)) body += '';
        }
    }
    if (group) {
      const [ip, fp] = body.split('.');
      body = groupDigits(ip, group) + (fp !== undefined ? `.${fp}` : '');
    }
    align = align ?? '>';
  }
  const core = prefix + body;
  const len = signText.length + core.length;
  if (len >= width) return signText + core;
  const pad = width - len;
  switch (align) {
    case '<':
      return signText + core + fill.repeat(pad);
    case '^':
      return fill.repeat(Math.floor(pad / 2)) + signText + core + fill.repeat(pad - Math.floor(pad / 2));
    case '=':
      return signText + fill.repeat(pad) + core;
    default:
      return fill.repeat(pad) + signText + core;
  }
}
