// Symbolic integer expressions over named dimensions (B, H, W): canonical polynomials with rational
// coefficients over atoms (symbols, and floor() of sub-expressions that do not simplify).
//
// Simplification is exact under one assumption: each symbol is a multiple of the largest power of two
// dividing its concrete value (H=256 → multiple of 256, 72 → 8, 33 → 1). So a stride-2 conv of H=256
// prints `H/2`, the fourth halving of H=72 prints `floor(H/16)`, and an odd H keeps `floor((H-1)/2)+1`.

/** An exact fraction n/d with d > 0 and gcd(n, d) = 1. */
interface Rat {
  readonly n: number;
  readonly d: number;
}

type Atom =
  | { readonly kind: 'sym'; readonly name: string; readonly value: number | null }
  /** floor(num / den); when den is a constant it is folded into num's coefficients (den = 1). */
  | { readonly kind: 'floor'; readonly num: Poly; readonly den: Poly };

interface Factor {
  readonly atom: Atom;
  readonly exp: number;
}

interface Term {
  readonly coef: Rat;
  /** Sorted by atom key; empty for the constant term. */
  readonly factors: readonly Factor[];
}

/** Terms sorted by monomial key, no zero coefficients, at most one term per monomial. */
type Poly = readonly Term[];

export type Expr =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'sym'; readonly name: string; readonly value: number | null }
  | { readonly kind: 'poly'; readonly terms: Poly };

// ---------- rationals ----------

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function rat(n: number, d = 1): Rat {
  if (d < 0) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1;
  return { n: n / g, d: d / g };
}

const ratAdd = (a: Rat, b: Rat): Rat => rat(a.n * b.d + b.n * a.d, a.d * b.d);
const ratMul = (a: Rat, b: Rat): Rat => rat(a.n * b.n, a.d * b.d);

/** A double as an exact fraction (dims are integers; this only guards against non-integer constants). */
function ratOf(x: number): Rat {
  if (Number.isInteger(x)) return rat(x);
  for (let d = 2; d <= 1 << 20; d *= 2) if (Number.isInteger(x * d)) return rat(x * d, d);
  return rat(Math.round(x));
}

// ---------- keys and ordering ----------

// Keys are memoised per (immutable) object: shape rules build many expressions from the same parts.
const atomKeys = new WeakMap<Atom, string>();
const monoKeys = new WeakMap<readonly Factor[], string>();
const polyKeys = new WeakMap<Poly, string>();

function atomKey(a: Atom): string {
  if (a.kind === 'sym') return `0:${a.name}`;
  let k = atomKeys.get(a);
  if (k === undefined) {
    k = `1:floor(${polyKey(a.num)}/${polyKey(a.den)})`;
    atomKeys.set(a, k);
  }
  return k;
}

function monoKey(fs: readonly Factor[]): string {
  if (fs.length === 0) return '';
  if (fs.length === 1 && fs[0].exp === 1) return atomKey(fs[0].atom);
  let k = monoKeys.get(fs);
  if (k === undefined) {
    k = fs.map((f) => (f.exp === 1 ? atomKey(f.atom) : `${atomKey(f.atom)}^${f.exp}`)).join('*');
    monoKeys.set(fs, k);
  }
  return k;
}

