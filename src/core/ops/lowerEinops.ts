// ONNX lowerings of einops: Reshape → Transpose → Reduce* → Unsqueeze+Expand → Reshape, pack/unpack, Einsum, EinMix.
import { dim, Dim } from '../shape/dim';
import { PyValue } from './values';
import { BoundArgs } from './types';
import { argNumber, attr, LoweringArg, OnnxLowering, OnnxLoweringContext } from './lowering';
import { castTo, mainInput, opt, reduceNode, ONNX_TYPE } from './lowerCommon';
import { einopsRecipe, EinopsOperation } from './einopsPattern';
import { compactEinsum, einmixPlan } from './einopsPlans';

type Ctx = OnnxLoweringContext;

/** A serialised argument back as the Python value the op's rules read (strings, ints, dicts, lists). */
function pyOf(v: LoweringArg | undefined): PyValue {
  if (v === null || v === undefined) return { kind: 'none' };
  if (typeof v === 'string') return { kind: 'str', value: v };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'int', dim: dim(v) } : { kind: 'float', value: v };
  if (Array.isArray(v)) return { kind: 'list', items: v.map(pyOf) };
  const o = v as Record<string, LoweringArg>;
  if ('symbolic' in o) return typeof o.value === 'number' ? { kind: 'int', dim: dim(o.value) } : { kind: 'unknown', why: 'symbolic' };
  if ('tensor' in o) return { kind: 'unknown', why: 'tensor' };
  const entries = new Map<string, PyValue>();
  for (const [k, x] of Object.entries(o)) entries.set(k, pyOf(x));
  return { kind: 'dict', entries, keys: [...entries.keys()].map((k) => ({ kind: 'str', value: k })) };
}

function lengthsOf(ctx: Ctx): [string, Dim][] {
  const v = opt(ctx, 'axes_lengths');
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
  return Object.entries(v as Record<string, LoweringArg>).map(([k, x]) => [k, dim(argNumber(x) ?? ctx.fail(`the length of ${k} must be known`))]);
}

const REDUCE_OPS: Record<string, string> = {
  min: 'ReduceMin',
  max: 'ReduceMax',
  sum: 'ReduceSum',
  mean: 'ReduceMean',
  prod: 'ReduceProd',
  any: 'ReduceMax',
  all: 'ReduceMin',
};

/** rearrange / repeat / reduce and the Rearrange / Reduce layers, from the recipe on the concrete input shape. */
export const einopsLowering: OnnxLowering = (ctx) => {
  const pattern = opt(ctx, 'pattern');
  if (typeof pattern !== 'string') ctx.fail('the pattern must be a known string');
  const kind = ctx.op.endsWith('rearrange') || ctx.op.endsWith('Rearrange') ? 'rearrange' : ctx.op.endsWith('repeat') ? 'repeat' : 'reduce';
  let how: EinopsOperation = kind;
  if (kind === 'reduce') {
    const r = opt(ctx, 'reduction');
    if (typeof r !== 'string' || !(r in REDUCE_OPS)) ctx.fail('only the named reductions (min, max, sum, mean, prod, any, all) are exported, not a function');
    how = r as string;
  }
  // A list input is stacked on a new first axis.
  const list = ctx.tensorList('tensor');
  let x: string;
  if (list && list.length) {
    const ax = ctx.constInt64([0]);
    x = ctx.node(
      'Concat',
      list.map((t) => ctx.node('Unsqueeze', [t, ax])[0]!),
      { axis: attr.int(0) },
    )[0]!;
  } else x = mainInput(ctx);
  const inShape = list && list.length ? [list.length, ...ctx.shape(list[0]!)] : ctx.shape(x);
  const r = einopsRecipe(
    pattern as string,
    how,
    inShape.map((n) => dim(n)),
    lengthsOf(ctx),
  );
  const len = (i: number): number => r.axes[i]!.length.value ?? ctx.fail('an axis length is not static');
  const nIn = r.permutation.length;
  const elementary = Array.from({ length: nIn }, (_, i) => len(i));
  if (elementary.length !== inShape.length || elementary.some((n, i) => n !== inShape[i])) x = ctx.node('Reshape', [x, ctx.constInt64(elementary)])[0]!;
  if (r.permutation.some((p, i) => p !== i)) x = ctx.node('Transpose', [x], { perm: attr.ints(r.permutation) })[0]!;
  if (r.keep < nIn) {
    const axes = Array.from({ length: nIn - r.keep }, (_, i) => r.keep + i);
    const op = REDUCE_OPS[how as string]!;
    if (how === 'any' || how === 'all') {
      const asInt = ctx.node('Cast', [x], { to: attr.int(ONNX_TYPE.int32) })[0]!;
      x = ctx.node('Cast', [reduceNode(ctx, op, asInt, axes, false)], { to: attr.int(ONNX_TYPE.bool) })[0]!;
    } else x = reduceNode(ctx, op, x, axes, false);
  }
  // Axes repeat adds: unsqueeze at their output positions, then expand to their lengths.
  const added = r.outputOrder.map((k, pos) => (k >= nIn ? pos : -1)).filter((p) => p >= 0);
  if (added.length) {
    x = ctx.node('Unsqueeze', [x, ctx.constInt64(added)])[0]!;
    x = ctx.node('Expand', [x, ctx.constInt64(r.outputOrder.map((k) => len(k)))])[0]!;
  }
  const out = ctx.shape(ctx.outputs[0]!);
  ctx.node('Reshape', [x, ctx.constInt64(out)], {}, ctx.outputs);
};

