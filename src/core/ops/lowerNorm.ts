// ONNX lowerings of batch/instance/layer/group normalisation, F.normalize, LocalResponseNorm, cosine similarity, pairwise distance and cdist.
import type { DType } from '../shape/shape';
import { attr, normDim, OnnxLowering, OnnxLoweringContext } from './lowering';
import { mainInput, opt, optBool, optNumber, reduceNode, scalar, shapeConst } from './lowerCommon';

type Ctx = OnnxLoweringContext;

/** Parameter `local` of the module, or a constant of `fill` with `n` elements when the module has none (affine=False). */
function paramOr(ctx: Ctx, tensorArgName: string, local: string, n: number, fill: number, dt: DType): string {
  return ctx.tensorArg(tensorArgName) ?? ctx.param(local) ?? ctx.constFloat(Array(n).fill(fill), [n], dt);
}

/** y = (x − mean)/√(var + eps) over `axes` (statistics kept as dims). */
function normalize(ctx: Ctx, x: string, axes: readonly number[], eps: number, dt: DType): string {
  const mean = reduceNode(ctx, 'ReduceMean', x, axes, true);
  const d = ctx.node('Sub', [x, mean])[0]!;
  const v = reduceNode(ctx, 'ReduceMean', ctx.node('Mul', [d, d])[0]!, axes, true);
  const std = ctx.node('Sqrt', [ctx.node('Add', [v, scalar(ctx, eps, dt)])[0]!])[0]!;
  return ctx.node('Div', [d, std])[0]!;
}

/** BatchNormNd in eval mode (running statistics); without them, statistics of the batch as torch does. */
export const batchNormLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const s = ctx.shape(x);
  const dt = ctx.dtype(x);
  const c = s[1] ?? s[0]!;
  const eps = optNumber(ctx, 'eps', 1e-5);
  const training = opt(ctx, 'training');
  if (training === true) ctx.fail('batch norm in training mode is not exported (eval mode only)');
  const weight = paramOr(ctx, 'weight', 'weight', c, 1, dt);
  const bias = paramOr(ctx, 'bias', 'bias', c, 0, dt);
  const mean = ctx.tensorArg('running_mean') ?? ctx.param('running_mean');
  const variance = ctx.tensorArg('running_var') ?? ctx.param('running_var');
  if (s.length < 2) ctx.fail('batch norm needs a (N, C, …) input');
  if (mean && variance) {
    ctx.node('BatchNormalization', [x, weight, bias, mean, variance], { epsilon: attr.float(eps) }, ctx.outputs);
    return;
  }
  const axes = s.map((_, i) => i).filter((i) => i !== 1);
  const y = normalize(ctx, x, axes, eps, dt);
  const bshape = [c, ...Array(s.length - 2).fill(1)];
  const wr = ctx.node('Reshape', [weight, shapeConst(ctx, bshape)])[0]!;
  const br = ctx.node('Reshape', [bias, shapeConst(ctx, bshape)])[0]!;
  ctx.node('Add', [ctx.node('Mul', [y, wr])[0]!, br], {}, ctx.outputs);
};

/** InstanceNormNd (instance statistics; running stats in eval are used only with track_running_stats). */
export const instanceNormLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const s = ctx.shape(x);
  const dt = ctx.dtype(x);
  if (ctx.param('running_mean')) ctx.fail('InstanceNorm with track_running_stats=True is not exported');
  const c = s[1]!;
  const scale = paramOr(ctx, 'weight', 'weight', c, 1, dt);
  const bias = paramOr(ctx, 'bias', 'bias', c, 0, dt);
  ctx.node('InstanceNormalization', [x, scale, bias], { epsilon: attr.float(optNumber(ctx, 'eps', 1e-5)) }, ctx.outputs);
};

/** LayerNorm over the trailing normalized_shape dims. */
export const layerNormLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const s = ctx.shape(x);
  const dt = ctx.dtype(x);
  const ns = opt(ctx, 'normalized_shape');
  const nsLen = Array.isArray(ns) ? ns.length : 1;
  const trailing = s.slice(s.length - nsLen);
  const n = trailing.reduce((a, b) => a * b, 1);
  const scaleFlat = paramOr(ctx, 'weight', 'weight', n, 1, dt);
  const biasFlat = paramOr(ctx, 'bias', 'bias', n, 0, dt);
  const scale = ctx.shape(scaleFlat).length === nsLen ? scaleFlat : ctx.node('Reshape', [scaleFlat, shapeConst(ctx, trailing)])[0]!;
  const bias = ctx.shape(biasFlat).length === nsLen ? biasFlat : ctx.node('Reshape', [biasFlat, shapeConst(ctx, trailing)])[0]!;
  ctx.node('LayerNormalization', [x, scale, bias], { axis: attr.int(-nsLen), epsilon: attr.float(optNumber(ctx, 'eps', 1e-5)) }, ctx.outputs);
};

/** GroupNorm: normalise each of `num_groups` channel groups, then the per-channel affine. */
export const groupNormLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const s = ctx.shape(x);
  const dt = ctx.dtype(x);
  const g = optNumber(ctx, 'num_groups', 1);
  const c = s[1]!;
  const grouped = ctx.node('Reshape', [x, shapeConst(ctx, [s[0]!, g, -1])])[0]!;
  const y = normalize(ctx, grouped, [2], optNumber(ctx, 'eps', 1e-5), dt);
  const back = ctx.node('Reshape', [y, shapeConst(ctx, s)])[0]!;
  const bshape = [c, ...Array(s.length - 2).fill(1)];
  const w = ctx.node('Reshape', [paramOr(ctx, 'weight', 'weight', c, 1, dt), shapeConst(ctx, bshape)])[0]!;
  const b = ctx.node('Reshape', [paramOr(ctx, 'bias', 'bias', c, 0, dt), shapeConst(ctx, bshape)])[0]!;
  ctx.node('Add', [ctx.node('Mul', [back, w])[0]!, b], {}, ctx.outputs);
};

