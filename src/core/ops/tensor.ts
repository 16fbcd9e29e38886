// Shape manipulation: view/reshape/flatten/unflatten/permute/transpose/unsqueeze/squeeze/expand/repeat, nn.Flatten/Unflatten.
import { Dim, dim, dimEquals, dimFloorDiv, dimMul } from '../shape/dim';
import { DType, Shape } from '../shape/shape';
import { dimsOf, dtypeOf, isDtypeValue, isNone, numArg, numsOf, seqItems, tensorArg, varIntsArg, varNumsArg } from './args';
import { normalizeAxes, normalizeAxis } from './axes';
import { registerOps } from './registry';
import { dimProduct, reshapeTarget } from './reshapeTarget';
import { opt, req, star, vInt, vNone } from './sig';
import { showShape } from './showShape';
import { tensorFn } from './tensorFn';
import { InferContext, ModuleOpDef, OpDef, ShapeError } from './types';
import { PyValue, TensorValue } from './values';
import { identity, reshapeToOutput, unary } from './lowerCommon';
import { channelShuffleLowering, expandLowering, permuteLowering, swapLowering, tileLowering } from './lowerShape';

function same(ctx: InferContext, x: TensorValue, shape: Shape | null): PyValue {
  return ctx.tensor(shape, x.dtype);
}

export function flattenShape(op: string, s: Shape, start: number, end: number): Shape {
  if (s.length === 0) return [dim(1)];
  const a = normalizeAxis(start, s.length, op);
  const b = normalizeAxis(end, s.length, op);
  if (a > b) throw new ShapeError(`${op}: start_dim (${start}) cannot come after end_dim (${end}) for input ${showShape(s)}`);
  return [...s.slice(0, a), dimProduct(s.slice(a, b + 1)), ...s.slice(b + 1)];
}

function unflattenShape(op: string, s: Shape, d: number, sizes: Dim[]): Shape {
  const axis = normalizeAxis(d, s.length, op);
  if (sizes.length === 0) throw new ShapeError(`${op}: unflattened_size must be non-empty`);
  const resolved = reshapeTarget(op, [s[axis]], sizes);
  return [...s.slice(0, axis), ...resolved, ...s.slice(axis + 1)];
}

export function unsqueezeShape(op: string, s: Shape, d: number): Shape {
  const axis = normalizeAxis(d, s.length + 1, op);
  return [...s.slice(0, axis), dim(1), ...s.slice(axis)];
}

function squeezeShape(op: string, s: Shape, dims: number[] | null): Shape {
  if (dims === null) return s.filter((d) => d.value !== 1);
  const axes = new Set(normalizeAxes(dims, s.length, op));
  return s.filter((d, i) => !(axes.has(i) && d.value === 1));
}

export function transposeShape(op: string, s: Shape, d0: number, d1: number): Shape {
  if (s.length === 0) {
    normalizeAxis(d0, 0, op);
    normalizeAxis(d1, 0, op);
    return s;
  }
  const a = normalizeAxis(d0, s.length, op);
  const b = normalizeAxis(d1, s.length, op);
  const out = [...s];
  [out[a], out[b]] = [out[b], out[a]];
  return out;
}

function permuteShape(op: string, s: Shape, dims: number[]): Shape {
  if (dims.length !== s.length) {
    throw new ShapeError(`${op}: number of dims in the permutation (${dims.length}) doesn't match the input's rank ${s.length} (input ${showShape(s)})`);
  }
  return normalizeAxes(dims, s.length, op).map((i) => s[i]);
}

function expandShape(op: string, s: Shape, sizes: Dim[]): Shape {
  if (sizes.length < s.length) {
    throw new ShapeError(
      `${op}: the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${s.length})`,
    );
  }
  const lead = sizes.length - s.length;
  return sizes.map((want, i) => {
    if (i < lead) {
      if (want.value === -1) throw new ShapeError(`${op}: the expanded size -1 isn't allowed in a leading, non-existing dimension ${i}`);
      return want;
    }
    const have = s[i - lead];
    if (want.value === -1) return have;
    if (have.value === 1 && !(have.expr && dimEquals(have, want) === true)) return want;
    if (dimEquals(have, want) === false) {
      throw new ShapeError(
        `${op}: the expanded size (${want.value}) must match the existing size (${have.value}) at non-singleton dimension ${i}; ` +
          `target sizes ${showShape(sizes)}, tensor sizes ${showShape(s)}`,
      );
    }
    return have;
  });
}

