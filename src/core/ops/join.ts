// Joining and splitting: torch.cat/concat/stack, chunk, split, tensor_split, unbind (tensor and method forms).
import { Dim, dim, dimAdd, dimCeilDiv, dimEquals, dimFloorDiv, dimMul, dimSub } from '../shape/dim';
import { Shape } from '../shape/shape';
import { describe, dimsOf, numArg, seqItems } from './args';
import { normalizeAxis } from './axes';
import { promoteTypes } from './promote';
import { registerOps } from './registry';
import { kw, opt, req, vInt, vNone } from './sig';
import { showShape } from './showShape';
import { tensorFn, withNativeAliases } from './tensorFn';
import { BoundArgs, FunctionOpDef, InferContext, OpDef, ShapeError, UnknownArgError } from './types';
import { PyValue, TensorValue } from './values';
import { concatLowering, splitLowering, stackLowering, tensorSplitLowering } from './lowerShape';

function tensorList(args: BoundArgs, op: string): TensorValue[] {
  const v = args.tensors;
  if (!v || v.kind === 'unknown') throw new UnknownArgError(`${op}: the list of tensors is unknown`);
  const items = seqItems(v);
  if (!items) throw new ShapeError(`${op}: expected a list or tuple of tensors, got ${describe(v)}`);
  if (items.length === 0) throw new ShapeError(`${op}: expected a non-empty list of tensors`);
  return items.map((t, i) => {
    if (t.kind === 'unknown') throw new UnknownArgError(`${op}: tensor ${i} of the list is unknown`);
    if (t.kind !== 'tensor') throw new ShapeError(`${op}: expected a list of tensors, but element ${i} is ${describe(t)}`);
    return t;
  });
}

function listDtype(ts: readonly TensorValue[]) {
  return ts.map((t) => t.dtype).reduce(promoteTypes);
}

export function catShape(op: string, ts: readonly TensorValue[], d: number): Shape | null {
  // torch skips legacy empty 1-D tensors of shape [0] in cat.
  const parts = ts.map((t, i) => ({ t, i })).filter(({ t }) => !(t.shape && t.shape.length === 1 && t.shape[0].value === 0));
  if (parts.length === 0) return ts[0].shape;
  if (parts.some(({ t }) => !t.shape)) return null;
  const first = parts[0];
  const ref = first.t.shape as Shape;
  if (ref.length === 0) throw new ShapeError(`${op}: zero-dimensional tensor (input ${first.i}) cannot be concatenated`);
  const axis = normalizeAxis(d, ref.length, op);
  let total: Dim = ref[axis];
  for (const { t, i } of parts.slice(1)) {
    const s = t.shape as Shape;
    if (s.length !== ref.length) {
      throw new ShapeError(
        `${op}: tensors must have the same number of dimensions: input ${first.i} is ${showShape(ref)} (${ref.length}-D) but input ${i} is ${showShape(s)} (${s.length}-D)`,
      );
    }
    for (let k = 0; k < ref.length; k++) {
      if (k !== axis && dimEquals(ref[k], s[k]) === false) {
        throw new ShapeError(
          `${op}: sizes of tensors must match except in the concatenation dim ${axis}: input ${first.i} ${showShape(ref)} ` +
            `has ${ref[k].value} in dim ${k} but input ${i} ${showShape(s)} has ${s[k].value}`,
          `resample or project the inputs so that dim ${k} agrees before concatenating along dim ${axis}`,
        );
      }
    }
    total = dimAdd(total, s[axis]);
  }
  return ref.map((x, k) => (k === axis ? total : x));
}

export function stackShape(op: string, ts: readonly TensorValue[], d: number): Shape | null {
  if (ts.some((t) => !t.shape)) return null;
  const ref = ts[0].shape as Shape;
  ts.forEach((t, i) => {
    const s = t.shape as Shape;
    if (s.length !== ref.length || s.some((x, k) => dimEquals(x, ref[k]) === false)) {
      throw new ShapeError(`${op} expects each tensor to be equal size, but input 0 is ${showShape(ref)} and input ${i} is ${showShape(s)}`);
    }
  });
  const axis = normalizeAxis(d, ref.length + 1, op);
  return [...ref.slice(0, axis), dim(ts.length), ...ref.slice(axis)];
}