/** F.normalize: x / max(‖x‖_p, eps) along `dim` (p = 1 or 2). */
export const normalizeLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const dt = ctx.dtype(x);
  const p = optNumber(ctx, 'p', 2);
  if (p !== 1 && p !== 2) ctx.fail(`only p=1 and p=2 are exported, got ${p}`);
  const axis = normDim(optNumber(ctx, 'dim', 1), ctx.shape(x).length);
  const n = reduceNode(ctx, p === 2 ? 'ReduceL2' : 'ReduceL1', x, [axis], true);
  const denom = ctx.node('Max', [n, scalar(ctx, optNumber(ctx, 'eps', 1e-12), dt)])[0]!;
  ctx.node('Div', [x, denom], {}, ctx.outputs);
};

/** LocalResponseNorm (odd sizes: torch's channel window then equals ONNX LRN's). */
export const lrnLowering: OnnxLowering = (ctx) => {
  const size = optNumber(ctx, 'size', 1);
  if (size % 2 === 0) ctx.fail('an even LocalResponseNorm size centres its window differently in ONNX LRN');
  ctx.node(
    'LRN',
    [mainInput(ctx)],
    {
      size: attr.int(size),
      alpha: attr.float(optNumber(ctx, 'alpha', 1e-4)),
      beta: attr.float(optNumber(ctx, 'beta', 0.75)),
      bias: attr.float(optNumber(ctx, 'k', 1)),
    },
    ctx.outputs,
  );
};

/** cosine_similarity(x1, x2, dim, eps): x1·x2 / max(‖x1‖·‖x2‖, eps). */
export const cosineSimilarityLowering: OnnxLowering = (ctx) => {
  const a = ctx.tensorArg('x1') ?? ctx.fail('no x1');
  const b = ctx.tensorArg('x2') ?? ctx.fail('no x2');
  const dt = ctx.dtype(a);
  const rank = Math.max(ctx.shape(a).length, ctx.shape(b).length);
  const axes = [normDim(optNumber(ctx, 'dim', 1), rank)];
  const dot = reduceNode(ctx, 'ReduceSum', ctx.node('Mul', [a, b])[0]!, axes, false);
  const na = reduceNode(ctx, 'ReduceSum', ctx.node('Mul', [a, a])[0]!, axes, false);
  const nb = reduceNode(ctx, 'ReduceSum', ctx.node('Mul', [b, b])[0]!, axes, false);
  const denom = ctx.node('Max', [ctx.node('Sqrt', [ctx.node('Mul', [na, nb])[0]!])[0]!, scalar(ctx, optNumber(ctx, 'eps', 1e-8), dt)])[0]!;
  ctx.node('Div', [dot, denom], {}, ctx.outputs);
};

/** pairwise_distance(x1, x2, p, eps, keepdim): ‖x1 − x2 + eps‖_p over the last dim (p = 1 or 2). */
export const pairwiseDistanceLowering: OnnxLowering = (ctx) => {
  const a = ctx.tensorArg('x1') ?? ctx.fail('no x1');
  const b = ctx.tensorArg('x2') ?? ctx.fail('no x2');
  const p = optNumber(ctx, 'p', 2);
  if (p !== 1 && p !== 2) ctx.fail(`only p=1 and p=2 are exported, got ${p}`);
  const rank = Math.max(ctx.shape(a).length, ctx.shape(b).length);
  const d = ctx.node('Add', [ctx.node('Sub', [a, b])[0]!, scalar(ctx, optNumber(ctx, 'eps', 1e-6), ctx.dtype(a))])[0]!;
  reduceNode(ctx, p === 2 ? 'ReduceL2' : 'ReduceL1', d, [rank - 1], optBool(ctx, 'keepdim', false), ctx.outputs);
};

/** torch.cdist(x1, x2, p): ‖x1_i − x2_j‖_p by broadcasting [.., P, 1, M] against [.., 1, R, M]. */
export const cdistLowering: OnnxLowering = (ctx) => {
  const a = ctx.tensorArg('x1') ?? ctx.fail('no x1');
  const b = ctx.tensorArg('x2') ?? ctx.fail('no x2');
  const dt = ctx.dtype(a);
  const p = optNumber(ctx, 'p', 2);
  const ra = ctx.shape(a).length;
  const rb = ctx.shape(b).length;
  const ua = ctx.node('Unsqueeze', [a, ctx.constInt64([ra - 1])])[0]!;
  const ub = ctx.node('Unsqueeze', [b, ctx.constInt64([rb - 2])])[0]!;
  const d = ctx.node('Abs', [ctx.node('Sub', [ua, ub])[0]!])[0]!;
  const rank = Math.max(ra, rb) + 1;
  if (p === 1) reduceNode(ctx, 'ReduceSum', d, [rank - 1], false, ctx.outputs);
  else if (p === 2) reduceNode(ctx, 'ReduceL2', d, [rank - 1], false, ctx.outputs);
  else if (p === Infinity) reduceNode(ctx, 'ReduceMax', d, [rank - 1], false, ctx.outputs);
  else {
    const s = reduceNode(ctx, 'ReduceSum', ctx.node('Pow', [d, scalar(ctx, p, dt)])[0]!, [rank - 1], false);
    ctx.node('Pow', [s, scalar(ctx, 1 / p, dt)], {}, ctx.outputs);
  }
};