function polyKey(p: Poly): string {
  let k = polyKeys.get(p);
  if (k === undefined) {
    k = p.map((t) => `${t.coef.n}/${t.coef.d}*${monoKey(t.factors)}`).join('+');
    polyKeys.set(p, k);
  }
  return k;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------- polynomial arithmetic ----------

function normalize(terms: readonly Term[]): Poly {
  if (terms.length === 0) return terms;
  if (terms.length === 1) return terms[0].coef.n === 0 ? [] : terms;
  const byKey = new Map<string, Term>();
  for (const t of terms) {
    const k = monoKey(t.factors);
    const prev = byKey.get(k);
    byKey.set(k, prev ? { coef: ratAdd(prev.coef, t.coef), factors: t.factors } : t);
  }
  const out: Term[] = [];
  for (const k of [...byKey.keys()].sort()) {
    const t = byKey.get(k) as Term;
    if (t.coef.n !== 0) out.push(t);
  }
  return out;
}

const constPoly = (r: Rat): Poly => (r.n === 0 ? [] : [{ coef: r, factors: [] }]);
const polyAdd = (a: Poly, b: Poly): Poly => (a.length === 0 ? b : b.length === 0 ? a : normalize([...a, ...b]));
function polyScale(p: Poly, r: Rat): Poly {
  if (r.n === 0) return [];
  if (r.n === 1 && r.d === 1) return p;
  // Scaling by a non-zero number keeps the terms distinct and sorted.
  return p.map((t) => ({ coef: ratMul(t.coef, r), factors: t.factors }));
}

function mulFactors(a: readonly Factor[], b: readonly Factor[]): readonly Factor[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const m = new Map<string, Factor>();
  for (const f of [...a, ...b]) {
    const k = atomKey(f.atom);
    const prev = m.get(k);
    m.set(k, prev ? { atom: f.atom, exp: prev.exp + f.exp } : f);
  }
  return [...m.entries()].sort(([x], [y]) => cmp(x, y)).map(([, f]) => f);
}

function polyMul(a: Poly, b: Poly): Poly {
  const ca = constantOf(a);
  if (ca) return polyScale(b, ca);
  const cb = constantOf(b);
  if (cb) return polyScale(a, cb);
  const out: Term[] = [];
  for (const x of a) for (const y of b) out.push({ coef: ratMul(x.coef, y.coef), factors: mulFactors(x.factors, y.factors) });
  return normalize(out);
}

function constantOf(p: Poly): Rat | null {
  if (p.length === 0) return rat(0);
  return p.length === 1 && p[0].factors.length === 0 ? p[0].coef : null;
}

// ---------- integrality under the power-of-two assumption ----------

/** log2 of the power of two every value of the atom is assumed to be a multiple of. */
function atomTwos(a: Atom): number {
  if (a.kind !== 'sym' || a.value === null || a.value === 0) return 0;
  let v = Math.abs(a.value);
  let e = 0;
  while (v % 2 === 0 && e < 30) {
    v /= 2;
    e++;
  }
  return e;
}

/** coef·monomial is an integer when the coefficient's denominator is a power of two the monomial's factors cover. */
function termIsIntegral(t: Term): boolean {
  let d = t.coef.d;
  let need = 0;
  while (d % 2 === 0) {
    d /= 2;
    need++;
  }
  if (d !== 1) return false;
  return t.factors.reduce((acc, f) => acc + atomTwos(f.atom) * f.exp, 0) >= need;
}

/** floor(q) for a rational polynomial q, simplified where exact. */
function floorPoly(q: Poly): Poly {
  const integral: Term[] = [];
  const rest: Term[] = [];
  let c = rat(0);
  for (const t of q) {
    if (t.factors.length === 0) c = t.coef;
    else (termIsIntegral(t) ? integral : rest).push(t);
  }
  if (rest.length === 0) return polyAdd(integral, constPoly(rat(Math.floor(c.n / c.d))));
  // Keep the constant left inside floor() in (-1, 0]: floor(X + c) = ceil(c) + floor(X + c - ceil(c)).
  const cInt = Math.ceil(c.n / c.d);
  const frac = ratAdd(c, rat(-cInt));
  const inner = normalize([...rest, ...constPoly(frac)]);
  const outer = polyAdd(integral, constPoly(rat(cInt)));
  // floor((floor(A) + P)/n) = floor((A + P)/n) when P is integer-valued and n a positive integer.
  for (const t of inner) {
    const f = t.factors.length === 1 && t.factors[0].exp === 1 ? t.factors[0].atom : null;
    if (!f || f.kind !== 'floor' || t.coef.n !== 1 || constantOf(f.den)?.n !== 1) continue;
    const others = inner.filter((x) => x !== t);
    const scaled = polyScale(others, rat(t.coef.d));
    if (scaled.every((x) => (x.factors.length === 0 ? x.coef.d === 1 : termIsIntegral(x)))) {
      return polyAdd(outer, floorPoly(polyAdd(polyScale(f.num, rat(1, t.coef.d)), others)));
    }
  }
  return polyAdd(outer, [{ coef: rat(1), factors: [{ atom: { kind: 'floor', num: inner, den: constPoly(rat(1)) }, exp: 1 }] }]);
}

/** a / m when the single-term m divides every term of a exactly, else null. */
function divideByMonomial(a: Poly, m: Term): Poly | null {
  const out: Term[] = [];
  for (const t of a) {
    const left = new Map(t.factors.map((f) => [atomKey(f.atom), f]));
    for (const f of m.factors) {
      const k = atomKey(f.atom);
      const have = left.get(k);
      if (!have || have.exp < f.exp) return null;
      if (have.exp === f.exp) left.delete(k);
      else left.set(k, { atom: f.atom, exp: have.exp - f.exp });
    }
    out.push({ coef: ratMul(t.coef, rat(m.coef.d, m.coef.n)), factors: [...left.entries()].sort(([x], [y]) => cmp(x, y)).map(([, f]) => f) });
  }
  return normalize(out);
}

function floorDivPoly(a: Poly, b: Poly): Poly {
  const c = constantOf(b);
  if (c) {
    if (c.n === 0) return [];
    return floorPoly(polyScale(a, rat(c.d, c.n)));
  }
  if (b.length === 1) {
    const q = divideByMonomial(a, b[0]);
    if (q) return floorPoly(q);
  }
  return [{ coef: rat(1), factors: [{ atom: { kind: 'floor', num: a, den: b }, exp: 1 }] }];
}

// ---------- Expr <-> Poly ----------

function toPoly(e: Expr): Poly {
  switch (e.kind) {
    case 'const':
      return constPoly(ratOf(e.value));
    case 'sym':
      return [{ coef: rat(1), factors: [{ atom: { kind: 'sym', name: e.name, value: e.value }, exp: 1 }] }];
    case 'poly':
      return e.terms;
  }
}

function fromPoly(p: Poly): Expr {
  const c = constantOf(p);
  if (c) return { kind: 'const', value: c.n / c.d };
  if (p.length === 1 && p[0].coef.n === 1 && p[0].coef.d === 1 && p[0].factors.length === 1 && p[0].factors[0].exp === 1) {
    const a = p[0].factors[0].atom;
    if (a.kind === 'sym') return { kind: 'sym', name: a.name, value: a.value };
  }
  return { kind: 'poly', terms: p };
}

// ---------- public API (used by dim.ts) ----------

export const exprConst = (value: number): Expr => ({ kind: 'const', value });
export const exprSym = (name: string, value: number | null): Expr => ({ kind: 'sym', name, value });
export const exprAdd = (a: Expr, b: Expr): Expr => fromPoly(polyAdd(toPoly(a), toPoly(b)));
export const exprMul = (a: Expr, b: Expr): Expr => fromPoly(polyMul(toPoly(a), toPoly(b)));
export const exprFloorDiv = (a: Expr, b: Expr): Expr => fromPoly(floorDivPoly(toPoly(a), toPoly(b)));

/** ceil(a/c) = floor((a+c-1)/c) for integer-valued a and a positive integer c; else -floor(-a/b). */
export function exprCeilDiv(a: Expr, b: Expr): Expr {
  const pa = toPoly(a);
  const pb = toPoly(b);
  const c = constantOf(pb);
  if (c && c.d === 1 && c.n > 0) return fromPoly(floorDivPoly(polyAdd(pa, constPoly(rat(c.n - 1))), pb));
  return fromPoly(polyScale(floorDivPoly(polyScale(pa, rat(-1)), pb), rat(-1)));
}

/** Python's a % b = a - b*floor(a/b). */
export function exprMod(a: Expr, b: Expr): Expr {
  const pa = toPoly(a);
  const pb = toPoly(b);
  return fromPoly(polyAdd(pa, polyScale(polyMul(pb, floorDivPoly(pa, pb)), rat(-1))));
}

/** Canonical equality: equal expressions have the same polynomial (H/2 + H/2 equals H). */
export function exprEquals(a: Expr, b: Expr): boolean {
  return polyKey(toPoly(a)) === polyKey(toPoly(b));
}

/** Names of the symbols an expression mentions, sorted. */
export function exprSymbols(e: Expr): string[] {
  const names = new Set<string>();
  const visit = (p: Poly): void => {
    for (const t of p) {
      for (const f of t.factors) {
        if (f.atom.kind === 'sym') names.add(f.atom.name);
        else {
          visit(f.atom.num);
          visit(f.atom.den);
        }
      }
    }
  };
  visit(toPoly(e));
  return [...names].sort();
}

function evalPoly(p: Poly, env: ReadonlyMap<string, number>): Rat | null {
  let sum = rat(0);
  for (const t of p) {
    let v = t.coef;
    for (const f of t.factors) {
      const x = evalAtom(f.atom, env);
      if (x === null) return null;
      for (let i = 0; i < f.exp; i++) v = ratMul(v, x);
    }
    sum = ratAdd(sum, v);
  }
  return sum;
}

function evalAtom(a: Atom, env: ReadonlyMap<string, number>): Rat | null {
  if (a.kind === 'sym') {
    const v = env.get(a.name) ?? a.value;
    return v === null || v === undefined ? null : rat(v);
  }
  const n = evalPoly(a.num, env);
  const d = evalPoly(a.den, env);
  if (!n || !d || d.n === 0) return null;
  const q = ratMul(n, rat(d.d, d.n));
  return rat(Math.floor(q.n / q.d));
}

/** Value under `env` (symbols not in env use their own concrete value); null when unknown. */
export function exprEval(e: Expr, env: ReadonlyMap<string, number>): number | null {
  const r = evalPoly(toPoly(e), env);
  return r === null ? null : r.n / r.d;
}

// ---------- formatting ----------

function degree(t: Term): number {
  return t.factors.reduce((a, f) => a + f.exp, 0);
}

/** Display order: symbol-only monomials by degree (highest first), then floor terms, the constant last. */
function displayOrder(p: Poly): Term[] {
  const rank = (t: Term) => (t.factors.length === 0 ? 2 : t.factors.some((f) => f.atom.kind === 'floor') ? 1 : 0);
  return [...p].sort((a, b) => rank(a) - rank(b) || degree(b) - degree(a) || cmp(monoKey(a.factors), monoKey(b.factors)));
}

function formatAtom(a: Atom): string {
  if (a.kind === 'sym') return a.name;
  const den = constantOf(a.den);
  if (den && den.n === 1 && den.d === 1) {
    // Bring the rational numerator to integer coefficients: floor((H-1)/2).
    const l = a.num.reduce((acc, t) => (acc * t.coef.d) / gcd(acc, t.coef.d), 1);
    const scaled = polyScale(a.num, rat(l));
    const inner = formatPoly(scaled);
    return l === 1 ? `floor(${inner})` : `floor(${wrap(scaled, inner)}/${l})`;
  }
  return `floor(${wrap(a.num, formatPoly(a.num))}/${wrap(a.den, formatPoly(a.den))})`;
}

function wrap(p: Poly, text: string): string {
  return p.length > 1 || (p.length === 1 && p[0].coef.n < 0) ? `(${text})` : text;
}

function formatMono(fs: readonly Factor[]): string {
  return fs.map((f) => (f.exp === 1 ? formatAtom(f.atom) : `${formatAtom(f.atom)}^${f.exp}`)).join('*');
}

/** A term without its sign: `H/2`, `3*H/2`, `C*H*W/64`, `7`. */
function formatTermAbs(t: Term): string {
  const n = Math.abs(t.coef.n);
  const d = t.coef.d;
  if (t.factors.length === 0) return d === 1 ? String(n) : `${n}/${d}`;
  const mono = formatMono(t.factors);
  const body = n === 1 ? mono : `${n}*${mono}`;
  return d === 1 ? body : `${body}/${d}`;
}

function formatPoly(p: Poly): string {
  if (p.length === 0) return '0';
  return displayOrder(p)
    .map((t, i) => {
      const s = formatTermAbs(t);
      if (t.coef.n < 0) return `-${s}`;
      return i === 0 ? s : `+${s}`;
    })
    .join('');
}

/** `H/2`, `2*H`, `H-2`, `floor((H-1)/2)+1`, `C*H*W/64`. */
export function exprFormat(e: Expr): string {
  if (e.kind === 'const') return String(e.value);
  if (e.kind === 'sym') return e.name;
  return formatPoly(e.terms);
}
