// Element values of small constant tensors, as the registry entries that make them state (`constValues` hooks):
// creation from literal arguments (`torch.linspace(0, 0.1, 4)`) and elementwise math on tracked values
// (`torch.arange(4) * 2.5 + 1`, `.round()`, `.int()`, `torch.diff`), so `.item()`/`.tolist()` give numbers.
import type { BoundArgs, ConstPiecesHook, ConstValuesHook, FunctionOpDef } from './types';
import type { PyValue } from './values';
import type { DType, Shape } from '../shape/shape';

/** Above this many elements values are not tracked (they are for config arithmetic, not data). */
export const MAX_CONST_ELEMENTS = 4096;
const MAX_ELEMENTS = MAX_CONST_ELEMENTS;

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

/** torch.round: half to even (std::nearbyint). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const UNARY_VALUE = new Map<string, (x: number) => number>(
  Object.entries({
    exp: Math.exp,
    log: Math.log,
    log2: Math.log2,
    log10: Math.log10,
    sqrt: Math.sqrt,
    abs: Math.abs,
    neg: (x: number) => -x,
    negative: (x: number) => -x,
    floor: Math.floor,
    ceil: Math.ceil,
    round: roundHalfEven,
    trunc: Math.trunc,
    square: (x: number) => x * x,
    reciprocal: (x: number) => 1 / x,
  }),
);

const BINARY_VALUE = new Map<string, (a: number, b: number) => number>(
  Object.entries({
    add: (a: number, b: number) => a + b,
    sub: (a: number, b: number) => a - b,
    subtract: (a: number, b: number) => a - b,
    mul: (a: number, b: number) => a * b,
    multiply: (a: number, b: number) => a * b,
    truediv: (a: number, b: number) => a / b,
    div: (a: number, b: number) => a / b,
    divide: (a: number, b: number) => a / b,
    true_divide: (a: number, b: number) => a / b,
    floordiv: (a: number, b: number) => Math.floor(a / b),
    floor_divide: (a: number, b: number) => Math.floor(a / b),
    pow: (a: number, b: number) => a ** b,
    maximum: Math.max,
    minimum: Math.min,
  }),
);

const CAST_METHODS = new Set([
  'float',
  'double',
  'half',
  'long',
  'int',
  'short',
  'char',
  'byte',
  'bool',
  'to',
  'type',
  'type_as',
  'clone',
  'contiguous',
  'detach',
]);

/** An operand's elements (a tensor with tracked values, or a constant number) and its concrete shape. */
interface Operand {
  readonly vals: readonly number[];
  readonly shape: readonly number[];
}

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

/** Ints of a dims argument given as one int, a sequence, or varargs holding a sequence (`x.flip(0, 1)`, `x.flip((0, 1))`). */
function flatNums(v: PyValue | undefined): number[] | null {
  if (!v) return null;
  if (v.kind === 'tuple' || v.kind === 'list') {
    const out: number[] = [];
    for (const x of v.items) {
      const n = flatNums(x);
      if (!n) return null;
      out.push(...n);
    }
    return out;
  }
  const n = constNum(v);
  return n === null ? null : [n];
}

/** Row-major values with the axes in `axes` reversed (torch.flip). */
function flipValues(vals: readonly number[], shape: readonly number[], axes: ReadonlySet<number>): number[] {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return vals.map((_, idx) => {
    let src = 0;
    for (let i = 0; i < shape.length; i++) {
      const c = Math.floor(idx / strides[i]!) % shape[i]!;
      src += (axes.has(i) ? shape[i]! - 1 - c : c) * strides[i]!;
    }
    return vals[src]!;
  });
}

