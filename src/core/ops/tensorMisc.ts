// More tensor ops: roll/flip/triu/tril, diff, gather/index_select, broadcast_to, repeat_interleave, one_hot, unfold, meshgrid, random fills.
import { Dim, dim, dimAdd, dimEquals, dimFloorDiv, dimMul, dimSub, unknownDim } from '../shape/dim';
import { Shape } from '../shape/shape';
import { describe, dimsOf, isNone, numArg, numsOf, seqItems, tensorArg, varNumsArg } from './args';
import { normalizeAxes, normalizeAxis } from './axes';
import { broadcastShapes } from './broadcast';
import { numelOf } from './flopsCount';
import { promoteTypes } from './promote';
import { registerOps } from './registry';
import { kw, opt, req, star, vInt, vNone } from './sig';
import { showShape } from './showShape';
import { tensorFn } from './tensorFn';
import { FunctionOpDef, OpDef, ShapeError, UnknownArgError } from './types';
import { PyValue, TensorValue } from './values';
import { diffLowering, meshgridLowering, scatterLowering, slidingWindowLowering } from './lowerShape';
import {
  expandLowering,
  flipLowering,
  gatherElementsLowering,
  indexSelectLowering,
  oneHotLowering,
  repeatInterleaveLowering,
  rollLowering,
  triluLowering,
} from './lowerShape';

const keep = (x: TensorValue, ctx: Parameters<FunctionOpDef['infer']>[1]): PyValue => ctx.tensor(x.shape, x.dtype);

function meshgridInfer(args: Readonly<Record<string, PyValue>>, ctx: Parameters<FunctionOpDef['infer']>[1]): PyValue {
  const op = 'torch.meshgrid';
  let items = seqItems(args.tensors ?? vNone) ?? [];
  if (items.length === 1 && seqItems(items[0])) items = seqItems(items[0]) as readonly PyValue[];
  const ts = items.map((v, i) => {
    if (v.kind === 'unknown') throw new UnknownArgError(`${op}: tensor ${i} is unknown`);
    if (v.kind !== 'tensor') throw new ShapeError(`${op}: expects tensors, got ${describe(v)} at position ${i}`);
    return v;
  });
  if (ts.some((t) => !t.shape)) return { kind: 'tuple', items: ts.map((t) => ctx.tensor(null, t.dtype)) };
  ts.forEach((t, i) => {
    if ((t.shape as Shape).length > 1) throw new ShapeError(`${op}: expects 0D or 1D tensors, but tensor ${i} is ${showShape(t.shape)}`);
  });
  const sizes = ts.map((t) => ((t.shape as Shape).length ? (t.shape as Shape)[0] : dim(1)));
  const indexing = args.indexing && args.indexing.kind === 'str' ? args.indexing.value : 'ij';
  if (indexing !== 'ij' && indexing !== 'xy') throw new ShapeError(`${op}: indexing must be one of "xy" or "ij", but received: ${indexing}`);
  const shape = [...sizes];
  if (indexing === 'xy' && shape.length >= 2) [shape[0], shape[1]] = [shape[1], shape[0]];
  return { kind: 'tuple', items: ts.map((t) => ctx.tensor(shape, t.dtype)) };
}

function gatherShape(op: string, x: Shape, d: number, index: Shape): Shape {
  const axis = normalizeAxis(d, x.length, op);
  if (index.length !== x.length && !(x.length === 0 && index.length <= 1)) {
    throw new ShapeError(`${op}: index tensor must have the same number of dimensions as input tensor (input ${showShape(x)}, index ${showShape(index)})`);
  }
  index.forEach((s, i) => {
    if (i !== axis && x[i] && s.value !== null && x[i].value !== null && s.value > (x[i].value as number)) {
      throw new ShapeError(
        `${op}: size does not match at dimension ${i}: expected index ${showShape(index)} to be smaller than self ${showShape(x)} apart from dimension ${axis}`,
      );
    }
  });
  return index;
}

