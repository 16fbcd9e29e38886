// Reductions with dim/keepdim: sum, mean, amax/amin, max/min (values+indices), std/var, prod, argmax/argmin, all/any, topk/sort, cumsum.
import { dim } from '../shape/dim';
import { DType, Shape } from '../shape/shape';
import { boolArg, dtypeOf, isNone, numArg, numsOf } from './args';
import { normalizeAxes, normalizeAxis } from './axes';
import { numelOf } from './flopsCount';
import { elementwise } from './operators';
import { category, isFloating } from './promote';
import { registerOps } from './registry';
import { kw, opt, req, vBool, vInt, vNone, vStr } from './sig';
import { showShape } from './showShape';
import { tensorFn } from './tensorFn';
import { BoundArgs, InferContext, OpDef, ParamSpec, ShapeError } from './types';
import { PyValue, TensorValue } from './values';
import type { OnnxLowering } from './lowering';
import { medianLowering, nanReduceLowering } from './lowerReduce';
import { allAnyLowering, argReduceLowering, cumsumLowering, maxMinLowering, normLowering, reduceLowering, topkLowering, varianceLowering } from './lowerReduce';

/** Output shape of reducing `dims` (null or empty: every dim). */
export function reduceShape(op: string, s: Shape, dims: number[] | null, keepdim: boolean): Shape {
  const all = dims === null || dims.length === 0;
  const axes = new Set(all ? s.map((_, i) => i) : normalizeAxes(dims, s.length, op));
  if (keepdim) return s.map((d, i) => (axes.has(i) ? dim(1) : d));
  return s.filter((_, i) => !axes.has(i));
}

function dimsParam(args: BoundArgs, op: string): number[] | null {
  return isNone(args.dim) ? null : numsOf(args.dim, op, 'dim');
}

type DtypeRule = 'same' | 'sum' | 'float' | 'int64' | 'bool';

function outDtype(op: string, x: TensorValue, rule: DtypeRule, args: BoundArgs): DType {
  const explicit = args.dtype && !isNone(args.dtype) ? dtypeOf(args.dtype, op, 'dtype') : null;
  if (explicit) return explicit;
  switch (rule) {
    case 'same':
      return x.dtype;
    case 'sum':
      return category(x.dtype) < 2 ? 'int64' : x.dtype;
    case 'int64':
      return 'int64';
    case 'bool':
      return 'bool';
    case 'float':
      if (!isFloating(x.dtype)) {
        throw new ShapeError(`${op}: could not infer output dtype: the input must be a floating point tensor, got ${x.dtype} (use .float() first)`);
      }
      return x.dtype;
  }
}

interface ReduceSpec {
  readonly names: readonly string[];
  readonly params: readonly ParamSpec[];
  readonly dtype: DtypeRule;
  /** dim is one int (prod, argmax) rather than an int-or-tuple. */
  readonly singleDim?: boolean;
}

const REDUCE_ONNX: Readonly<Record<string, OnnxLowering>> = {
  sum: reduceLowering('ReduceSum'),
  mean: reduceLowering('ReduceMean'),
  amax: reduceLowering('ReduceMax'),
  amin: reduceLowering('ReduceMin'),
  prod: reduceLowering('ReduceProd'),
  logsumexp: reduceLowering('ReduceLogSumExp'),
  std: varianceLowering(true),
  var: varianceLowering(false),
  argmax: argReduceLowering('ArgMax'),
  argmin: argReduceLowering('ArgMin'),
  norm: normLowering,
  nansum: nanReduceLowering('sum'),
  nanmean: nanReduceLowering('mean'),
  all: allAnyLowering('all'),
  any: allAnyLowering('any'),
};

function reduction(spec: ReduceSpec): OpDef[] {
  return spec.names.flatMap((n) =>
    tensorFn({
      keys: [`torch.${n}`, `Tensor.${n}`],
      family: 'reduce',
      onnx: REDUCE_ONNX[n],
      params: spec.params,
      infer(x, args, ctx, op) {
        const dt = outDtype(op, x, spec.dtype, args);
        if (!x.shape) return ctx.tensor(null, dt);
        const dims = spec.singleDim ? (isNone(args.dim) ? null : [numArg(args, 'dim', op)]) : dimsParam(args, op);
        return ctx.tensor(reduceShape(op, x.shape, dims, boolArg(args, 'keepdim', op)), dt);
      },
      flops: (args) => numelOf(args.input ?? args.self),
    }),
  );
}

/** max/min: no dim → 0-d; dim → (values, indices); a tensor in place of dim → elementwise maximum/minimum. */
function maxMin(name: string): OpDef[] {
  return tensorFn({
    keys: [`torch.${name}`, `Tensor.${name}`],
    family: 'reduce',
    onnx: maxMinLowering(name === 'max' ? 'max' : 'min'),
    params: [opt('dim', vNone), opt('keepdim', vBool(false)), kw('other', vNone)],
    infer(x, args, ctx, op): PyValue {
      const other = args.dim && args.dim.kind === 'tensor' ? args.dim : args.other && args.other.kind === 'tensor' ? args.other : null;
      if (other) return elementwise(op, [x, other], 'arith', ctx);
      if (isNone(args.dim)) return ctx.tensor(x.shape ? [] : null, x.dtype);
      const d = numArg(args, 'dim', op);
      const shape = x.shape ? reduceShape(op, x.shape, [d], boolArg(args, 'keepdim', op)) : null;
      return pairOut(ctx, shape, x);
    },
    flops: (args) => numelOf(args.input ?? args.self),
  });
}