function repeatShape(op: string, s: Shape, reps: Dim[]): Shape {
  if (reps.length < s.length) {
    throw new ShapeError(`${op}: number of dimensions of repeat dims (${reps.length}) can not be smaller than number of dimensions of tensor (${s.length})`);
  }
  const padded = [...Array.from({ length: reps.length - s.length }, () => dim(1)), ...s];
  return padded.map((d, i) => dimMul(d, reps[i]));
}

const ITEM_BYTES: Readonly<Record<DType, number>> = {
  float64: 8,
  int64: 8,
  float32: 4,
  int32: 4,
  float16: 2,
  bfloat16: 2,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** `x.view(dtype)` reinterprets the bytes: the last dim scales by the ratio of element sizes. */
function viewAsDtype(op: string, s: Shape, from: DType, to: DType): Shape {
  const a = ITEM_BYTES[from];
  const b = ITEM_BYTES[to];
  if (a === b) return s;
  if (s.length === 0) throw new ShapeError(`${op}: a 0-d tensor cannot be viewed as ${to} (element size ${a} → ${b} bytes)`);
  const last = s[s.length - 1];
  if (a > b) return [...s.slice(0, -1), dimMul(last, a / b)];
  if (last.value !== null && (last.value * a) % b !== 0) {
    throw new ShapeError(
      `${op}: the last dimension (${last.value}) times ${a} bytes must be divisible by ${b} to view ${from} as ${to} (input ${showShape(s)})`,
    );
  }
  return [...s.slice(0, -1), dimFloorDiv(dimMul(last, a), b)];
}

/** `view(*shape)`, or `view(dtype)` which reinterprets the bytes (same-size dtypes keep the shape). */
function viewLike(op: string, param: string): (x: TensorValue, args: Record<string, PyValue>, ctx: InferContext) => PyValue {
  return (x, args, ctx) => {
    const items = seqItems(args[param] ?? vNone) ?? [];
    if (items.length === 1 && isDtypeValue(items[0])) {
      if (op !== 'Tensor.view') throw new ShapeError(`${op}: expected a shape, not a dtype`);
      const to = dtypeOf(items[0], op, 'dtype') as DType;
      return ctx.tensor(x.shape ? viewAsDtype(op, x.shape, x.dtype, to) : null, to);
    }
    const target = varIntsArg(args, param, op);
    return same(ctx, x, x.shape ? reshapeTarget(op, x.shape, target) : null);
  };
}

const defs: OpDef[] = [
  ...tensorFn({
    keys: ['Tensor.view'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [star('size')],
    infer: (x, a, c) => viewLike('Tensor.view', 'size')(x, a, c),
  }),
  ...tensorFn({
    keys: ['Tensor.reshape'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [star('shape')],
    infer: (x, a, c) => viewLike('Tensor.reshape', 'shape')(x, a, c),
  }),
  ...tensorFn({
    keys: ['torch.reshape'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [req('shape')],
    infer: (x, a, c, op) => same(c, x, x.shape ? reshapeTarget(op, x.shape, dimsOf(a.shape, op, 'shape')) : null),
  }),
  ...tensorFn({
    keys: ['Tensor.view_as', 'Tensor.reshape_as'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [req('other')],
    infer: (x, a, c, op) => {
      const o = tensorArg(a, 'other', op);
      return same(c, x, x.shape && o.shape ? reshapeTarget(op, x.shape, o.shape) : o.shape);
    },
  }),
  ...tensorFn({
    keys: ['torch.flatten', 'Tensor.flatten'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [opt('start_dim', vInt(0)), opt('end_dim', vInt(-1))],
    infer: (x, a, c, op) => same(c, x, x.shape ? flattenShape(op, x.shape, numArg(a, 'start_dim', op), numArg(a, 'end_dim', op)) : null),
  }),
  ...tensorFn({
    keys: ['Tensor.unflatten'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [req('dim'), req('sizes')],
    infer: (x, a, c, op) => same(c, x, x.shape ? unflattenShape(op, x.shape, numArg(a, 'dim', op), dimsOf(a.sizes, op, 'sizes')) : null),
  }),
  ...tensorFn({
    keys: ['Tensor.permute'],
    family: 'tensor',
    onnx: permuteLowering,
    params: [star('dims')],
    infer: (x, a, c, op) => same(c, x, x.shape ? permuteShape(op, x.shape, varNumsArg(a, 'dims', op)) : null),
  }),
  ...tensorFn({
    keys: ['torch.permute'],
    family: 'tensor',
    onnx: permuteLowering,
    params: [req('dims')],
    infer: (x, a, c, op) => same(c, x, x.shape ? permuteShape(op, x.shape, numsOf(a.dims, op, 'dims')) : null),
  }),
  ...tensorFn({
    keys: ['torch.transpose', 'Tensor.transpose', 'torch.swapaxes', 'Tensor.swapaxes', 'torch.swapdims', 'Tensor.swapdims'],
    family: 'tensor',
    onnx: swapLowering('dim0', 'dim1'),
    params: [req('dim0'), req('dim1')],
    infer: (x, a, c, op) => same(c, x, x.shape ? transposeShape(op, x.shape, numArg(a, 'dim0', op), numArg(a, 'dim1', op)) : null),
  }),
  ...tensorFn({
    keys: ['Tensor.transpose_'],
    family: 'tensor',
    onnx: swapLowering('dim0', 'dim1'),
    params: [req('dim0'), req('dim1')],
    inPlace: true,
    infer: (x, a, c, op) => same(c, x, x.shape ? transposeShape(op, x.shape, numArg(a, 'dim0', op), numArg(a, 'dim1', op)) : null),
  }),
  ...tensorFn({
    keys: ['torch.t', 'Tensor.t', 'Tensor.T'],
    family: 'tensor',
    onnx: unary('Transpose'),
    params: [],
    infer: (x, _a, c, op) => {
      if (!x.shape) return same(c, x, null);
      if (op === 'Tensor.T') return same(c, x, [...x.shape].reverse());
      if (x.shape.length > 2) throw new ShapeError(`${op} expects a tensor with <= 2 dimensions, but the input ${showShape(x.shape)} has ${x.shape.length}`);
      return same(c, x, [...x.shape].reverse());
    },
  }),
  ...tensorFn({
    keys: ['torch.unsqueeze', 'Tensor.unsqueeze'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [req('dim')],
    infer: (x, a, c, op) => same(c, x, x.shape ? unsqueezeShape(op, x.shape, numArg(a, 'dim', op)) : null),
  }),
  ...tensorFn({
    keys: ['Tensor.unsqueeze_'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [req('dim')],
    inPlace: true,
    infer: (x, a, c, op) => same(c, x, x.shape ? unsqueezeShape(op, x.shape, numArg(a, 'dim', op)) : null),
  }),
  ...tensorFn({
    keys: ['torch.squeeze', 'Tensor.squeeze'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [opt('dim', vNone)],
    infer: (x, a, c, op) => same(c, x, x.shape ? squeezeShape(op, x.shape, isNone(a.dim) ? null : numsOf(a.dim, op, 'dim')) : null),
  }),
  ...tensorFn({
    keys: ['Tensor.squeeze_'],
    family: 'tensor',
    onnx: reshapeToOutput,
    params: [opt('dim', vNone)],
    inPlace: true,
    infer: (x, a, c, op) => same(c, x, x.shape ? squeezeShape(op, x.shape, isNone(a.dim) ? null : numsOf(a.dim, op, 'dim')) : null),
  }),
  ...tensorFn({
    keys: ['Tensor.expand'],
    family: 'tensor',
    onnx: expandLowering,
    params: [star('size')],
    infer: (x, a, c, op) => same(c, x, x.shape ? expandShape(op, x.shape, varIntsArg(a, 'size', op)) : null),
  }),
  ...tensorFn({
    keys: ['Tensor.expand_as'],
    family: 'tensor',
    onnx: expandLowering,
    params: [req('other')],
    infer: (x, a, c, op) => {
      const o = tensorArg(a, 'other', op);
      return same(c, x, x.shape && o.shape ? expandShape(op, x.shape, [...o.shape]) : o.shape);
    },
  }),
  ...tensorFn({
    keys: ['Tensor.repeat'],
    family: 'tensor',
    onnx: tileLowering,
    params: [star('repeats')],
    infer: (x, a, c, op) => same(c, x, x.shape ? repeatShape(op, x.shape, varIntsArg(a, 'repeats', op)) : null),
  }),
  ...tensorFn({
    keys: ['torch.tile', 'Tensor.tile'],
    family: 'tensor',
    onnx: tileLowering,
    params: [req('dims')],
    infer: (x, a, c, op) => {
      if (!x.shape) return same(c, x, null);
      const reps = dimsOf(a.dims, op, 'dims');
      // tile pads the repeats with leading 1s when shorter than the rank.
      const full = [...Array.from({ length: Math.max(0, x.shape.length - reps.length) }, () => dim(1)), ...reps];
      return same(c, x, repeatShape(op, x.shape, full));
    },
  }),
  ...tensorFn({
    keys: ['Tensor.contiguous'],
    family: 'tensor',
    onnx: identity,
    params: [opt('memory_format', vNone)],
    infer: (x, _a, c) => same(c, x, x.shape),
  }),
  ...tensorFn({
    keys: ['Tensor.detach', 'torch.detach', 'Tensor.cpu', 'Tensor.cuda'],
    family: 'tensor',
    onnx: identity,
    params: [],
    infer: (x, _a, c) => same(c, x, x.shape),
  }),
  ...tensorFn({
    keys: ['Tensor.clone', 'torch.clone'],
    family: 'tensor',
    onnx: identity,
    params: [opt('memory_format', vNone)],
    infer: (x, _a, c) => same(c, x, x.shape),
  }),
];

const flattenModule: ModuleOpDef = {
  kind: 'module',
  type: 'Flatten',
  family: 'tensor',
  ctor: [opt('start_dim', vInt(1)), opt('end_dim', vInt(-1))],
  forward: [req('input')],
  tensors: () => [],
  infer(attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'Flatten');
    return same(ctx, x, x.shape ? flattenShape('Flatten', x.shape, numArg(attrs, 'start_dim', 'Flatten'), numArg(attrs, 'end_dim', 'Flatten')) : null);
  },
  flops: () => 0,
  onnx: reshapeToOutput,
};

const unflattenModule: ModuleOpDef = {
  kind: 'module',
  type: 'Unflatten',
  family: 'tensor',
  ctor: [req('dim'), req('unflattened_size')],
  forward: [req('input')],
  tensors: () => [],
  infer(attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'Unflatten');
    const sizes = dimsOf(attrs.unflattened_size, 'Unflatten', 'unflattened_size');
    return same(ctx, x, x.shape ? unflattenShape('Unflatten', x.shape, numArg(attrs, 'dim', 'Unflatten'), sizes) : null);
  },
  flops: () => 0,
  onnx: reshapeToOutput,
};

function channelShuffleShape(op: string, x: TensorValue, groups: number): Shape | null {
  if (groups < 1) throw new ShapeError(`${op}: number of groups to divide channels in must be positive, got ${groups}`);
  if (!x.shape) return null;
  if (x.shape.length < 3) throw new ShapeError(`${op} expects input with > 2 dims, but got input ${showShape(x.shape)}`);
  const c = x.shape[1];
  if (c.value !== null && c.value % groups !== 0) throw new ShapeError(`${op}: number of channels (${c.value}) must be divisible by groups (${groups})`);
  return x.shape;
}

const channelShuffle: OpDef[] = [
  {
    kind: 'module',
    type: 'ChannelShuffle',
    family: 'tensor',
    ctor: [req('groups')],
    forward: [req('input')],
    tensors: () => [],
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', 'ChannelShuffle');
      return same(ctx, x, channelShuffleShape('ChannelShuffle', x, numArg(attrs, 'groups', 'ChannelShuffle')));
    },
    flops: () => 0,
    onnx: channelShuffleLowering,
  },
  ...tensorFn({
    keys: ['torch.channel_shuffle'],
    family: 'tensor',
    params: [req('groups')],
    onnx: channelShuffleLowering,
    infer: (x, a, c, op) => same(c, x, channelShuffleShape(op, x, numArg(a, 'groups', op))),
  }),
];

registerOps([...defs, flattenModule, unflattenModule, ...channelShuffle]);
