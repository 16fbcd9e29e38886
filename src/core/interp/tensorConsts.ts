// Element values of small constant tensors made from literal arguments (`torch.linspace(0, 0.1, 4)`), so `.item()`/`.tolist()` give numbers.
import type { BoundArgs, InitRule } from '../ops/types';
import type { PyValue } from '../ops/values';
import type { DType, Shape } from '../shape/shape';

/** Above this many elements values are not tracked (they are for config arithmetic, not data). */
const MAX_ELEMENTS = 4096;

/** A Python number that is a plain constant (not derived from a symbolic input size). */
function constNum(v: PyValue | undefined): number | null {
  if (!v) return null;
  if (v.kind === 'int') return v.dim.expr === null ? v.dim.value : null;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind === 'float') return v.value;
  return null;
}

/** Rounds to what a tensor of `dtype` stores. */
export function storeAs(x: number, dtype: DType): number {
  if (dtype === 'float32') return Math.fround(x);
  if (dtype === 'bool') return x !== 0 ? 1 : 0;
  if (dtype.startsWith('int') || dtype.startsWith('uint')) return Math.trunc(x);
  return x;
}

/** torch.linspace in the output precision: the first half steps up from start, the second half down from end (as torch's kernel does). */
function linspaceValues(a: BoundArgs, dtype: DType): number[] | null {
  const start = constNum(a.start);
  const end = constNum(a.end);
  const n = constNum(a.steps);
  if (start === null || end === null || n === null || !Number.isInteger(n) || n < 0 || n > MAX_ELEMENTS) return null;
  if (n === 1) return [storeAs(start, dtype)];
  const f = dtype === 'float32' ? Math.fround : (x: number) => x;
  const step = f(f(f(end) - f(start)) / (n - 1));
  const half = Math.floor(n / 2);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(storeAs(i < half ? f(start) + f(step * i) : f(end) - f(step * (n - i - 1)), dtype));
  return out;
}

function arangeValues(a: BoundArgs, dtype: DType): number[] | null {
  const hasEnd = a.end !== undefined && a.end.kind !== 'none';
  const start = hasEnd ? constNum(a.start) : 0;
  const end = constNum(hasEnd ? a.end : a.start);
  const step = constNum(a.step) ?? 1;
  if (start === null || end === null || step === 0) return null;
  const n = Math.max(0, Math.ceil((end - start) / step));
  if (n > MAX_ELEMENTS) return null;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(storeAs(start + i * step, dtype));
  return out;
}

/** Flattened numbers of a nested list/tuple literal (row-major), or null when any leaf is not a constant number. */
function literalValues(v: PyValue | undefined, dtype: DType, out: number[] = []): number[] | null {
  if (!v) return null;
  if (v.kind === 'list' || v.kind === 'tuple') {
    for (const x of v.items) if (!literalValues(x, dtype, out)) return null;
    return out.length > MAX_ELEMENTS ? null : out;
  }
  const x = constNum(v);
  if (x === null) return null;
  out.push(storeAs(x, dtype));
  return out;
}

/** The values a creation op produces with these (bound) arguments, or null when they are not all constants. */
export function creationValues(op: string, a: BoundArgs, dtype: DType): number[] | null {
  switch (op) {
    case 'torch.linspace':
      return linspaceValues(a, dtype);
    case 'torch.arange':
      return arangeValues(a, dtype);
    case 'torch.tensor':
      return literalValues(a.data, dtype);
    case 'torch.eye': {
      const n = constNum(a.n);
      const m = a.m === undefined || a.m.kind === 'none' ? n : constNum(a.m);
      if (n === null || m === null || n * m > 1 << 16) return null;
      return Array.from({ length: n * m }, (_, i) => (Math.floor(i / m) === i % m ? 1 : 0));
    }
    default:
      return null;
  }
}

/** Element values of a tensor still as a deterministic factory made it (zeros, ones, full), when small. */
export function initRuleValues(rule: InitRule | undefined, shape: Shape | null): number[] | null {
  if (!rule) return null;
  const value = rule.kind === 'zeros' ? 0 : rule.kind === 'ones' ? 1 : rule.kind === 'constant' ? rule.value : null;
  const n = shapeNumel(shape);
  if (value === null || n < 0 || n > MAX_ELEMENTS) return null;
  return new Array<number>(n).fill(value);
}

