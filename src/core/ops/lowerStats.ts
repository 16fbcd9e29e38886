// In-graph summaries of a tapped tensor for runs: its statistics as one float64 vector, and a feature map of batch item 0, so a run fetches a few numbers instead of whole activations.
import type { DType } from '../shape/shape';
import { attr, OnnxLoweringContext } from './lowering';
import { reduceNode, shapeConst } from './lowerCommon';

type Ctx = OnnxLoweringContext;

/**
 * The statistics vector's entries, in order (float64): the same figures as core/run/tensorStats — count of
 * finite elements, their mean, population std, min and max, and the count of NaN/±Inf elements.
 */
export const STATS_VECTOR = ['count', 'mean', 'std', 'min', 'max', 'nonFinite'] as const;

/** Name of the bool scalar graph input that turns the summaries on (false: the model alone, for timing). */
export const SUMMARY_GATE = 'summaries';

/** Row length for two-stage means: the largest divisor of `n` up to 4096 (float32 means of rows, then float64). */
function rowLength(n: number): number {
  for (let r = Math.min(4096, n); r > 1; r--) if (n % r === 0) return r;
  return 1;
}

const toDouble = (ctx: Ctx, t: string): string => ctx.node('Cast', [t], { to: attr.int(11) })[0]!;
const ALL = [0, 1, 2];
/** Figures kept as [1, 1, 1] (keepdims) are joined along the last axis, then flattened to the [6] vector. */
const vector = (ctx: Ctx, parts: readonly string[]): string =>
  ctx.node('Reshape', [ctx.node('Concat', parts, { axis: attr.int(2) })[0]!, shapeConst(ctx, [STATS_VECTOR.length])])[0]!;
const figure = (ctx: Ctx, v: number): string => ctx.constFloat([v], [1, 1, 1], 'float64');

/**
 * The statistics of `x` written to `out` (float64 [6], see STATS_VECTOR). The usual case reads the tensor four
 * times and writes it twice: min, max, the mean, then the mean of squared deviations from it (row means of up to
 * 4096 elements by GlobalAveragePool, the runtime's fastest reduction, finished in float64), so the std is the
 * two-pass one, free of cancellation. When a mean is not finite (a NaN or ±Inf element, or a float32 overflow),
 * an `If` branch recomputes every figure in float64 over the finite elements only and counts the others.
 */
export function lowerTensorStats(ctx: Ctx, x: string, out: string): void {
  const shape = ctx.shape(x);
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) {
    ctx.node('Identity', [ctx.constFloat([0, NaN, NaN, NaN, NaN, 0], [STATS_VECTOR.length], 'float64')], {}, [out]);
    return;
  }
  const dt = ctx.dtype(x);
  // float32 stays float32 (the fast path); half types widen to float32, everything else (ints, bool, float64) to float64
  const work: DType = dt === 'float32' || dt === 'float16' || dt === 'bfloat16' ? 'float32' : 'float64';
  const w = dt === work ? x : ctx.node('Cast', [x], { to: attr.int(work === 'float32' ? 1 : 11) })[0]!;
  const r = rowLength(n);
  const rows = ctx.node('Reshape', [w, shapeConst(ctx, [1, n / r, r])])[0]!;
  // [1, R, r] → [1, R, 1] row means → [1, 1, 1]: the mean of equal-length row means is the mean
  const meanOf = (t: string): string => {
    const rowMeans = work === 'float32' ? toDouble(ctx, ctx.node('GlobalAveragePool', [t])[0]!) : reduceNode(ctx, 'ReduceMean', t, [2], true);
    return reduceNode(ctx, 'ReduceMean', rowMeans, ALL, true);
  };
  const mean = meanOf(rows);
  // deviations from the mean as the working dtype holds it (off by δ ≤ half an ulp, which adds δ² to the variance)
  const shift = work === 'float64' ? mean : ctx.node('Cast', [mean], { to: attr.int(1) })[0]!;
  const dev = ctx.node('Sub', [rows, shift])[0]!;
  const meanSq = meanOf(ctx.node('Mul', [dev, dev])[0]!);
  const std = ctx.node('Sqrt', [meanSq])[0]!;
  const minMax = toDouble(
    ctx,
    ctx.node('Concat', [reduceNode(ctx, 'ReduceMin', rows, ALL, true), reduceNode(ctx, 'ReduceMax', rows, ALL, true)], { axis: attr.int(2) })[0]!,
  );
  const finite = vector(ctx, [figure(ctx, n), mean, std, minMax, figure(ctx, 0)]);
  // mean + meanSq is finite exactly when every element (and every partial sum) is: a NaN or ±Inf poisons both
  const check = ctx.node('Add', [mean, meanSq])[0]!;
  const bad = ctx.node('IsNaN', [ctx.node('Sub', [check, check])[0]!])[0]!;
  const types = [{ dtype: 'float64' as const, dims: [STATS_VECTOR.length] }];
  const exact = ctx.subgraph('nonfinite', types, (sub) => [exactStats(sub, rows, n)]);
  const fast = ctx.subgraph('finite', types, (sub) => [sub.node('Identity', [finite])[0]!]);
  ctx.node('If', [bad], { then_branch: attr.graph(exact), else_branch: attr.graph(fast) }, [out]);
}