function joinDef(name: string, stack: boolean): FunctionOpDef {
  return {
    kind: 'function',
    name,
    family: 'join',
    signature: withNativeAliases(name, [req('tensors'), opt('dim', vInt(0)), kw('out', vNone)]),
    infer(args, ctx) {
      const ts = tensorList(args, name);
      const d = numArg(args, 'dim', name);
      return ctx.tensor(stack ? stackShape(name, ts, d) : catShape(name, ts, d), listDtype(ts));
    },
    flops: () => 0,
    onnx: stack ? stackLowering : concatLowering,
  };
}

/** Sizes of the pieces along `axis`; every piece but the last has `size`. */
function pieces(n: Dim, size: Dim, count: number): Dim[] {
  return Array.from({ length: count }, (_, i) => (i < count - 1 ? size : dimSub(n, dimMul(size, count - 1))));
}

function splitInto(ctx: InferContext, x: TensorValue, axis: number, sizes: readonly Dim[]): PyValue {
  const s = x.shape as Shape;
  return {
    kind: 'tuple',
    items: sizes.map((sz) =>
      ctx.tensor(
        s.map((d, k) => (k === axis ? sz : d)),
        x.dtype,
      ),
    ),
  };
}

function chunkInfer(x: TensorValue, args: BoundArgs, ctx: InferContext, op: string): PyValue {
  const chunks = numArg(args, 'chunks', op);
  if (chunks <= 0) throw new ShapeError(`${op}: chunks must be greater than 0, got ${chunks}`);
  if (!x.shape) throw new UnknownArgError(`${op}: the number of chunks depends on the unknown input shape`);
  if (x.shape.length === 0) throw new ShapeError(`${op} expects at least a 1-dimensional tensor`);
  const axis = normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
  const n = x.shape[axis];
  if (n.value === null) throw new UnknownArgError(`${op}: the size of dim ${axis} is unknown`);
  const size = dimCeilDiv(n, chunks);
  const count = size.value === 0 ? 1 : Math.ceil(n.value / (size.value as number));
  // An empty dim splits into `chunks` empty pieces.
  return splitInto(ctx, x, axis, size.value === 0 ? Array.from({ length: chunks }, () => n) : pieces(n, size, count));
}

function splitInfer(param: string) {
  return (x: TensorValue, args: BoundArgs, ctx: InferContext, op: string): PyValue => {
    if (!x.shape) throw new UnknownArgError(`${op}: the number of pieces depends on the unknown input shape`);
    if (x.shape.length === 0) throw new ShapeError(`${op} expects at least a 1-dimensional tensor`);
    const axis = normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
    const n = x.shape[axis];
    const v = args[param];
    if (seqItems(v)) {
      const sizes = dimsOf(v, op, param);
      const sum = sizes.reduce<Dim>((a, b) => dimAdd(a, b), dim(0));
      if (dimEquals(sum, n) === false) {
        throw new ShapeError(
          `${op}: split sizes [${sizes.map((d) => d.value).join(', ')}] sum to ${sum.value}, but dim ${axis} of the input ${showShape(x.shape)} has size ${n.value}`,
        );
      }
      return splitInto(ctx, x, axis, sizes);
    }
    const size = numArg(args, param, op);
    if (size < 0) throw new ShapeError(`${op}: split_size must be non-negative, got ${size}`);
    if (n.value === null) throw new UnknownArgError(`${op}: the size of dim ${axis} is unknown`);
    if (size === 0) {
      if (n.value !== 0) throw new ShapeError(`${op}: split_size can only be 0 if dimension size is 0, but got dimension size of ${n.value}`);
      return splitInto(ctx, x, axis, [n]);
    }
    const count = Math.max(1, Math.ceil(n.value / size));
    return splitInto(ctx, x, axis, pieces(n, dim(size), count));
  };
}

/** A `tensor_split` index as a slice bound on a dim of size `n` (Python slice semantics: negative counts from the end, clamped to [0, n]). */
function sliceBound(i: number, n: Dim): Dim {
  const len = n.value as number;
  if (i < 0) return i + len <= 0 ? dim(0) : dimAdd(n, i);
  return i >= len ? n : dim(i);
}

