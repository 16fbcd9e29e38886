// Shape (and small-constant) inference for common ONNX ops, used when a file lacks value_info for a value.
import type { DType } from '../shape/shape';
import { attrInt, attrInts, attrString, attrTensor, OnnxAttrValue } from './onnxAttributes';
import { dtypeOfOnnx } from './onnxTensor';
import { einsumOutputShape } from './onnxEinsumShape';
import { conv, convTranspose, globalPool, pool } from './onnxWindowShapes';

/** What is known about one value: static dims (null = unknown dim), dtype, and its contents when small and constant. */
export interface InferValue {
  readonly shape: readonly (number | null)[] | null;
  readonly dtype: DType | null;
  /** Element values of small constant tensors (shape computations), row-major. */
  readonly value?: readonly number[];
}

export type Attrs = ReadonlyMap<string, OnnxAttrValue>;
export type Rule = (ins: readonly (InferValue | null)[], attrs: Attrs, opset: number) => (InferValue | null)[] | null;

/** Constant folding stops above this many elements: only shape arithmetic needs it. */
export const MAX_CONST_ELEMENTS = 4096;

/**
 * Whether a constant tensor's values are worth keeping for folding: integer tensors (shapes, axes,
 * pads) up to MAX_CONST_ELEMENTS, float tensors only when tiny (Resize scales) — weights are not.
 */
export function keepsConstValue(dtype: string, numel: number): boolean {
  return numel <= (dtype.startsWith('float') || dtype === 'bfloat16' ? 16 : MAX_CONST_ELEMENTS);
}

const UNKNOWN: InferValue = { shape: null, dtype: null };

