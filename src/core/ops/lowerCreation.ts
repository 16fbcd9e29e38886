// ONNX lowerings of tensor creation inside forward: filled tensors, arange/linspace/eye and literals as constants (random ones are refused).
import { argNumber, LoweringArg, OnnxLowering, OnnxLoweringContext } from './lowering';
import { fillLowering } from './lowerElementwise';
import { opt, optNumber } from './lowerCommon';

type Ctx = OnnxLoweringContext;

/** The output as a constant initializer holding `values`. */
function emitConstant(ctx: Ctx, values: readonly number[]): void {
  const out = ctx.outputs[0]!;
  const dims = ctx.shape(out);
  const dt = ctx.dtype(out);
  const c = dt === 'int64' ? ctx.constInt64(values, dims) : ctx.constFloat(values, dims, dt);
  ctx.node('Identity', [c], {}, ctx.outputs);
}

/** zeros / ones / empty (as zeros) / full and their *_like and new_* forms. */
export function filledLowering(value: number | 'fill_value'): OnnxLowering {
  return fillLowering(value);
}

/** torch.arange(end) or (start, end, step): start + i·step for each output element. */
export const arangeLowering: OnnxLowering = (ctx) => {
  const endArg = opt(ctx, 'end');
  const hasEnd = endArg !== null && endArg !== undefined;
  const start = hasEnd ? optNumber(ctx, 'start', 0) : 0;
  const step = optNumber(ctx, 'step', 1);
  const n = ctx.shape(ctx.outputs[0]!)[0] ?? 0;
  emitConstant(
    ctx,
    Array.from({ length: n }, (_, i) => start + i * step),
  );
};

/** torch.linspace(start, end, steps). */
export const linspaceLowering: OnnxLowering = (ctx) => {
  const start = optNumber(ctx, 'start', 0);
  const end = optNumber(ctx, 'end', 0);
  const n = ctx.shape(ctx.outputs[0]!)[0] ?? 0;
  emitConstant(
    ctx,
    Array.from({ length: n }, (_, i) => (n === 1 ? start : start + ((end - start) * i) / (n - 1))),
  );
};

/** torch.eye(n, m). */
export const eyeLowering: OnnxLowering = (ctx) => {
  const [n, m] = ctx.shape(ctx.outputs[0]!) as [number, number];
  emitConstant(
    ctx,
    Array.from({ length: n * m }, (_, k) => (Math.floor(k / m) === k % m ? 1 : 0)),
  );
};

/** torch.tensor(data) with a literal (nested lists of numbers). */
export const literalLowering: OnnxLowering = (ctx) => {
  const flat: number[] = [];
  const walk = (v: LoweringArg | undefined): void => {
    if (Array.isArray(v)) for (const x of v as readonly LoweringArg[]) walk(x);
    else {
      const n = argNumber(v ?? null);
      if (n === null) ctx.fail('the tensor literal holds values that are not known numbers');
      flat.push(n as number);
    }
  };
  walk(opt(ctx, 'data'));
  emitConstant(ctx, flat);
};