/** torch.tensor_split: `sections` near-equal pieces (the first n % sections one longer), or pieces between `indices`. */
function tensorSplitInfer(x: TensorValue, args: BoundArgs, ctx: InferContext, op: string): PyValue {
  const given = ['indices', 'sections', 'tensor_indices_or_sections'].filter((k) => args[k] && args[k].kind !== 'none');
  if (given.length !== 1)
    throw new ShapeError(`${op}() received an invalid combination of arguments: pass exactly one of indices, sections or tensor_indices_or_sections`);
  const v = args[given[0]];
  if (v.kind === 'unknown') throw new UnknownArgError(`${op}: the split points are unknown`);
  if (v.kind === 'tensor') throw new UnknownArgError(`${op}: the split points come from a tensor's values`);
  if (!x.shape) throw new UnknownArgError(`${op}: the number of pieces depends on the unknown input shape`);
  if (x.shape.length === 0) throw new ShapeError(`${op} expected at least a 1-dimensional tensor, but got a tensor with 0 dims`);
  const axis = normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
  const n = x.shape[axis];
  if (seqItems(v)) {
    const idx = dimsOf(v, op, given[0]).map((d) => {
      if (d.value === null) throw new UnknownArgError(`${op}: a split index is unknown`);
      return d.value;
    });
    if (n.value === null) throw new UnknownArgError(`${op}: the size of dim ${axis} is unknown`);
    const bounds = [dim(0), ...idx.map((i) => sliceBound(i, n)), n];
    const sizes = bounds.slice(1).map((end, k) => ((end.value as number) > (bounds[k].value as number) ? dimSub(end, bounds[k]) : dim(0)));
    return splitInto(ctx, x, axis, sizes);
  }
  const sections = numArg(args, given[0], op);
  if (sections <= 0) throw new ShapeError(`${op}: number of sections must be larger than 0, got ${sections}`);
  // Piece i has floor((n + sections - 1 - i) / sections) elements.
  return splitInto(
    ctx,
    x,
    axis,
    Array.from({ length: sections }, (_, i) => dimFloorDiv(dimAdd(n, sections - 1 - i), sections)),
  );
}

const defs: OpDef[] = [
  joinDef('torch.cat', false),
  joinDef('torch.concat', false),
  joinDef('torch.concatenate', false),
  joinDef('torch.stack', true),
  ...tensorFn({
    keys: ['torch.chunk', 'Tensor.chunk'],
    family: 'join',
    params: [req('chunks'), opt('dim', vInt(0))],
    infer: chunkInfer,
    onnx: splitLowering(),
  }),
  ...tensorFn({
    keys: ['torch.split'],
    first: 'tensor',
    family: 'join',
    params: [req('split_size_or_sections'), opt('dim', vInt(0))],
    infer: splitInfer('split_size_or_sections'),
    onnx: splitLowering(),
  }),
  ...tensorFn({
    keys: ['Tensor.split'],
    family: 'join',
    params: [req('split_size'), opt('dim', vInt(0))],
    infer: splitInfer('split_size'),
    onnx: splitLowering(),
  }),
  ...tensorFn({
    keys: ['torch.tensor_split', 'Tensor.tensor_split'],
    family: 'join',
    params: [opt('indices', vNone), opt('dim', vInt(0)), kw('sections', vNone), kw('tensor_indices_or_sections', vNone)],
    infer: tensorSplitInfer,
    onnx: tensorSplitLowering,
  }),
  ...tensorFn({
    keys: ['torch.unbind', 'Tensor.unbind'],
    family: 'join',
    params: [opt('dim', vInt(0))],
    onnx: splitLowering(true),
    infer(x, args, ctx, op): PyValue {
      if (!x.shape) throw new UnknownArgError(`${op}: the number of pieces depends on the unknown input shape`);
      if (x.shape.length === 0) throw new ShapeError(`${op}: dimension specified as ${numArg(args, 'dim', op)} but tensor has no dimensions`);
      const axis = normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
      const n = x.shape[axis].value;
      if (n === null) throw new UnknownArgError(`${op}: the size of dim ${axis} is unknown`);
      const rest = x.shape.filter((_, k) => k !== axis);
      return { kind: 'tuple', items: Array.from({ length: n }, () => ctx.tensor(rest, x.dtype)) };
    },
  }),
];
registerOps(defs);