function numelOf(shape: readonly (number | null)[] | null): number | null {
  if (!shape) return null;
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

function withValue(shape: (number | null)[], dtype: DType | null, value: number[] | undefined): InferValue {
  return value !== undefined && value.length <= MAX_CONST_ELEMENTS && numelOf(shape) === value.length ? { shape, dtype, value } : { shape, dtype };
}

const normAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

function broadcast(shapes: readonly (readonly (number | null)[] | null)[]): (number | null)[] | null {
  if (shapes.some((s) => s === null)) return null;
  const rank = Math.max(...shapes.map((s) => s!.length));
  const out: (number | null)[] = [];
  for (let i = 0; i < rank; i++) {
    let d: number | null = 1;
    for (const s of shapes as (number | null)[][]) {
      const k = s.length - rank + i;
      const v = k < 0 ? 1 : s[k]!;
      if (v === null) d = d === 1 ? null : d;
      else if (v !== 1) d = v;
    }
    out.push(d);
  }
  return out;
}

/** Elementwise value folding for small 0-d/1-d constants broadcast against each other. */
function foldBinary(a: InferValue | null, b: InferValue | null, f: (x: number, y: number) => number): number[] | undefined {
  if (!a?.value || !b?.value) return undefined;
  const n = Math.max(a.value.length, b.value.length);
  if ((a.value.length !== n && a.value.length !== 1) || (b.value.length !== n && b.value.length !== 1)) return undefined;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(f(a.value[a.value.length === 1 ? 0 : i]!, b.value[b.value.length === 1 ? 0 : i]!));
  return out;
}

const same: Rule = (ins) => [ins[0] ? { shape: ins[0].shape, dtype: ins[0].dtype } : UNKNOWN];

function binary(f: ((x: number, y: number) => number) | null, outDtype?: DType): Rule {
  return (ins) => {
    const shape = broadcast(ins.map((v) => v?.shape ?? null));
    const dtype = outDtype ?? ins[0]?.dtype ?? null;
    if (!shape) return [{ shape: null, dtype }];
    return [withValue(shape, dtype, f && ins.length === 2 ? foldBinary(ins[0]!, ins[1]!, f) : undefined)];
  };
}

const gemm: Rule = (ins, attrs) => {
  const a = ins[0]?.shape;
  const b = ins[1]?.shape;
  const dtype = ins[0]?.dtype ?? null;
  if (!a || !b || a.length !== 2 || b.length !== 2) return [{ shape: null, dtype }];
  const m = attrInt(attrs, 'transA', 0) ? a[1]! : a[0]!;
  const n = attrInt(attrs, 'transB', 0) ? b[0]! : b[1]!;
  return [{ shape: [m, n], dtype }];
};

const matmul: Rule = (ins) => {
  const a = ins[0]?.shape;
  const b = ins[1]?.shape;
  const dtype = ins[0]?.dtype ?? null;
  if (!a || !b || a.length === 0 || b.length === 0) return [{ shape: null, dtype }];
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const batch = broadcast([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return [{ shape: null, dtype }];
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return [{ shape: out, dtype }];
};

const flatten: Rule = (ins, attrs) => {
  const x = ins[0]?.shape;
  const dtype = ins[0]?.dtype ?? null;
  if (!x) return [{ shape: null, dtype }];
  const axis = normAxis(attrInt(attrs, 'axis', 1), x.length);
  return [{ shape: [numelOf(x.slice(0, axis)), numelOf(x.slice(axis))], dtype }];
};

const reshape: Rule = (ins, attrs) => {
  const x = ins[0];
  const target = ins[1]?.value;
  const dtype = x?.dtype ?? null;
  if (!x?.shape || !target) return [{ shape: null, dtype }];
  const allowZero = attrInt(attrs, 'allowzero', 0) === 1;
  const out: (number | null)[] = target.map((d, i) => (d === 0 && !allowZero ? (x.shape![i] ?? null) : d));
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    const total = numelOf(x.shape);
    const rest = numelOf(out.filter((_, i) => i !== minus));
    out[minus] = total === null || rest === null || rest === 0 ? null : total / rest;
  }
  return [withValue(out, dtype, x.value ? [...x.value] : undefined)];
};

const transpose: Rule = (ins, attrs) => {
  const x = ins[0]?.shape;
  const dtype = ins[0]?.dtype ?? null;
  if (!x) return [{ shape: null, dtype }];
  const perm = attrInts(attrs, 'perm') ?? x.map((_, i) => x.length - 1 - i);
  const out = perm.map((p) => x[p] ?? null);
  const v = ins[0]!.value;
  let value: number[] | undefined;
  if (v && x.every((d) => d !== null)) {
    const st = strides(x as number[]);
    value = remap(out as number[], (idx) => idx.reduce((acc, k, d) => acc + k * st[perm[d]!]!, 0), v);
  }
  return [withValue(out, dtype, value)];
};

const concat: Rule = (ins, attrs) => {
  const dtype = ins[0]?.dtype ?? null;
  if (ins.some((v) => !v?.shape)) return [{ shape: null, dtype }];
  const shapes = ins.map((v) => v!.shape!);
  const axis = normAxis(attrInt(attrs, 'axis', 0), shapes[0]!.length);
  const out = [...shapes[0]!];
  let sum: number | null = 0;
  for (const s of shapes) sum = sum === null || s[axis] === null || s[axis] === undefined ? null : sum + s[axis]!;
  out[axis] = sum;
  const values = ins.every((v) => v!.value) && shapes[0]!.length === 1 ? ins.flatMap((v) => [...v!.value!]) : undefined;
  return [withValue(out, dtype, values)];
};

/** Axes from the input (opset 13+) or, in older files, the attribute. */
function axesOf(ins: readonly (InferValue | null)[], attrs: Attrs, inputIndex: number): readonly number[] | null {
  return attrInts(attrs, 'axes') ?? ins[inputIndex]?.value ?? null;
}

const unsqueeze: Rule = (ins, attrs) => {
  const x = ins[0];
  const axes = axesOf(ins, attrs, 1);
  if (!x?.shape || !axes) return [{ shape: null, dtype: x?.dtype ?? null }];
  const rank = x.shape.length + axes.length;
  const norm = new Set(axes.map((a) => normAxis(a, rank)));
  const out: (number | null)[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(norm.has(i) ? 1 : (x.shape[k++] ?? null));
  return [withValue(out, x.dtype, x.value ? [...x.value] : undefined)];
};

const squeeze: Rule = (ins, attrs) => {
  const x = ins[0];
  if (!x?.shape) return [{ shape: null, dtype: x?.dtype ?? null }];
  const axes = axesOf(ins, attrs, 1);
  const drop = axes ? new Set(axes.map((a) => normAxis(a, x.shape!.length))) : new Set(x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  const out = x.shape.filter((_, i) => !drop.has(i));
  return [withValue(out, x.dtype, x.value ? [...x.value] : undefined)];
};

const shapeOp: Rule = (ins, attrs) => {
  const x = ins[0]?.shape;
  if (!x) return [{ shape: [null], dtype: 'int64' }];
  const start = normAxis(attrInt(attrs, 'start', 0), x.length);
  const endAttr = attrs.has('end') ? normAxis(attrInt(attrs, 'end', x.length), x.length) : x.length;
  const dims = x.slice(Math.max(0, start), Math.min(x.length, endAttr));
  const value = dims.every((d) => d !== null) ? (dims as number[]) : undefined;
  return [withValue([dims.length], 'int64', value)];
};

const gather: Rule = (ins, attrs) => {
  const data = ins[0];
  const idx = ins[1];
  const dtype = data?.dtype ?? null;
  if (!data?.shape || !idx?.shape) return [{ shape: null, dtype }];
  const axis = normAxis(attrInt(attrs, 'axis', 0), data.shape.length);
  const out = [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)];
  let value: number[] | undefined;
  if (data.value && idx.value && data.shape.length === 1) {
    const n = data.value.length;
    value = idx.value.map((i) => data.value![i < 0 ? i + n : i]!);
    if (value.some((v) => v === undefined)) value = undefined;
  }
  return [withValue(out, dtype, value)];
};

/** Row-major gather of a constant: `src(outIndex)` maps each output multi-index to a flat input index. */
function remap(outShape: readonly number[], src: (idx: readonly number[]) => number, value: readonly number[]): number[] {
  const n = outShape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  const idx = outShape.map(() => 0);
  for (let k = 0; k < n; k++) {
    out.push(value[src(idx)]!);
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

function strides(shape: readonly number[]): number[] {
  const st = shape.map(() => 1);
  for (let i = shape.length - 2; i >= 0; i--) st[i] = st[i + 1]! * shape[i + 1]!;
  return st;
}

const slice: Rule = (ins) => {
  const x = ins[0];
  const dtype = x?.dtype ?? null;
  const starts = ins[1]?.value;
  const ends = ins[2]?.value;
  if (!x?.shape || !starts || !ends) return [{ shape: null, dtype }];
  const axes = ins[3]?.value ?? starts.map((_, i) => i);
  const steps = ins[4]?.value ?? starts.map(() => 1);
  const out = [...x.shape];
  const begin = x.shape.map(() => 0);
  const step = x.shape.map(() => 1);
  for (let i = 0; i < starts.length; i++) {
    const ax = normAxis(axes[i]!, x.shape.length);
    // An axis outside the rank (a corrupt file) would index a sparse array billions long.
    if (!(ax >= 0 && ax < x.shape.length)) return [{ shape: null, dtype }];
    const dimSize = x.shape[ax];
    if (dimSize === null || dimSize === undefined) {
      out[ax] = null;
      continue;
    }
    const st = steps[i]!;
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + dimSize : v, lo), hi);
    const s = st > 0 ? clamp(starts[i]!, 0, dimSize) : clamp(starts[i]!, -1, dimSize - 1);
    const e = st > 0 ? clamp(ends[i]!, 0, dimSize) : clamp(ends[i]!, -1, dimSize - 1);
    out[ax] = Math.max(0, Math.ceil((e - s) / st));
    begin[ax] = s;
    step[ax] = st;
  }
  let value: number[] | undefined;
  if (x.value && out.every((d) => d !== null)) {
    const st = strides(x.shape as number[]);
    value = remap(out as number[], (idx) => idx.reduce((acc, k, d) => acc + (begin[d]! + k * step[d]!) * st[d]!, 0), x.value);
  }
  return [withValue(out, dtype, value)];
};

const pad: Rule = (ins, attrs) => {
  const x = ins[0];
  const dtype = x?.dtype ?? null;
  const pads = ins[1]?.value ?? attrInts(attrs, 'pads');
  if (!x?.shape || !pads) return [{ shape: null, dtype }];
  const r = x.shape.length;
  return [{ shape: x.shape.map((d, i) => (d === null ? null : d + pads[i]! + pads[i + r]!)), dtype }];
};

const resize: Rule = (ins, _attrs, opset) => {
  const x = ins[0];
  const dtype = x?.dtype ?? null;
  if (!x?.shape) return [{ shape: null, dtype }];
  const sizes = ins[3]?.value;
  if (sizes && sizes.length === x.shape.length) return [{ shape: [...sizes], dtype }];
  // Opset 10 Resize (and Upsample) take the scales as the second input.
  const scales = opset < 11 ? ins[1]?.value : ins[2]?.value;
  if (scales && scales.length === x.shape.length) return [{ shape: x.shape.map((d, i) => (d === null ? null : Math.floor(d * scales[i]!))), dtype }];
  return [{ shape: null, dtype }];
};

function reduce(axesFromInputSince: number): Rule {
  return (ins, attrs, opset) => {
    const x = ins[0];
    const dtype = x?.dtype ?? null;
    if (!x?.shape) return [{ shape: null, dtype }];
    const keep = attrInt(attrs, 'keepdims', 1) === 1;
    const axes = opset >= axesFromInputSince ? (ins[1]?.value ?? (ins[1] ? null : [])) : (attrInts(attrs, 'axes') ?? []);
    if (axes === null) return [{ shape: null, dtype }];
    const all = axes.length === 0 && attrInt(attrs, 'noop_with_empty_axes', 0) === 0;
    if (axes.length === 0 && !all) return [{ shape: x.shape, dtype }];
    const set = new Set(all ? x.shape.map((_, i) => i) : axes.map((a) => normAxis(a, x.shape!.length)));
    const out = keep ? x.shape.map((d, i) => (set.has(i) ? 1 : d)) : x.shape.filter((_, i) => !set.has(i));
    return [{ shape: out, dtype }];
  };
}

const argReduce: Rule = (ins, attrs) => {
  const x = ins[0]?.shape;
  if (!x) return [{ shape: null, dtype: 'int64' }];
  const axis = normAxis(attrInt(attrs, 'axis', 0), x.length);
  const keep = attrInt(attrs, 'keepdims', 1) === 1;
  return [{ shape: keep ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis), dtype: 'int64' }];
};

const split: Rule = (ins, attrs) => {
  const x = ins[0];
  const dtype = x?.dtype ?? null;
  const n = attrInt(attrs, '__outputs', 1);
  if (!x?.shape) return Array.from({ length: n }, () => ({ shape: null, dtype }));
  const axis = normAxis(attrInt(attrs, 'axis', 0), x.shape.length);
  if (!(axis >= 0 && axis < x.shape.length)) return Array.from({ length: n }, () => ({ shape: null, dtype }));
  const sizes = ins[1]?.value ?? attrInts(attrs, 'split');
  const total = x.shape[axis] ?? null;
  return Array.from({ length: n }, (_, i) => {
    const out = [...x.shape!];
    out[axis] = sizes ? (sizes[i] ?? null) : total === null ? null : Math.ceil(total / n) - (i === n - 1 ? Math.ceil(total / n) * n - total : 0);
    return { shape: out, dtype };
  });
};

const constant: Rule = (_ins, attrs) => {
  const t = attrTensor(attrs, 'value');
  if (t) {
    const value = t.data && keepsConstValue(t.dtype, t.numel) ? Array.from(t.data as ArrayLike<number | bigint>, Number) : undefined;
    return [withValue(t.dims, t.dtype, value)];
  }
  const f = attrs.get('value_float');
  if (typeof f === 'number') return [{ shape: [], dtype: 'float32', value: [f] }];
  const i = attrs.get('value_int');
  if (typeof i === 'number') return [{ shape: [], dtype: 'int64', value: [i] }];
  const fs = attrs.get('value_floats');
  if (Array.isArray(fs)) return [withValue([fs.length], 'float32', fs as number[])];
  const is = attrInts(attrs, 'value_ints');
  if (is) return [withValue([is.length], 'int64', is)];
  return [UNKNOWN];
};

const constantOfShape: Rule = (ins, attrs) => {
  const dims = ins[0]?.value;
  const t = attrTensor(attrs, 'value');
  const dtype = t?.dtype ?? 'float32';
  if (!dims) return [{ shape: null, dtype }];
  const fill = t?.data && t.numel === 1 ? Number((t.data as ArrayLike<number | bigint>)[0]) : 0;
  const n = numelOf(dims);
  return [withValue([...dims], dtype, n !== null && n <= MAX_CONST_ELEMENTS ? Array(n).fill(fill) : undefined)];
};

const expand: Rule = (ins) => {
  const x = ins[0];
  const target = ins[1]?.value;
  if (!x?.shape || !target) return [{ shape: null, dtype: x?.dtype ?? null }];
  return [{ shape: broadcast([x.shape, target]), dtype: x.dtype }];
};

const tile: Rule = (ins) => {
  const x = ins[0];
  const reps = ins[1]?.value;
  if (!x?.shape || !reps) return [{ shape: null, dtype: x?.dtype ?? null }];
  return [{ shape: x.shape.map((d, i) => (d === null ? null : d * reps[i]!)), dtype: x.dtype }];
};

const range: Rule = (ins) => {
  const [s, l, d] = [ins[0]?.value?.[0], ins[1]?.value?.[0], ins[2]?.value?.[0]];
  const dtype = ins[0]?.dtype ?? null;
  if (s === undefined || l === undefined || d === undefined || d === 0) return [{ shape: [null], dtype }];
  const n = Math.max(Math.ceil((l - s) / d), 0);
  return [withValue([n], dtype, n <= MAX_CONST_ELEMENTS ? Array.from({ length: n }, (_, i) => s + i * d) : undefined)];
};

const cast: Rule = (ins, attrs) => {
  const x = ins[0];
  const dtype = dtypeOfOnnx(attrInt(attrs, 'to', 0));
  if (!x?.shape) return [{ shape: null, dtype }];
  const isInt = dtype !== null && !dtype.startsWith('float') && dtype !== 'bfloat16';
  return [withValue([...x.shape], dtype, x.value ? x.value.map((v) => (isInt ? Math.trunc(v) : v)) : undefined)];
};

const identity: Rule = (ins) => [ins[0] ?? UNKNOWN];

/** The first output has the input's shape; optional extra outputs (mean, inv_std_dev, mask) are left unknown. */
const firstSame: Rule = (ins) => [ins[0] ? { shape: ins[0].shape, dtype: ins[0].dtype } : UNKNOWN, null, null];

const where: Rule = (ins) => {
  const shape = broadcast(ins.map((v) => v?.shape ?? null));
  const dtype = ins[1]?.dtype ?? null;
  if (!shape) return [{ shape: null, dtype }];
  // Fold small constant selects (torch.onnx builds Expand shapes this way).
  const [c, a, b] = ins;
  let value: number[] | undefined;
  const picked = foldBinary(c ?? null, a ?? null, (cond, x) => (cond ? x : NaN));
  const other = foldBinary(c ?? null, b ?? null, (cond, y) => (cond ? NaN : y));
  if (picked && other && picked.length === other.length) value = picked.map((v, i) => (Number.isNaN(v) ? other[i]! : v));
  return [withValue(shape, dtype, value)];
};

const depthToSpace: Rule = (ins, attrs) => {
  const x = ins[0];
  const r = attrInt(attrs, 'blocksize', 1);
  if (!x?.shape || x.shape.length !== 4) return [{ shape: null, dtype: x?.dtype ?? null }];
  const [n, c, h, w] = x.shape;
  const mul = (d: number | null | undefined, k: number): number | null => (d === null || d === undefined ? null : d * k);
  return [{ shape: [n ?? null, c === null || c === undefined ? null : c / (r * r), mul(h, r), mul(w, r)], dtype: x.dtype }];
};

const spaceToDepth: Rule = (ins, attrs) => {
  const x = ins[0];
  const r = attrInt(attrs, 'blocksize', 1);
  if (!x?.shape || x.shape.length !== 4) return [{ shape: null, dtype: x?.dtype ?? null }];
  const [n, c, h, w] = x.shape;
  const div = (d: number | null | undefined): number | null => (d === null || d === undefined ? null : Math.floor(d / r));
  return [{ shape: [n ?? null, c === null || c === undefined ? null : c * r * r, div(h), div(w)], dtype: x.dtype }];
};

const rules: Record<string, Rule> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool,
  AveragePool: pool,
  LpPool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  Gemm: gemm,
  MatMul: matmul,
  Einsum: (ins, attrs) => [
    {
      shape: einsumOutputShape(
        attrString(attrs, 'equation', ''),
        ins.map((v) => v?.shape ?? null),
      ),
      dtype: ins[0]?.dtype ?? null,
    },
  ],
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Shape: shapeOp,
  Size: () => [{ shape: [], dtype: 'int64' }],
  Gather: gather,
  Slice: slice,
  Pad: pad,
  Resize: resize,
  Upsample: (ins, attrs, opset) => resize(ins, attrs, Math.min(opset, 10)),
  ReduceMean: reduce(18),
  ReduceMax: reduce(18),
  ReduceMin: reduce(18),
  ReduceProd: reduce(18),
  ReduceL2: reduce(18),
  ReduceSum: reduce(13),
  ArgMax: argReduce,
  ArgMin: argReduce,
  Split: split,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Expand: expand,
  Tile: tile,
  Range: range,
  Cast: cast,
  Identity: identity,
  Dropout: firstSame,
  BatchNormalization: firstSame,
  LayerNormalization: firstSame,
  Where: where,
  Add: binary((x, y) => x + y),
  Sub: binary((x, y) => x - y),
  Mul: binary((x, y) => x * y),
  Div: binary((x, y) => (Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y)),
  Pow: binary(null),
  Max: binary(null),
  Min: binary(null),
  Mod: binary(null),
  Sum: binary(null),
  Mean: binary(null),
  PRelu: same,
  Equal: binary((x, y) => Number(x === y), 'bool'),
  Less: binary((x, y) => Number(x < y), 'bool'),
  Greater: binary((x, y) => Number(x > y), 'bool'),
  LessOrEqual: binary((x, y) => Number(x <= y), 'bool'),
  GreaterOrEqual: binary((x, y) => Number(x >= y), 'bool'),
  DepthToSpace: depthToSpace,
  SpaceToDepth: spaceToDepth,
  And: binary(null, 'bool'),
  Or: binary(null, 'bool'),
  Not: same,
};

// Ops whose output has the shape and type of their first input. Scatters write into a copy of their data input: same shape and type (PyTorch exports index_put as ScatterND).
// prettier-ignore
const SAME_SHAPE_OPS = [
  'Relu', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Erf', 'Softplus', 'Softsign', 'LeakyRelu', 'Elu', 'Selu', 'Celu', 'HardSigmoid',
  'HardSwish', 'Gelu', 'Mish', 'Softmax', 'LogSoftmax', 'InstanceNormalization', 'Clip', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sin', 'Cos',
  'Sign', 'LRN', 'ThresholdedRelu', 'Hardmax', 'ScatterND', 'ScatterElements', 'Scatter',
];
for (const op of SAME_SHAPE_OPS) {
  rules[op] = same;
}

/** Whether an op (default domain) has a rule here. */
export function hasShapeRule(opType: string): boolean {
  return opType in rules;
}

/**
 * Infers the outputs of one node; null entries mean unknown. Unknown ops and inconsistent inputs
 * never throw: they yield unknown values.
 */
export function inferOnnxNode(opType: string, ins: readonly (InferValue | null)[], attrs: Attrs, nOutputs: number, opset: number): (InferValue | null)[] {
  const rule = rules[opType];
  if (!rule) return Array(nOutputs).fill(null);
  try {
    const withCount = opType === 'Split' ? new Map([...attrs, ['__outputs', nOutputs]]) : attrs;
    const out = rule(ins, withCount, opset) ?? [];
    return Array.from({ length: nOutputs }, (_, i) => out[i] ?? null);
  } catch {
    return Array(nOutputs).fill(null);
  }
}