/** A tensor element as the Python number `.item()` returns. */
export function pyNumber(x: number, dtype: DType): PyValue {
  if (dtype === 'bool') return { kind: 'bool', value: x !== 0 };
  if (dtype.startsWith('int') || dtype.startsWith('uint')) return { kind: 'int', dim: { value: x, expr: null } };
  return { kind: 'float', value: x };
}

/** Number of elements of a fully concrete shape, else -1. */
export function shapeNumel(shape: Shape | null): number {
  if (!shape) return -1;
  let n = 1;
  for (const d of shape) {
    if (d.value === null) return -1;
    n *= d.value;
  }
  return n;
}

/** Values of `t[i]` for a constant integer index into a tensor with known values, else null. */
export function rowValues(vals: readonly number[] | undefined, shape: Shape | null, index: PyValue): number[] | null {
  if (!vals || !shape || shape.length === 0 || index.kind !== 'int' || index.dim.value === null) return null;
  const n = shape[0]!.value;
  if (n === null || n === 0) return null;
  const i = index.dim.value < 0 ? index.dim.value + n : index.dim.value;
  if (i < 0 || i >= n) return null;
  const row = vals.length / n;
  return vals.slice(i * row, (i + 1) * row);
}

/** `.tolist()`: nested Python lists in the tensor's shape (a 0-d tensor gives its number). */
export function toPyList(vals: readonly number[], shape: Shape, dtype: DType): PyValue {
  const build = (off: number, axis: number): PyValue => {
    if (axis === shape.length) return pyNumber(vals[off]!, dtype);
    const n = shape[axis]!.value ?? 0;
    const stride = shape.slice(axis + 1).reduce((a, d) => a * (d.value ?? 0), 1);
    const items: PyValue[] = [];
    for (let i = 0; i < n; i++) items.push(build(off + i * stride, axis + 1));
    return { kind: 'list', items };
  };
  return build(0, 0);
}

/** torch.round: half to even (std::nearbyint). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const UNARY_VALUE = new Map<string, (x: number) => number>(Object.entries({
  exp: Math.exp, log: Math.log, log2: Math.log2, log10: Math.log10, sqrt: Math.sqrt, abs: Math.abs, neg: (x: number) => -x, negative: (x: number) => -x,
  floor: Math.floor, ceil: Math.ceil, round: roundHalfEven, trunc: Math.trunc, square: (x: number) => x * x, reciprocal: (x: number) => 1 / x,
}));

const BINARY_VALUE = new Map<string, (a: number, b: number) => number>(Object.entries({
  add: (a: number, b: number) => a + b, sub: (a: number, b: number) => a - b, subtract: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b, multiply: (a: number, b: number) => a * b, truediv: (a: number, b: number) => a / b,
  div: (a: number, b: number) => a / b, divide: (a: number, b: number) => a / b, true_divide: (a: number, b: number) => a / b,
  floordiv: (a: number, b: number) => Math.floor(a / b), floor_divide: (a: number, b: number) => Math.floor(a / b), pow: (a: number, b: number) => a ** b,
  maximum: Math.max, minimum: Math.min,
}));

const CAST_METHODS = new Set(['float', 'double', 'half', 'long', 'int', 'short', 'char', 'byte', 'bool', 'to', 'type', 'type_as', 'clone', 'contiguous', 'detach']);

/** An operand's elements (a tensor with tracked values, or a constant number) and its concrete shape. */
interface Operand { readonly vals: readonly number[]; readonly shape: readonly number[] }

function operandOf(v: PyValue | undefined, get: (t: PyValue) => readonly number[] | undefined): Operand | null {
  if (!v) return null;
  if (v.kind === 'tensor') {
    const vals = get(v);
    if (!vals || !v.shape || v.shape.some((d) => d.value === null)) return null;
    return { vals, shape: v.shape.map((d) => d.value as number) };
  }
  const x = constNum(v);
  return x === null ? null : { vals: [x], shape: [] };
}

