// In-graph summaries of a tapped tensor for runs: its statistics as one float vector (float64, or float32 where the runtime has no float64 kernels), and a feature map of batch item 0, so a run fetches a few numbers instead of whole activations.
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

/** The float type the statistics are computed and returned in: float64, or float32 for runtimes without float64 kernels (onnxruntime-web's WebGPU build). */
export type StatsDtype = 'float32' | 'float64';

/** Row length for two-stage means: the largest divisor of `n` up to 4096 (float32 means of rows, then float64). */
function rowLength(n: number): number {
  for (let r = Math.min(4096, n); r > 1; r--) if (n % r === 0) return r;
  return 1;
}

const ONNX_TYPE: Record<StatsDtype, number> = { float32: 1, float64: 11 };
const castTo = (ctx: Ctx, t: string, to: StatsDtype): string => ctx.node('Cast', [t], { to: attr.int(ONNX_TYPE[to]) })[0]!;
const ALL = [0, 1, 2];
/** Figures kept as [1, 1, 1] (keepdims) are joined along the last axis, then flattened to the [6] vector. */
const vector = (ctx: Ctx, parts: readonly string[]): string =>
  ctx.node('Reshape', [ctx.node('Concat', parts, { axis: attr.int(2) })[0]!, shapeConst(ctx, [STATS_VECTOR.length])])[0]!;
const figure = (ctx: Ctx, v: number, sd: StatsDtype): string => ctx.constFloat([v], [1, 1, 1], sd);

/**
 * The mean of float32 `t` ([1, R, r]) as [1, 1, 1] in `sd`. Row means by GlobalAveragePool (the runtime's fastest
 * reduction); in float64 the row means are then averaged in float64; in float32 they are averaged the same way,
 * rows of up to 4096 at a time, so no float32 sum runs over more than 4096 terms (a prime count ends in one ReduceMean).
 */
function meanOfRows(ctx: Ctx, t: string, rowCount: number, sd: StatsDtype): string {
  let means = ctx.node('GlobalAveragePool', [t])[0]!;
  if (sd === 'float64') return reduceNode(ctx, 'ReduceMean', castTo(ctx, means, 'float64'), ALL, true);
  let count = rowCount;
  while (count > 1) {
    const r = rowLength(count);
    if (r === 1) return reduceNode(ctx, 'ReduceMean', means, ALL, true);
    means = ctx.node('GlobalAveragePool', [ctx.node('Reshape', [means, shapeConst(ctx, [1, count / r, r])])[0]!])[0]!;
    count /= r;
  }
  return ctx.node('Reshape', [means, shapeConst(ctx, [1, 1, 1])])[0]!;
}

/**
 * The statistics of `x` written to `out` (`sd` [6], see STATS_VECTOR). The usual case reads the tensor four
 * times and writes it twice: min, max, the mean, then the mean of squared deviations from it (row means of up to
 * 4096 elements by GlobalAveragePool, the runtime's fastest reduction, finished in float64), so the std is the
 * two-pass one, free of cancellation. When a mean is not finite (a NaN or ±Inf element, or a float32 overflow),
 * an `If` branch recomputes every figure in `sd` over the finite elements only and counts the others. In float32
 * the counts are exact up to 2^24 elements (statsFromVector takes the count from the dims when it has them).
 */
export function lowerTensorStats(ctx: Ctx, x: string, out: string, sd: StatsDtype = 'float64'): void {
  const shape = ctx.shape(x);
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) {
    ctx.node('Identity', [ctx.constFloat([0, NaN, NaN, NaN, NaN, 0], [STATS_VECTOR.length], sd)], {}, [out]);
    return;
  }
  const dt = ctx.dtype(x);
  // float32 stays float32 (the fast path); half types widen to float32, everything else (ints, bool, float64) to `sd`
  const work: DType = dt === 'float32' || dt === 'float16' || dt === 'bfloat16' ? 'float32' : sd;
  const w = dt === work ? x : castTo(ctx, x, work === 'float32' ? 'float32' : 'float64');
  const r = rowLength(n);
  const rows = ctx.node('Reshape', [w, shapeConst(ctx, [1, n / r, r])])[0]!;
  // [1, R, r] → [1, R, 1] row means → [1, 1, 1]: the mean of equal-length row means is the mean
  const meanOf = (t: string): string =>
    work === 'float32' ? meanOfRows(ctx, t, n / r, sd) : reduceNode(ctx, 'ReduceMean', reduceNode(ctx, 'ReduceMean', t, [2], true), ALL, true);
  const mean = meanOf(rows);
  // deviations from the mean as the working dtype holds it (off by δ ≤ half an ulp, which adds δ² to the variance)
  const shift = work === sd ? mean : castTo(ctx, mean, 'float32');
  const dev = ctx.node('Sub', [rows, shift])[0]!;
  const meanSq = meanOf(ctx.node('Mul', [dev, dev])[0]!);
  const std = ctx.node('Sqrt', [meanSq])[0]!;
  const minMax0 = ctx.node('Concat', [reduceNode(ctx, 'ReduceMin', rows, ALL, true), reduceNode(ctx, 'ReduceMax', rows, ALL, true)], { axis: attr.int(2) })[0]!;
  const minMax = work === sd ? minMax0 : castTo(ctx, minMax0, sd);
  const finite = vector(ctx, [figure(ctx, n, sd), mean, std, minMax, figure(ctx, 0, sd)]);
  // mean + meanSq is finite exactly when every element (and every partial sum) is: a NaN or ±Inf poisons both
  const check = ctx.node('Add', [mean, meanSq])[0]!;
  const bad = ctx.node('IsNaN', [ctx.node('Sub', [check, check])[0]!])[0]!;
  const types = [{ dtype: sd, dims: [STATS_VECTOR.length] }];
  const exact = ctx.subgraph('nonfinite', types, (sub) => [exactStats(sub, rows, n, work, sd)]);
  const fast = ctx.subgraph('finite', types, (sub) => [sub.node('Identity', [finite])[0]!]);
  ctx.node('If', [bad], { then_branch: attr.graph(exact), else_branch: attr.graph(fast) }, [out]);
}

/** The statistics of the finite elements of `rows` ([1, R, r]), in `sd`, and the count of the others. */
function exactStats(ctx: Ctx, rows: string, n: number, work: DType, sd: StatsDtype): string {
  const x = work === sd ? rows : castTo(ctx, rows, sd);
  const fig = (v: number): string => figure(ctx, v, sd);
  const nonFinite = ctx.node('IsNaN', [ctx.node('Sub', [x, x])[0]!])[0]!;
  const where = (fill: number, t = x): string => ctx.node('Where', [nonFinite, fig(fill), t])[0]!;
  const bad = reduceNode(ctx, 'ReduceSum', castTo(ctx, nonFinite, sd), ALL, true);
  const count = ctx.node('Sub', [fig(n), bad])[0]!;
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
