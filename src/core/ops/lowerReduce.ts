// ONNX lowerings of reductions: sum/mean/amax…, var/std, argmax/argmin, max/min, all/any, cumsum, norms, topk/sort.
import { argNumber, attr, normDim, OnnxLowering } from './lowering';
import { castTo, isFloat, mainInput, ONNX_TYPE, opt, optBool, optNumber, reduceAxes, reduceNode, scalar, shapeConst } from './lowerCommon';

/** sum / mean / amax / amin / prod / logsumexp over `dim` with `keepdim`. */
export function reduceLowering(opType: string): OnnxLowering {
  return (ctx) => {
    const out = ctx.outputs[0]!;
    const outDt = ctx.dtype(out);
    const x = castTo(ctx, mainInput(ctx), isFloat(outDt) || opType !== 'ReduceMean' ? outDt : 'float32');
    const rank = ctx.shape(x).length;
    if (rank === 0) {
      ctx.node('Identity', [x], {}, ctx.outputs);
      return;
    }
    reduceNode(ctx, opType, x, reduceAxes(ctx, rank), optBool(ctx, 'keepdim', false), ctx.outputs);
  };
}

/** var / std with `correction` (or legacy `unbiased`). */
export function varianceLowering(std: boolean): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const dt = ctx.dtype(x);
    const shape = ctx.shape(x);
    const axes = reduceAxes(ctx, shape.length);
    const n = axes.reduce((a, ax) => a * shape[ax]!, 1);
    const corrArg = opt(ctx, 'correction');
    const correction = corrArg !== null && corrArg !== undefined ? (argNumber(corrArg) ?? 1) : optBool(ctx, 'unbiased', true) ? 1 : 0;
    const mean = reduceNode(ctx, 'ReduceMean', x, axes, true);
    const d = ctx.node('Sub', [x, mean])[0]!;
    const sq = ctx.node('Mul', [d, d])[0]!;
    const sum = reduceNode(ctx, 'ReduceSum', sq, axes, optBool(ctx, 'keepdim', false));
    const v = ctx.node('Div', [sum, scalar(ctx, Math.max(n - correction, 0), dt)])[0]!;
    ctx.node(std ? 'Sqrt' : 'Identity', [v], {}, ctx.outputs);
  };
}

/** argmax / argmin over `dim` (None: over the flattened tensor). */
export function argReduceLowering(opType: 'ArgMax' | 'ArgMin'): OnnxLowering {
  return (ctx) => {
    let x = mainInput(ctx);
    const d = opt(ctx, 'dim');
    const keep = optBool(ctx, 'keepdim', false);
    if (d === null || d === undefined) {
      x = ctx.node('Reshape', [x, shapeConst(ctx, [-1])])[0]!;
      ctx.node(opType, [x], { axis: attr.int(0), keepdims: attr.int(0) }, ctx.outputs);
      return;
    }
    const axis = normDim(argNumber(d) ?? ctx.fail('dim must be known'), ctx.shape(x).length);
    ctx.node(opType, [x], { axis: attr.int(axis), keepdims: attr.int(keep ? 1 : 0) }, ctx.outputs);
  };
}

/** torch.max/min: over everything, (values, indices) along `dim`, or element-wise with `other`. */
export function maxMinLowering(which: 'max' | 'min'): OnnxLowering {
  const [reduce, arg, elementwise] = which === 'max' ? ['ReduceMax', 'ArgMax', 'Max'] : ['ReduceMin', 'ArgMin', 'Min'];
  return (ctx) => {
    const x = mainInput(ctx);
    // torch.max(a, b) puts the second tensor in `dim` (positional) or `other`: element-wise.
    const other = ctx.tensorArg('other') ?? ctx.tensorArg('dim');
    if (other) {
      const dt = ctx.dtype(ctx.outputs[0]!);
      ctx.node(elementwise, [castTo(ctx, x, dt), castTo(ctx, other, dt)], {}, ctx.outputs);
      return;
    }
    const d = opt(ctx, 'dim');
    const rank = ctx.shape(x).length;
    if (d === null || d === undefined) {
      reduceNode(
        ctx,
        reduce,
        x,
        Array.from({ length: rank }, (_, i) => i),
        false,
        ctx.outputs,
      );
      return;
    }
    const axis = normDim(argNumber(d) ?? ctx.fail('dim must be known'), rank);
    const keep = optBool(ctx, 'keepdim', false);
    reduceNode(ctx, reduce, x, [axis], keep, [ctx.outputs[0]!]);
    if (ctx.outputs[1]) ctx.node(arg, [x], { axis: attr.int(axis), keepdims: attr.int(keep ? 1 : 0) }, [ctx.outputs[1]]);
  };
}

/** cumsum(dim). */
export const cumsumLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const axis = normDim(optNumber(ctx, 'dim', 0), ctx.shape(x).length);
  ctx.node('CumSum', [castTo(ctx, x, ctx.dtype(ctx.outputs[0]!)), ctx.constInt64([axis], [])], {}, ctx.outputs);
};