function unfoldShape(op: string, s: Shape, d: number, size: number, step: number): Shape {
  const axis = s.length === 0 ? 0 : normalizeAxis(d, s.length, op);
  if (step <= 0) throw new ShapeError(`${op}: step is ${step} but must be > 0`);
  const n = s.length === 0 ? dim(1) : s[axis];
  if (n.value !== null && size > n.value) throw new ShapeError(`${op}: maximum size for tensor at dimension ${axis} is ${n.value} but size is ${size}`);
  const count = dimAdd(dimFloorDiv(dimSub(n, size), step), 1);
  if (s.length === 0) return [dim(size)];
  return [...s.slice(0, axis), count, ...s.slice(axis + 1), dim(size)];
}

/** torch.diff: the dim shrinks by `n` (not below 0) after prepend/append are joined to it; bool differences are xor. */
function diffInfer(x: TensorValue, args: Readonly<Record<string, PyValue>>, ctx: Parameters<FunctionOpDef['infer']>[1], op: string): PyValue {
  if (x.shape && x.shape.length === 0) throw new ShapeError(`${op} expects input to be at least one-dimensional`);
  const n = numArg(args, 'n', op);
  const extra: TensorValue[] = [];
  for (const name of ['prepend', 'append']) {
    const v = args[name];
    if (!v || v.kind === 'none') continue;
    if (v.kind === 'unknown') throw new UnknownArgError(`${op}: ${name} is unknown`);
    if (v.kind !== 'tensor') throw new ShapeError(`${op}(): argument '${name}' must be Tensor, not ${describe(v)}`);
    extra.push(v);
  }
  let dtype = x.dtype;
  for (const t of extra) dtype = promoteTypes(dtype, t.dtype);
  if (!x.shape || extra.some((t) => !t.shape)) return ctx.tensor(null, dtype);
  const rank = x.shape.length;
  const axis = normalizeAxis(numArg(args, 'dim', op), rank, op);
  let len = x.shape[axis];
  for (const t of extra) {
    const s = t.shape as Shape;
    if (s.length !== rank) throw new ShapeError(`${op} expects prepend or append to be the same dimension as input`);
    s.forEach((d, k) => {
      if (k !== axis && dimEquals(d, x.shape![k]) === false) {
        throw new ShapeError(
          `${op} expects the shape of tensor to prepend or append to match that of input except along the differencing dimension; input.size(${k}) = ${x.shape![k].value}, but got tensor.size(${k}) = ${d.value}`,
        );
      }
    });
    len = dimAdd(len, s[axis]);
  }
  const steps = Math.max(n, 0);
  let size = len;
  if (steps > 0) {
    if (len.value === null) size = unknownDim();
    else size = len.value <= steps ? dim(0) : dimSub(len, steps);
  }
  return ctx.tensor(
    x.shape.map((d, k) => (k === axis ? size : d)),
    dtype,
  );
}