/** pack: each input reshaped to [before…, -1, after…], then one Concat (the packed shapes are not tensors). */
export const packLowering: OnnxLowering = (ctx) => {
  const list = ctx.tensorList('tensors') ?? ctx.fail('pack needs a list of tensors');
  const pattern = opt(ctx, 'pattern');
  if (typeof pattern !== 'string') ctx.fail('the pattern must be a known string');
  const axes = (pattern as string).split(/\s+/).filter(Boolean);
  const before = axes.indexOf('*');
  const after = axes.length - before - 1;
  const dt = ctx.dtype(ctx.outputs[0]!);
  const parts = list.map((t) => {
    const s = ctx.shape(t);
    const target = [...s.slice(0, before), s.slice(before, s.length - after).reduce((a, b) => a * b, 1), ...s.slice(s.length - after)];
    return ctx.node('Reshape', [castTo(ctx, t, dt), ctx.constInt64(target)])[0]!;
  });
  ctx.node('Concat', parts, { axis: attr.int(before) }, [ctx.outputs[0]!]);
};

/** unpack: Split along the packed axis, then Reshape each piece to its shape. */
export const unpackLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const pattern = opt(ctx, 'pattern');
  if (typeof pattern !== 'string') ctx.fail('the pattern must be a known string');
  const before = (pattern as string).split(/\s+/).filter(Boolean).indexOf('*');
  const sizes = ctx.outputs.map((o) => ctx.shape(o));
  const inShape = ctx.shape(x);
  const after = inShape.length - before - 1;
  const lens = sizes.map((s) => s.slice(before, s.length - after).reduce((a, b) => a * b, 1));
  const pieces = ctx.node('Split', [x, ctx.constInt64(lens)], { axis: attr.int(before) }, lens.length);
  pieces.forEach((p, i) => ctx.node('Reshape', [p, ctx.constInt64(sizes[i]!)], {}, [ctx.outputs[i]!]));
};

/** einops.einsum: the named-axes pattern compacted to letters, one Einsum node. */
export const einopsEinsumLowering: OnnxLowering = (ctx) => {
  const all = opt(ctx, 'tensors_and_pattern');
  const pattern = Array.isArray(all) ? all[all.length - 1] : null;
  if (typeof pattern !== 'string') ctx.fail('the pattern must be a known string');
  const dt = ctx.dtype(ctx.outputs[0]!);
  ctx.node(
    'Einsum',
    ctx.inputs.map((t) => castTo(ctx, t, dt)),
    { equation: attr.string(compactEinsum(pattern as string)) },
    ctx.outputs,
  );
};

/** EinMix: Reshape (ungroup the input) → Einsum with the weight → + bias → Reshape to the output. */
export const einmixLowering: OnnxLowering = (ctx) => {
  const attrs: Record<string, PyValue> = {};
  for (const [k, v] of Object.entries(ctx.attrs)) attrs[k] = pyOf(v);
  const plan = einmixPlan(attrs as BoundArgs);
  let x = mainInput(ctx);
  if (plan.pre) {
    const r = einopsRecipe(
      plan.pre.pattern,
      'rearrange',
      ctx.shape(x).map((n) => dim(n)),
      plan.pre.lengths,
    );
    x = ctx.node('Reshape', [x, ctx.constInt64(r.output.map((d) => d.value ?? ctx.fail('a length is not static')))])[0]!;
  }
  const w = ctx.param('weight') ?? ctx.fail('EinMix has no weight');
  let y = ctx.node('Einsum', [x, w], { equation: attr.string(plan.equation) })[0]!;
  const b = plan.biasShape ? ctx.param('bias') : null;
  if (b) y = ctx.node('Add', [y, b])[0]!;
  ctx.node('Reshape', [y, ctx.constInt64(ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
};