/** Vector p-norm over `dim` (p = 2 or 1; 'fro' is 2). */
export const normLowering: OnnxLowering = (ctx) => {
  const p = opt(ctx, 'p');
  const pv = p === 'fro' || p === null || p === undefined ? 2 : argNumber(p);
  if (pv !== 1 && pv !== 2) ctx.fail(`only p=1 and p=2 norms lower to ONNX, got p=${String(p)}`);
  const x = mainInput(ctx);
  reduceNode(ctx, pv === 2 ? 'ReduceL2' : 'ReduceL1', x, reduceAxes(ctx, ctx.shape(x).length), optBool(ctx, 'keepdim', false), ctx.outputs);
};

/** all / any: non-zero tests reduced with Min / Max over int32 (Reduce* has no bool form in opset 17). */
export function allAnyLowering(which: 'all' | 'any'): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const rank = ctx.shape(x).length;
    const nz = ctx.dtype(x) === 'bool' ? x : ctx.node('Not', [ctx.node('Equal', [x, castTo(ctx, ctx.constInt64([0], []), ctx.dtype(x))])[0]!])[0]!;
    const asInt = ctx.node('Cast', [nz], { to: attr.int(6) })[0]!;
    const reduced =
      rank === 0 ? asInt : reduceNode(ctx, which === 'all' ? 'ReduceMin' : 'ReduceMax', asInt, reduceAxes(ctx, rank), optBool(ctx, 'keepdim', false));
    ctx.node('Cast', [reduced], { to: attr.int(9) }, ctx.outputs);
  };
}

/** topk / sort / argsort through TopK (sort: k = the dim's size; argsort keeps the indices only). */
export function topkLowering(kind: 'topk' | 'sort' | 'argsort'): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const shape = ctx.shape(x);
    const axis = normDim(optNumber(ctx, 'dim', -1), shape.length);
    const k = kind === 'topk' ? optNumber(ctx, 'k', 1) : shape[axis]!;
    const largest = kind === 'topk' ? optBool(ctx, 'largest', true) : optBool(ctx, 'descending', false);
    const attrs = { axis: attr.int(axis), largest: attr.int(largest ? 1 : 0), sorted: attr.int(1) };
    if (kind === 'argsort') {
      const [, indices] = ctx.node('TopK', [x, ctx.constInt64([k])], attrs, 2);
      ctx.node('Identity', [indices!], {}, ctx.outputs);
    } else ctx.node('TopK', [x, ctx.constInt64([k])], attrs, ctx.outputs);
  };
}

/** nansum / nanmean: NaNs count as zero in the sum; nanmean divides by the non-NaN count. */
export function nanReduceLowering(which: 'sum' | 'mean'): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const dt = ctx.dtype(ctx.outputs[0]!);
    const rank = ctx.shape(x).length;
    const axes = reduceAxes(ctx, rank);
    const keep = optBool(ctx, 'keepdim', false);
    const nan = ctx.node('IsNaN', [x])[0]!;
    const clean = ctx.node('Where', [nan, scalar(ctx, 0, dt), castTo(ctx, x, dt)])[0]!;
    const sum = reduceNode(ctx, 'ReduceSum', clean, axes, keep, which === 'sum' ? ctx.outputs : undefined);
    if (which === 'sum') return;
    const count = reduceNode(ctx, 'ReduceSum', ctx.node('Cast', [ctx.node('Not', [nan])[0]!], { to: attr.int(ONNX_TYPE[dt]) })[0]!, axes, keep);
    ctx.node('Div', [sum, count], {}, ctx.outputs);
  };
}

/** median: the lower middle value (torch's choice) via an ascending TopK over the whole dim; dim=None flattens. */
export const medianLowering: OnnxLowering = (ctx) => {
  let x = mainInput(ctx);
  const shape = ctx.shape(x);
  const d = opt(ctx, 'dim');
  const flat = d === null || d === undefined;
  if (flat) x = ctx.node('Reshape', [x, shapeConst(ctx, [-1])])[0]!;
  const n = flat ? shape.reduce((a, b) => a * b, 1) : shape[normDim(argNumber(d) ?? 0, shape.length)]!;
  const axis = flat ? 0 : normDim(argNumber(d) ?? 0, shape.length);
  const [vals, idx] = ctx.node('TopK', [x, ctx.constInt64([n])], { axis: attr.int(axis), largest: attr.int(0), sorted: attr.int(1) }, 2);
  const mid = ctx.constInt64([Math.floor((n - 1) / 2)], []);
  // The Reshape to the output's shape covers keepdim and dim=None alike.
  const pick = (t: string, out: string): void => {
    const g = ctx.node('Gather', [t, mid], { axis: attr.int(axis) })[0]!;
    ctx.node('Reshape', [g, shapeConst(ctx, ctx.shape(out))], {}, [out]);
  };
  pick(vals!, ctx.outputs[0]!);
  if (ctx.outputs[1]) pick(idx!, ctx.outputs[1]);
};
