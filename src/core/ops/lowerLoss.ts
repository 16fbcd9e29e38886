// ONNX lowerings of the loss functions (F.* and nn.*Loss): element-wise formulas with torch's reductions, class losses via ONNX's own ops.
import type { DType } from '../shape/shape';
import { attr, OnnxLowering, OnnxLoweringContext } from './lowering';
import { castTo, optBool, optNumber, optString, reduceNode, scalar } from './lowerCommon';

type Ctx = OnnxLoweringContext;

/** torch's reduction, with the deprecated size_average / reduce flags taking precedence when given. */
function reductionOf(ctx: Ctx): 'mean' | 'sum' | 'none' {
  const flag = (name: string): boolean | null => {
    const v = ctx.args[name] !== undefined ? ctx.args[name] : ctx.attrs[name];
    return typeof v === 'boolean' ? v : null;
  };
  if (flag('size_average') !== null || flag('reduce') !== null) {
    if (flag('reduce') === false) return 'none';
    return flag('size_average') === false ? 'sum' : 'mean';
  }
  const r = optString(ctx, 'reduction', 'mean');
  return r === 'sum' || r === 'none' ? r : 'mean';
}

/** A tensor-valued option given to the function (`weight=`) or the module's constructor. */
function optTensor(ctx: Ctx, name: string): string | null {
  const direct = ctx.tensorArg(name);
  if (direct) return direct;
  const v = ctx.attrs[name];
  return v && typeof v === 'object' && !Array.isArray(v) && 'tensor' in v && typeof v.tensor === 'string' ? ctx.value(v.tensor) : null;
}

function reduceLoss(ctx: Ctx, loss: string, rank: number): void {
  const r = reductionOf(ctx);
  if (r === 'none') {
    ctx.node('Identity', [loss], {}, ctx.outputs);
    return;
  }
  const axes = Array.from({ length: rank }, (_, i) => i);
  if (rank === 0) ctx.node('Identity', [loss], {}, ctx.outputs);
  else reduceNode(ctx, r === 'mean' ? 'ReduceMean' : 'ReduceSum', loss, axes, false, ctx.outputs);
}

type Pointwise = (ctx: Ctx, x: string, t: string, dt: DType) => string;

/** Losses computed element by element, then reduced (mse, l1, smooth_l1, kl_div, bce, bce_with_logits). */
export function pointwiseLossLowering(kind: 'mse' | 'l1' | 'smooth_l1' | 'kl_div' | 'bce' | 'bce_logits'): OnnxLowering {
  const formulas: Record<typeof kind, Pointwise> = {
    mse: (c, x, t) => {
      const d = c.node('Sub', [x, t])[0]!;
      return c.node('Mul', [d, d])[0]!;
    },
    l1: (c, x, t) => c.node('Abs', [c.node('Sub', [x, t])[0]!])[0]!,
    smooth_l1: (c, x, t, dt) => {
      const beta = optNumber(c, 'beta', 1);
      const d = c.node('Abs', [c.node('Sub', [x, t])[0]!])[0]!;
      if (beta === 0) return d;
      const quad = c.node('Div', [c.node('Mul', [c.node('Mul', [d, d])[0]!, scalar(c, 0.5, dt)])[0]!, scalar(c, beta, dt)])[0]!;
      const lin = c.node('Sub', [d, scalar(c, 0.5 * beta, dt)])[0]!;
      return c.node('Where', [c.node('Less', [d, scalar(c, beta, dt)])[0]!, quad, lin])[0]!;
    },
    kl_div: (c, x, t, dt) => {
      if (optBool(c, 'log_target', false)) return c.node('Mul', [c.node('Exp', [t])[0]!, c.node('Sub', [t, x])[0]!])[0]!;
      // xlogy(t, t) − t·x, with 0·log 0 = 0.
      const pos = c.node('Greater', [t, scalar(c, 0, dt)])[0]!;
      const safe = c.node('Where', [pos, t, scalar(c, 1, dt)])[0]!;
      const tlogt = c.node('Mul', [t, c.node('Log', [safe])[0]!])[0]!;
      return c.node('Sub', [tlogt, c.node('Mul', [t, x])[0]!])[0]!;
    },
    bce: (c, x, t, dt) => {
      // torch clamps the logs at −100.
      const clampLog = (v: string): string => c.node('Max', [c.node('Log', [v])[0]!, scalar(c, -100, dt)])[0]!;
      const one = scalar(c, 1, dt);
      const a = c.node('Mul', [t, clampLog(x)])[0]!;
      const b = c.node('Mul', [c.node('Sub', [one, t])[0]!, clampLog(c.node('Sub', [one, x])[0]!)])[0]!;
      return c.node('Neg', [c.node('Add', [a, b])[0]!])[0]!;
    },
    bce_logits: (c, x, t, dt) => {
      // (1 − t)·x + (1 + (pw − 1)·t)·(log(1 + e^−|x|) + max(−x, 0))
      const one = scalar(c, 1, dt);
      const softplusNeg = c.node('Add', [
        c.node('Log', [c.node('Add', [one, c.node('Exp', [c.node('Neg', [c.node('Abs', [x])[0]!])[0]!])[0]!])[0]!])[0]!,
        c.node('Max', [c.node('Neg', [x])[0]!, scalar(c, 0, dt)])[0]!,
      ])[0]!;
      const pw = optTensor(c, 'pos_weight');
      const coef = pw ? c.node('Add', [one, c.node('Mul', [c.node('Sub', [pw, one])[0]!, t])[0]!])[0]! : one;
      return c.node('Add', [c.node('Mul', [c.node('Sub', [one, t])[0]!, x])[0]!, c.node('Mul', [coef, softplusNeg])[0]!])[0]!;
    },
  };
  return (ctx) => {
    const x = ctx.tensorArg('input') ?? ctx.fail('no input');
    const dt = ctx.dtype(x);
    const t = castTo(ctx, ctx.tensorArg('target') ?? ctx.fail('no target'), dt);
    let loss = formulas[kind](ctx, x, t, dt);
    const w = kind === 'bce' || kind === 'bce_logits' ? optTensor(ctx, 'weight') : null;
    if (w) loss = ctx.node('Mul', [loss, w])[0]!;
    reduceLoss(ctx, loss, ctx.shape(x).length);
  };
}

/** cross_entropy / nll_loss with class-index targets: ONNX SoftmaxCrossEntropyLoss / NegativeLogLikelihoodLoss. */
export function classLossLowering(kind: 'cross_entropy' | 'nll'): OnnxLowering {
  return (ctx) => {
    const x = ctx.tensorArg('input') ?? ctx.fail('no input');
    const target = ctx.tensorArg('target') ?? ctx.fail('no target');
    if (ctx.dtype(target).startsWith('float')) ctx.fail('probability targets are not exported (class indices only)');
    if (ctx.shape(x).length < 2) ctx.fail('unbatched class losses are not exported');
    if (kind === 'cross_entropy' && optNumber(ctx, 'label_smoothing', 0) !== 0) ctx.fail('label_smoothing is not exported');
    const w = optTensor(ctx, 'weight');
    const ins = [x, castTo(ctx, target, 'int64'), ...(w ? [w] : [])];
    const attrs = { reduction: attr.string(reductionOf(ctx)), ignore_index: attr.int(optNumber(ctx, 'ignore_index', -100)) };
    ctx.node(kind === 'cross_entropy' ? 'SoftmaxCrossEntropyLoss' : 'NegativeLogLikelihoodLoss', ins, attrs, [ctx.outputs[0]!]);
  };
}
