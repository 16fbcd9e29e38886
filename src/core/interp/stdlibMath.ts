// The `math` module (and numpy's scalar functions, which agree with it on Python numbers).
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { unknown } from './objects';
import { builtin } from './builtins';
import { num, pyBool, pyInt } from './pyOps';

/** erf by Abramowitz–Stegun 7.1.26 refined with a series near zero (float64-accurate enough for init bounds). */
function erf(x: number): number {
  if (Math.abs(x) < 2) {
    // Taylor series: 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let sum = 0;
    let term = x;
    for (let n = 0; n < 60; n++) {
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
      term *= (-x * x) / (n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc at larger |x|.
  const ax = Math.abs(x);
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return x > 0 ? 1 - erfc : erfc - 1;
}

function lgamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const g = 7;
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.61503916999186, 12.507343278686905, -0.13857109526572012,
    9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function factorial(n: number): number {
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

function comb(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - i + 1)) / i;
  return Math.round(r);
}

/** Attribute `name` of math (or numpy when `numpy`); null when unknown here. */
export function mathAttr(ip: Evaluator, name: string, r: Range | null, numpy: boolean): PyValue | null {
  const consts: Record<string, number> = { pi: Math.PI, e: Math.E, inf: Infinity, nan: NaN, tau: 2 * Math.PI };
  if (name in consts) return { kind: 'float', value: consts[name] };
  if (numpy && (name === 'Inf' || name === 'NaN' || name === 'PINF')) return { kind: 'float', value: name === 'NaN' ? NaN : Infinity };
  const prefix = numpy ? 'numpy' : 'math';
  const unary = (f: (x: number) => number, toInt = false) =>
    builtin(name, (a) => {
      const v = a[0] ?? NONE;
      if (v.kind === 'tensor' && numpy) return ip.callOpKey(`torch.${name}`, [v], new Map(), r);
      const x = num(v);
      if (x === null) return unknown(`${prefix}.${name} of an unknown value`);
      const y = f(x);
      return toInt && !numpy ? pyInt(y) : { kind: 'float', value: y };
    });
  const binary = (f: (x: number, y: number) => number, toInt = false) =>
    builtin(name, (a) => {
      const x = num(a[0] ?? NONE);
      const y = num(a[1] ?? NONE);
      if (x === null || y === null) return unknown(`${prefix}.${name} of an unknown value`);
      return toInt ? pyInt(f(x, y)) : { kind: 'float', value: f(x, y) };
    });
  const test = (f: (x: number) => boolean) =>
    builtin(name, (a) => {
      const x = num(a[0] ?? NONE);
      return x === null ? unknown(`${prefix}.${name} of an unknown value`) : pyBool(f(x));
    });
  switch (name) {
    case 'sqrt':
      return unary(Math.sqrt);
    case 'ceil':
      return unary(Math.ceil, true);
    case 'floor':
      return unary(Math.floor, true);
    case 'trunc':
      return unary(Math.trunc, true);
    case 'isqrt':
      return unary((x) => Math.floor(Math.sqrt(x)), true);
    case 'log':
      return builtin(name, (a) => {
        const x = a[0] ? num(a[0]) : null;
        const base = a[1] ? num(a[1]) : null;
        if (x === null) return unknown(`${prefix}.log of an unknown value`);
        return { kind: 'float', value: base ? Math.log(x) / Math.log(base) : Math.log(x) };
      });
    case 'log2':
      return unary(Math.log2);
    case 'log10':
      return unary(Math.log10);
    case 'log1p':
      return unary(Math.log1p);
    case 'exp':
      return unary(Math.exp);
    case 'expm1':
      return unary(Math.expm1);
    case 'cos':
      return unary(Math.cos);
    case 'sin':
      return unary(Math.sin);
    case 'tan':
      return unary(Math.tan);
    case 'acos':
    case 'arccos':
      return unary(Math.acos);
    case 'asin':
    case 'arcsin':
      return unary(Math.asin);
    case 'atan':
    case 'arctan':
      return unary(Math.atan);
    case 'sinh':
      return unary(Math.sinh);
    case 'cosh':
      return unary(Math.cosh);
    case 'tanh':
      return unary(Math.tanh);
    case 'fabs':
      return unary(Math.abs);
    case 'erf':
      return unary(erf);
    case 'erfc':
      return unary((x) => 1 - erf(x));
    case 'gamma':
      return unary((x) => Math.exp(lgamma(x)));
    case 'lgamma':
      return unary(lgamma);
    case 'degrees':
      return unary((x) => (x * 180) / Math.PI);
    case 'radians':
      return unary((x) => (x * Math.PI) / 180);
    case 'atan2':
    case 'arctan2':
      return binary(Math.atan2);
    case 'hypot':
      return binary(Math.hypot);
    case 'copysign':
      return binary((x, y) => (Math.sign(y) < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x)));
    case 'fmod':
      return binary((x, y) => x % y);
    case 'pow':
    case 'power':
      return binary((x, y) => x ** y);
    case 'ldexp':
      return binary((x, y) => x * 2 ** y);
    case 'factorial':
      return builtin(name, (a) => {
        const n = num(a[0] ?? NONE);
        return n === null ? unknown('math.factorial of an unknown value') : pyInt(factorial(n));
      });
    case 'comb':
      return binary(comb, true);
    case 'perm':
      return builtin(name, (a) => {
        const n = num(a[0] ?? NONE);
        const k = a[1] ? num(a[1]) : n;
        if (n === null || k === null) return unknown('math.perm of an unknown value');
        return pyInt(k > n ? 0 : factorial(n) / factorial(n - k));
      });
    case 'gcd':
    case 'lcm':
      return builtin(name, (a) => {
        const ns = a.map(num);
        if (ns.some((x) => x === null)) return unknown(`math.${name} of an unknown value`);
        const g2 = (x: number, y: number): number => {
          x = Math.abs(x);
          y = Math.abs(y);
          while (y) [x, y] = [y, x % y];
          return x;
        };
        const out = (ns as number[]).reduce(
          (acc, x) => (name === 'gcd' ? g2(acc, x) : acc === 0 || x === 0 ? 0 : Math.abs(acc * x) / g2(acc, x)),
          name === 'gcd' ? 0 : 1,
        );
        return pyInt(out);
      });
    case 'prod':
    case 'fsum':
      return builtin(name, (a, k) => {
        const items = a[0] ? ip.iterate(a[0], r) : null;
        if (!items) return unknown(`${prefix}.${name} of an unknown value`);
        let acc: PyValue = name === 'prod' ? (k.get('start') ?? pyInt(1)) : { kind: 'float', value: 0 };
        for (const x of items) acc = ip.binary(name === 'prod' ? '*' : '+', acc, x, r);
        return acc;
      });
    case 'isfinite':
      return test(Number.isFinite);
    case 'isnan':
      return test(Number.isNaN);
    case 'isinf':
      return test((x) => !Number.isFinite(x) && !Number.isNaN(x));
    case 'isclose':
      return builtin(name, (a, k) => {
        const x = num(a[0] ?? NONE);
        const y = num(a[1] ?? NONE);
        if (x === null || y === null) return unknown('math.isclose of an unknown value');
        const rel = num(k.get('rel_tol') ?? { kind: 'float', value: 1e-9 }) ?? 1e-9;
        const abs = num(k.get('abs_tol') ?? { kind: 'float', value: 0 }) ?? 0;
        return pyBool(Math.abs(x - y) <= Math.max(rel * Math.max(Math.abs(x), Math.abs(y)), abs));
      });
    case 'modf':
      return builtin(name, (a) => {
        const x = num(a[0] ?? NONE);
        if (x === null) return unknown('math.modf of an unknown value');
        const i = Math.trunc(x);
        return {
          kind: 'tuple',
          items: [
            { kind: 'float', value: x - i },
            { kind: 'float', value: i },
          ],
        };
      });
  }
  return null;
}