/** The statistics of the finite elements of `rows` ([1, R, r]), in float64, and the count of the others. */
function exactStats(ctx: Ctx, rows: string, n: number): string {
  const x = toDouble(ctx, rows);
  const nonFinite = ctx.node('IsNaN', [ctx.node('Sub', [x, x])[0]!])[0]!;
  const where = (fill: number, t = x): string => ctx.node('Where', [nonFinite, figure(ctx, fill), t])[0]!;
  const bad = reduceNode(ctx, 'ReduceSum', toDouble(ctx, nonFinite), ALL, true);
  const count = ctx.node('Sub', [figure(ctx, n), bad])[0]!;
  const mean = ctx.node('Div', [reduceNode(ctx, 'ReduceSum', where(0), ALL, true), count])[0]!;
  const min = reduceNode(ctx, 'ReduceMin', where(Infinity), ALL, true);
  const max = reduceNode(ctx, 'ReduceMax', where(-Infinity), ALL, true);
  const dev = where(0, ctx.node('Sub', [x, mean])[0]!);
  const std = ctx.node('Sqrt', [ctx.node('Div', [reduceNode(ctx, 'ReduceSumSquare', dev, ALL, true), count])[0]!])[0]!;
  return vector(ctx, [count, mean, std, min, max, bad]);
}

/**
 * The shape of the feature map `lowerFeatureMap` writes for a tensor of `shape`, or null when the run panel
 * draws none: [N, C, H, W] → [1, 1, H, W]; [N, L, D] → [1, L, D]; [N, F] → [1, F]; [F] as is.
 */
export function featureMapShape(shape: readonly number[]): number[] | null {
  if (shape.some((d) => d === 0)) return null;
  if (shape.length === 4) return [1, 1, shape[2]!, shape[3]!];
  if (shape.length === 3 || shape.length === 2) return [1, ...shape.slice(1)];
  if (shape.length === 1) return [...shape];
  return null;
}

/**
 * The part of `x` the run panel's heatmap reads (webview/runPanel/featureMap.ts), reduced as far as it reduces it:
 * batch item 0, and for [N, C, H, W] the mean |x| over channels. Float32, shape `featureMapShape(shape)`.
 */
export function lowerFeatureMap(ctx: Ctx, x: string, out: string): void {
  const shape = ctx.shape(x);
  const x32 = ctx.dtype(x) === 'float32' ? x : ctx.node('Cast', [x], { to: attr.int(1) })[0]!;
  if (shape.length === 1) {
    ctx.node('Identity', [x32], {}, [out]);
    return;
  }
  if (featureMapShape(shape) === null) ctx.fail(`no feature map for a tensor of shape [${shape.join(', ')}]`);
  const first = ctx.node('Slice', [x32, ctx.constInt64([0]), ctx.constInt64([1]), ctx.constInt64([0])])[0]!;
  if (shape.length !== 4) {
    ctx.node('Identity', [first], {}, [out]);
    return;
  }
  const l1 = reduceNode(ctx, 'ReduceL1', first, [1], true);
  ctx.node('Div', [l1, ctx.constFloat([Math.max(1, shape[1]!)], [], 'float32')], {}, [out]);
}