/** The values hook of the registry entry keyed `key` (its canonical name), or undefined when it folds no values. */
function hookFor(key: string): ConstValuesHook | undefined {
  if (key === 'torch.linspace') return (a, out) => linspaceValues(a, out.dtype);
  if (key === 'torch.arange') return (a, out) => arangeValues(a, out.dtype);
  if (key === 'torch.tensor') return (a, out) => literalValues(a.data, out.dtype);
  if (key === 'torch.eye') {
    return (a) => {
      const n = constNum(a.n);
      const m = a.m === undefined || a.m.kind === 'none' ? n : constNum(a.m);
      if (n === null || m === null || n * m > 1 << 16) return null;
      return Array.from({ length: n * m }, (_, i) => (Math.floor(i / m) === i % m ? 1 : 0));
    };
  }
  const dot = key.indexOf('.');
  const ns = key.slice(0, dot);
  const name = key.slice(dot + 1);
  if (ns !== 'op' && ns !== 'torch' && ns !== 'Tensor') return undefined;
  const firstArg = ns === 'op' ? 'a' : ns === 'Tensor' ? 'self' : 'input';
  // Ops that keep the elements in row-major order (reshapes, copies): the same values.
  if (ns !== 'op' && SAME_ORDER.has(name)) {
    return (a, out, get) => {
      const x = operandOf(a[firstArg], get);
      return x && out.shape && x.vals.length === out.shape.reduce((p, d) => p * (d.value ?? NaN), 1) ? [...x.vals] : null;
    };
  }
  if ((ns !== 'op' && UNARY_VALUE.has(name)) || (ns === 'op' && (name === 'neg' || name === 'pos'))) {
    const f = name === 'pos' ? (v: number) => v : UNARY_VALUE.get(name)!;
    return (a, out, get) => {
      if (!out.shape) return null;
      const x = operandOf(a[firstArg], get);
      return x ? broadcastValues([x], out.shape, out.dtype, ([v]) => f(v!)) : null;
    };
  }
  const binary = BINARY_VALUE.get(name);
  if (binary) {
    const otherArg = ns === 'op' ? 'b' : name === 'pow' ? 'exponent' : 'other';
    return (a, out, get) => {
      if (!out.shape) return null;
      const x = operandOf(a[firstArg], get);
      const y = operandOf(a[otherArg], get);
      if (!x || !y) return null;
      let f = binary;
      const alpha = constNum(a.alpha);
      if (alpha !== null && alpha !== 1 && (name === 'add' || name.startsWith('sub'))) f = (p, q) => binary(p, q * alpha);
      const rm = a.rounding_mode;
      if (rm && rm.kind === 'str') f = rm.value === 'floor' ? (p, q) => Math.floor(p / q) : (p, q) => Math.trunc(p / q);
      // Integer true division computes in float32; other integer results are exact integers.
      const dtype = out.dtype;
      const calc = dtype === 'bool' ? 'float64' : dtype;
      return broadcastValues([x, y], out.shape, calc, ([p, q]) => f(p!, q!))?.map((v) => storeAs(v, dtype)) ?? null;
    };
  }
  if (ns === 'Tensor' && CAST_METHODS.has(name)) {
    return (a, out, get) => {
      if (!out.shape) return null;
      const x = operandOf(a[firstArg], get);
      return x ? x.vals.map((v) => storeAs(v, out.dtype)) : null;
    };
  }
  if (name === 'flip' && ns !== 'op') {
    return (a, out, get) => {
      const x = operandOf(a[firstArg], get);
      const dims = flatNums(a.dims);
      if (!x || !dims || x.shape.length === 0) return null;
      return flipValues(x.vals, x.shape, new Set(dims.map((d) => (d < 0 ? d + x.shape.length : d))));
    };
  }
  if (name === 'diff' && ns !== 'op') {
    return (a, out, get) => {
      if (!out.shape) return null;
      const x = operandOf(a[firstArg], get);
      if (!x || x.shape.length === 0 || (a.prepend && a.prepend.kind !== 'none') || (a.append && a.append.kind !== 'none')) return null;
      const n = constNum(a.n);
      const d = constNum(a.dim);
      if (n === null || d === null) return null;
      return diffValues(x.vals, x.shape, d < 0 ? d + x.shape.length : d, n, out.dtype);
    };
  }
  return undefined;
}

/**
 * split/chunk/tensor_split/unbind along `dim`: each piece holds the consecutive slices of the input along that dim
 * (as many as the piece's size there; one, with the dim dropped, for unbind).
 */
const piecesAlongDim: ConstPiecesHook = (a, pieces, get) => {
  const x = operandOf(a.self ?? a.input ?? a.tensor, get);
  const d0 = a.dim === undefined ? 0 : constNum(a.dim);
  if (!x || d0 === null || x.shape.length === 0) return null;
  const rank = x.shape.length;
  const d = d0 < 0 ? d0 + rank : d0;
  if (d < 0 || d >= rank) return null;
  const inner = x.shape.slice(d + 1).reduce((p, n) => p * n, 1);
  const outer = x.shape.slice(0, d).reduce((p, n) => p * n, 1);
  const along = x.shape[d];
  const out: (number[] | null)[] = [];
  let at = 0;
  for (const p of pieces) {
    if (!p.shape) return null;
    // unbind drops the dim (one slice per piece); the splitting ops keep it with the piece's size.
    const size = p.shape.length === rank ? p.shape[d].value : p.shape.length === rank - 1 ? 1 : null;
    if (size === null || at + size > along) return null;
    const vals: number[] = [];
    for (let o = 0; o < outer; o++) for (let i = at; i < at + size; i++) for (let k = 0; k < inner; k++) vals.push(x.vals[(o * along + i) * inner + k]);
    out.push(vals);
    at += size;
  }
  return out;
};

const SAME_ORDER = new Set(['reshape', 'flatten', 'contiguous', 'clone', 'detach', 'squeeze', 'unsqueeze', 'reshape_as', 'ravel']);

const PIECES = new Set(['split', 'chunk', 'tensor_split', 'unbind']);

/** The entry with its `constValues` hook (creation from literals, elementwise math, casts, diff), when it folds values. */
export function withConstValues(def: FunctionOpDef): FunctionOpDef {
  const dot = def.name.indexOf('.');
  const pieces = !def.constPieces && (def.name.startsWith('torch.') || def.name.startsWith('Tensor.')) && PIECES.has(def.name.slice(dot + 1));
  const withPieces = pieces ? { ...def, constPieces: piecesAlongDim } : def;
  if (withPieces.constValues) return withPieces;
  const hook = hookFor(def.name);
  return hook ? { ...withPieces, constValues: hook } : withPieces;
}