/** Elementwise `f` over broadcast operands, each value first cast to the computation dtype and the result stored in it. */
function broadcastValues(ops: readonly Operand[], out: Shape, dtype: DType, f: (xs: number[]) => number): number[] | null {
  const shape = out.map((d) => d.value);
  if (shape.some((d) => d === null)) return null;
  const dims = shape as number[];
  const n = dims.reduce((a, b) => a * b, 1);
  if (n > MAX_ELEMENTS) return null;
  const res: number[] = [];
  const idx = new Array<number>(dims.length).fill(0);
  for (let k = 0; k < n; k++) {
    const xs = ops.map((o) => {
      let off = 0;
      const lead = dims.length - o.shape.length;
      for (let i = 0; i < o.shape.length; i++) off = off * o.shape[i]! + (o.shape[i] === 1 ? 0 : idx[lead + i]!);
      return storeAs(o.vals[off]!, dtype);
    });
    const v = f(xs);
    // Integer division by zero raises in torch; no value is known.
    if (!Number.isFinite(v) && (dtype.startsWith('int') || dtype.startsWith('uint'))) return null;
    res.push(storeAs(v, dtype));
    for (let i = dims.length - 1; i >= 0; i--) {
      if (++idx[i]! < dims[i]!) break;
      idx[i] = 0;
    }
  }
  return res;
}

/** torch.diff's values: `n` rounds of `x[1:] - x[:-1]` along `dim` (xor for bool). */
export function diffValues(vals: readonly number[], shape: readonly number[], axis: number, n: number, dtype: DType): number[] {
  let cur = [...vals];
  const dims = [...shape];
  for (let round = 0; round < n && dims[axis]! > 0; round++) {
    const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    const len = dims[axis]!;
    const next: number[] = [];
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < len - 1; i++) {
        for (let j = 0; j < inner; j++) {
          const a = cur[(o * len + i + 1) * inner + j]!;
          const b = cur[(o * len + i) * inner + j]!;
          next.push(dtype === 'bool' ? (a !== b ? 1 : 0) : storeAs(a - b, dtype));
        }
      }
    }
    dims[axis] = len - 1;
    cur = next;
  }
  return cur;
}

/**
 * Values of an op's result computed from operands whose values are tracked (`torch.arange(4) * 2.5 + 1`,
 * `.round()`, `.int()`, `torch.diff`), in the result dtype's precision; null when any is unknown.
 */
export function derivedValues(op: string, a: BoundArgs, out: PyValue, get: (t: PyValue) => readonly number[] | undefined): number[] | null {
  if (out.kind !== 'tensor' || !out.shape) return null;
  const dot = op.indexOf('.');
  const ns = op.slice(0, dot);
  const name = op.slice(dot + 1);
  if (ns !== 'op' && ns !== 'torch' && ns !== 'Tensor') return null;
  const first = ns === 'op' ? a.a : ns === 'Tensor' ? a.self : a.input;
  const dtype = out.dtype;
  if ((ns !== 'op' && UNARY_VALUE.has(name)) || (ns === 'op' && (name === 'neg' || name === 'pos'))) {
    const x = operandOf(first, get);
    if (!x) return null;
    const f = name === 'pos' ? (v: number) => v : UNARY_VALUE.get(name)!;
    return broadcastValues([x], out.shape, dtype, ([v]) => f(v!));
  }
  const binary = BINARY_VALUE.get(name);
  if (binary) {
    const x = operandOf(first, get);
    const other = ns === 'op' ? a.b : name === 'pow' ? a.exponent : a.other;
    const y = operandOf(other, get);
    if (!x || !y) return null;
    let f = binary;
    const alpha = constNum(a.alpha);
    if (alpha !== null && alpha !== 1 && (name === 'add' || name.startsWith('sub'))) f = (p, q) => binary(p, q * alpha);
    const rm = a.rounding_mode;
    if (rm && rm.kind === 'str') f = rm.value === 'floor' ? (p, q) => Math.floor(p / q) : (p, q) => Math.trunc(p / q);
    // Integer true division computes in float32; other integer results are exact integers.
    const calc = dtype === 'bool' ? 'float64' : dtype;
    return broadcastValues([x, y], out.shape, calc, ([p, q]) => f(p!, q!))?.map((v) => storeAs(v, dtype)) ?? null;
  }
  if (ns === 'Tensor' && CAST_METHODS.has(name)) {
    const x = operandOf(first, get);
    return x ? x.vals.map((v) => storeAs(v, dtype)) : null;
  }
  if (name === 'diff' && ns !== 'op') {
    const x = operandOf(first, get);
    if (!x || x.shape.length === 0 || (a.prepend && a.prepend.kind !== 'none') || (a.append && a.append.kind !== 'none')) return null;
    const n = constNum(a.n);
    const d = constNum(a.dim);
    if (n === null || d === null) return null;
    return diffValues(x.vals, x.shape, d < 0 ? d + x.shape.length : d, n, dtype);
  }
  return null;
}