const defs: OpDef[] = [
  ...tensorFn({
    keys: ['torch.roll', 'Tensor.roll'],
    family: 'tensor',
    params: [req('shifts'), opt('dims', vNone)],
    onnx: rollLowering,
    infer(x, args, ctx, op) {
      if (x.shape && !isNone(args.dims)) {
        const dims = numsOf(args.dims, op, 'dims');
        const shifts = dimsOf(args.shifts, op, 'shifts');
        if (dims.length !== shifts.length)
          throw new ShapeError(`${op}: shifts and dimensions must align: shifts has ${shifts.length} elements, dims has ${dims.length}`);
        dims.forEach((d) => normalizeAxis(d, (x.shape as Shape).length, op));
      }
      return keep(x, ctx);
    },
  }),
  ...(['torch.flip', 'Tensor.flip'] as const).flatMap((key) =>
    tensorFn({
      // torch.flip(input, dims) takes a list; x.flip(0, 1) and x.flip((0, 1)) both work on tensors.
      keys: [key],
      family: 'tensor',
      params: [key === 'torch.flip' ? req('dims') : star('dims')],
      onnx: flipLowering,
      infer(x, args, ctx, op) {
        if (x.shape) normalizeAxes(varNumsArg(args, 'dims', op), x.shape.length, op);
        return keep(x, ctx);
      },
    }),
  ),
  ...tensorFn({
    keys: ['torch.triu', 'Tensor.triu', 'torch.tril', 'Tensor.tril'],
    family: 'tensor',
    params: [opt('diagonal', vInt(0))],
    onnx: triluLowering,
    infer(x, _args, ctx, op) {
      if (x.shape && x.shape.length < 2) throw new ShapeError(`${op}: input tensor must have at least 2 dimensions, got ${showShape(x.shape)}`);
      return keep(x, ctx);
    },
  }),
  ...tensorFn({
    keys: ['torch.gather', 'Tensor.gather'],
    family: 'index',
    params: [req('dim'), req('index'), kw('sparse_grad', { kind: 'bool', value: false })],
    onnx: gatherElementsLowering,
    infer(x, args, ctx, op) {
      const index = tensorArg(args, 'index', op);
      if (index.dtype !== 'int64') throw new ShapeError(`${op}: expected dtype int64 for index, got ${index.dtype}`);
      if (!x.shape || !index.shape) return ctx.tensor(index.shape, x.dtype);
      return ctx.tensor(gatherShape(op, x.shape, numArg(args, 'dim', op), index.shape), x.dtype);
    },
  }),
  ...tensorFn({
    keys: ['torch.index_select', 'Tensor.index_select'],
    family: 'index',
    params: [req('dim'), req('index')],
    onnx: indexSelectLowering,
    infer(x, args, ctx, op) {
      const index = tensorArg(args, 'index', op);
      if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new ShapeError(`${op}: index must be an int64 or int32 tensor, got ${index.dtype}`);
      if (!x.shape || !index.shape) return ctx.tensor(null, x.dtype);
      if (index.shape.length > 1) throw new ShapeError(`${op}: index must be 0- or 1-dimensional, got ${showShape(index.shape)}`);
      const axis = normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
      const n = index.shape.length ? index.shape[0] : dim(1);
      return ctx.tensor(x.shape.length ? x.shape.map((d, i) => (i === axis ? n : d)) : [], x.dtype);
    },
  }),
  ...tensorFn({
    keys: ['torch.broadcast_to', 'Tensor.broadcast_to'],
    family: 'tensor',
    params: [req('size')],
    onnx: expandLowering,
    infer(x, args, ctx, op) {
      const target = dimsOf(args.size, op, 'size');
      if (!x.shape) return ctx.tensor(null, x.dtype);
      const s = x.shape;
      const lead = target.length - s.length;
      if (lead < 0)
        throw new ShapeError(
          `${op}: the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${s.length})`,
        );
      const out = target.map((t, i) => {
        const have = i >= lead ? s[i - lead] : null;
        if (t.value === -1 && have) return have;
        if (have && have.value !== 1 && dimEquals(have, t) === false) {
          throw new ShapeError(
            `${op}: the expanded size (${t.value}) must match the existing size (${have.value}) at non-singleton dimension ${i}; target ${showShape(target)}, tensor ${showShape(s)}`,
          );
        }
        return t;
      });
      return ctx.tensor(out, x.dtype);
    },
  }),
  ...tensorFn({
    keys: ['torch.repeat_interleave', 'Tensor.repeat_interleave'],
    family: 'tensor',
    params: [req('repeats'), opt('dim', vNone), kw('output_size', vNone)],
    onnx: repeatInterleaveLowering,
    infer(x, args, ctx, op) {
      if (!x.shape) return ctx.tensor(null, x.dtype);
      const reps = args.repeats;
      const flat = isNone(args.dim);
      if (!flat && x.shape.length === 0) throw new ShapeError(`${op}: dimension specified as ${numArg(args, 'dim', op)} but tensor has no dimensions`);
      const base: Shape = flat ? [x.shape.reduce<Dim>((a, d) => dimMul(a, d), dim(1))] : x.shape;
      const axis = flat ? 0 : normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
      let size: Dim;
      if (reps && (reps.kind === 'int' || reps.kind === 'bool')) size = dimMul(base[axis], reps.kind === 'int' ? reps.dim : dim(Number(reps.value)));
      else if (reps && reps.kind === 'tensor' && reps.shape && reps.shape.length === 0) throw new UnknownArgError(`${op}: the repeat count is a tensor value`);
      else size = isNone(args.output_size) ? unknownDim() : dimsOf(args.output_size, op, 'output_size')[0];
      return ctx.tensor(
        base.map((d, i) => (i === axis ? size : d)),
        x.dtype,
      );
    },
  }),
  ...tensorFn({
    keys: ['F.one_hot'],
    first: 'tensor',
    family: 'index',
    params: [opt('num_classes', vInt(-1))],
    onnx: oneHotLowering,
    infer(x, args, ctx, op) {
      if (x.dtype !== 'int64') throw new ShapeError(`${op} is only applicable to index tensor (int64), got ${x.dtype}`);
      const n = numArg(args, 'num_classes', op);
      // num_classes=-1 means "max value + 1": it depends on the data.
      return ctx.tensor(x.shape ? [...x.shape, n === -1 ? unknownDim() : dim(n)] : null, 'int64');
    },
  }),
  ...tensorFn({
    keys: ['Tensor.unfold'],
    family: 'tensor',
    params: [req('dimension'), req('size'), req('step')],
    onnx: slidingWindowLowering,
    infer: (x, args, ctx, op) =>
      ctx.tensor(x.shape ? unfoldShape(op, x.shape, numArg(args, 'dimension', op), numArg(args, 'size', op), numArg(args, 'step', op)) : null, x.dtype),
  }),
  ...['torch.scatter', 'Tensor.scatter', 'Tensor.scatter_', 'torch.scatter_add', 'Tensor.scatter_add', 'Tensor.scatter_add_'].flatMap((key) =>
    tensorFn({
      keys: [key],
      family: 'index',
      params: [req('dim'), req('index'), req('src')],
      inPlace: key.endsWith('_'),
      onnx: scatterLowering,
      infer(x, args, ctx, op) {
        const index = tensorArg(args, 'index', op);
        if (index.dtype !== 'int64') throw new ShapeError(`${op}: expected dtype int64 for index, got ${index.dtype}`);
        if (x.shape && index.shape) {
          normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
          if (index.shape.length !== x.shape.length && x.shape.length > 0)
            throw new ShapeError(
              `${op}: index tensor must have the same number of dimensions as self tensor (self ${showShape(x.shape)}, index ${showShape(index.shape)})`,
            );
        }
        return keep(x, ctx);
      },
    }),
  ),
  ...tensorFn({
    keys: ['torch.diff', 'Tensor.diff'],
    family: 'elementwise',
    params: [opt('n', vInt(1)), opt('dim', vInt(-1)), opt('prepend', vNone), opt('append', vNone)],
    infer: diffInfer,
    flops: (a, o) => numelOf(o) * Math.max(a.n && a.n.kind === 'int' ? (a.n.dim.value ?? 1) : 1, 0),
    onnx: diffLowering,
  }),
  {
    kind: 'function',
    name: 'torch.meshgrid',
    family: 'creation',
    signature: [star('tensors'), kw('indexing', vNone)],
    infer: meshgridInfer,
    onnx: meshgridLowering,
  },
  ...['bernoulli_', 'uniform_', 'normal_', 'random_', 'exponential_', 'log_normal_', 'geometric_', 'cauchy_'].flatMap((n) =>
    tensorFn({
      keys: [`Tensor.${n}`],
      family: 'creation',
      params: [star('args'), { name: 'kwargs', variadic: 'kwargs' }],
      inPlace: true,
      infer: (x, _a, c) => keep(x, c),
    }),
  ),
  ...tensorFn({ keys: ['torch.bernoulli', 'Tensor.bernoulli'], family: 'creation', params: [kw('generator', vNone)], infer: (x, _a, c) => keep(x, c) }),
  ...tensorFn({
    keys: ['torch.nonzero', 'Tensor.nonzero'],
    family: 'index',
    params: [kw('as_tuple', { kind: 'bool', value: false })],
    infer: (x, _a, c) => c.tensor(x.shape ? [unknownDim(), dim(x.shape.length)] : null, 'int64'),
  }),
  ...tensorFn({
    keys: ['torch.masked_select', 'Tensor.masked_select'],
    family: 'index',
    params: [req('mask')],
    infer(x, args, ctx, op) {
      const m = tensorArg(args, 'mask', op);
      if (x.shape && m.shape) broadcastShapes(x.shape, m.shape, op);
      return ctx.tensor([unknownDim()], x.dtype);
    },
  }),
];

registerOps(defs);