/** torch.return_types.* named tuples: `(values, indices)`. */
function pairOut(ctx: InferContext, shape: Shape | null, x: TensorValue): PyValue {
  return { kind: 'tuple', items: [ctx.tensor(shape, x.dtype), ctx.tensor(shape, 'int64')], fields: ['values', 'indices'] };
}

const defs: OpDef[] = [
  ...reduction({ names: ['sum', 'nansum'], params: [opt('dim', vNone), opt('keepdim', vBool(false)), kw('dtype', vNone)], dtype: 'sum' }),
  ...reduction({ names: ['mean', 'nanmean'], params: [opt('dim', vNone), opt('keepdim', vBool(false)), kw('dtype', vNone)], dtype: 'float' }),
  ...reduction({ names: ['amax', 'amin'], params: [opt('dim', { kind: 'tuple', items: [] }), opt('keepdim', vBool(false))], dtype: 'same' }),
  ...reduction({
    names: ['std', 'var'],
    params: [opt('dim', vNone), opt('unbiased', vBool(true)), opt('keepdim', vBool(false)), kw('correction', vNone)],
    dtype: 'float',
  }),
  ...reduction({ names: ['prod'], params: [opt('dim', vNone), opt('keepdim', vBool(false)), kw('dtype', vNone)], dtype: 'sum', singleDim: true }),
  ...reduction({ names: ['argmax', 'argmin'], params: [opt('dim', vNone), opt('keepdim', vBool(false))], dtype: 'int64', singleDim: true }),
  ...reduction({ names: ['all', 'any'], params: [opt('dim', vNone), opt('keepdim', vBool(false))], dtype: 'bool' }),
  ...reduction({ names: ['logsumexp'], params: [req('dim'), opt('keepdim', vBool(false))], dtype: 'float' }),
  ...reduction({ names: ['norm'], params: [opt('p', vStr('fro')), opt('dim', vNone), opt('keepdim', vBool(false)), opt('dtype', vNone)], dtype: 'float' }),
  ...maxMin('max'),
  ...maxMin('min'),
  ...tensorFn({
    keys: ['torch.median', 'Tensor.median'],
    family: 'reduce',
    params: [opt('dim', vNone), opt('keepdim', vBool(false))],
    onnx: medianLowering,
    infer(x, args, ctx, op): PyValue {
      if (isNone(args.dim)) return ctx.tensor(x.shape ? [] : null, x.dtype);
      return pairOut(ctx, x.shape ? reduceShape(op, x.shape, [numArg(args, 'dim', op)], boolArg(args, 'keepdim', op)) : null, x);
    },
  }),
  ...tensorFn({
    keys: ['torch.topk', 'Tensor.topk'],
    family: 'reduce',
    params: [req('k'), opt('dim', vInt(-1)), opt('largest', vBool(true)), opt('sorted', vBool(true))],
    onnx: topkLowering('topk'),
    infer(x, args, ctx, op) {
      if (!x.shape) return pairOut(ctx, null, x);
      const k = numArg(args, 'k', op);
      const axis = normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
      const n = x.shape.length ? x.shape[axis] : dim(1);
      if (n.value !== null && (k > n.value || k < 0))
        throw new ShapeError(`${op}: k (${k}) is out of range for dimension ${axis} of size ${n.value} (input ${showShape(x.shape)})`);
      const shape = x.shape.length ? x.shape.map((d, i) => (i === axis ? dim(k) : d)) : [];
      return pairOut(ctx, shape, x);
    },
  }),
  ...tensorFn({
    keys: ['torch.sort', 'Tensor.sort'],
    family: 'reduce',
    params: [opt('dim', vInt(-1)), opt('descending', vBool(false)), kw('stable', vBool(false))],
    onnx: topkLowering('sort'),
    infer(x, args, ctx, op) {
      if (x.shape) normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
      return pairOut(ctx, x.shape, x);
    },
  }),
  ...tensorFn({
    keys: ['torch.argsort', 'Tensor.argsort'],
    family: 'reduce',
    params: [opt('dim', vInt(-1)), opt('descending', vBool(false))],
    onnx: topkLowering('argsort'),
    infer(x, args, ctx, op) {
      if (x.shape) normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
      return ctx.tensor(x.shape, 'int64');
    },
  }),
  ...tensorFn({
    keys: ['torch.cumsum', 'Tensor.cumsum', 'torch.cumprod', 'Tensor.cumprod'],
    family: 'reduce',
    params: [req('dim'), kw('dtype', vNone)],
    onnx: (c) => (c.op.endsWith('cumprod') ? c.fail('cumprod has no ONNX operator') : cumsumLowering(c)),
    infer(x, args, ctx, op) {
      if (x.shape) normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
      return ctx.tensor(x.shape, outDtype(op, x, 'sum', args));
    },
    flops: (_a, out) => numelOf(out),
  }),
];

registerOps(defs);
