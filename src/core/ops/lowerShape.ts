// ONNX lowerings of shape ops: transpose/permute, expand/tile, cat/stack/split, and tensor indexing.
import { argInts, argNumber, attr, LoweringArg, normDim, OnnxLowering, OnnxLoweringContext } from './lowering';
import { castTo, mainInput, opt, optNumber, shapeConst } from './lowerCommon';

type Ctx = OnnxLoweringContext;

/** Transpose that swaps two dims (`transpose`, `swapaxes`, `t`). */
export function swapLowering(d0: string, d1: string): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const rank = ctx.shape(x).length;
    const a = rank < 2 ? 0 : normDim(optNumber(ctx, d0, 0), rank);
    const b = rank < 2 ? 0 : normDim(optNumber(ctx, d1, 1), rank);
    const perm = Array.from({ length: rank }, (_, i) => i);
    perm[a] = b;
    perm[b] = a;
    ctx.node('Transpose', [x], { perm: attr.ints(perm) }, ctx.outputs);
  };
}

/** `permute(*dims)` / `torch.permute(x, dims)`. */
export const permuteLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const rank = ctx.shape(x).length;
  const raw = opt(ctx, 'dims');
  const flat = Array.isArray(raw) && raw.length === 1 && Array.isArray(raw[0]) ? raw[0] : raw;
  const dims = argInts(flat, rank) ?? ctx.fail('permute needs known dims');
  ctx.node('Transpose', [x], { perm: attr.ints(dims.map((d) => normDim(d, rank))) }, ctx.outputs);
};

/** expand / expand_as / broadcast_to: Expand to the output's shape. */
export const expandLowering: OnnxLowering = (ctx) => {
  ctx.node('Expand', [mainInput(ctx), shapeConst(ctx, ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
};

/** repeat / tile: Tile after left-padding the input's rank with ones. */
export const tileLowering: OnnxLowering = (ctx) => {
  let x = mainInput(ctx);
  const inShape = ctx.shape(x);
  const outShape = ctx.shape(ctx.outputs[0]!);
  const padded = [...Array(outShape.length - inShape.length).fill(1), ...inShape];
  if (padded.length !== inShape.length) x = ctx.node('Reshape', [x, shapeConst(ctx, padded)])[0]!;
  const reps = outShape.map((d, i) => (padded[i] === 0 ? 1 : d / padded[i]!));
  ctx.node('Tile', [x, shapeConst(ctx, reps)], {}, ctx.outputs);
};

/** torch.cat(tensors, dim). */
export const concatLowering: OnnxLowering = (ctx) => {
  const list = ctx.tensorList('tensors') ?? ctx.inputs;
  const outDt = ctx.dtype(ctx.outputs[0]!);
  // torch skips 1-d empty tensors in cat (legacy behaviour); ONNX would reject the rank mismatch.
  const parts = list.filter((t) => !(ctx.shape(t).length === 1 && ctx.shape(t)[0] === 0)).map((t) => castTo(ctx, t, outDt));
  const rank = ctx.shape(ctx.outputs[0]!).length;
  const axis = normDim(optNumber(ctx, 'dim', 0), rank);
  ctx.node('Concat', parts, { axis: attr.int(axis) }, ctx.outputs);
};

/** torch.stack(tensors, dim): Unsqueeze each, then Concat. */
export const stackLowering: OnnxLowering = (ctx) => {
  const list = ctx.tensorList('tensors') ?? ctx.inputs;
  const rank = ctx.shape(ctx.outputs[0]!).length;
  const axis = normDim(optNumber(ctx, 'dim', 0), rank);
  const ax = ctx.constInt64([axis]);
  const parts = list.map((t) => ctx.node('Unsqueeze', [t, ax])[0]!);
  ctx.node('Concat', parts, { axis: attr.int(axis) }, ctx.outputs);
};

/** chunk / split / unbind: Split along `dim` into the outputs' sizes (unbind squeezes the dim). */
export function splitLowering(squeeze = false): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const rank = ctx.shape(x).length;
    const axis = normDim(optNumber(ctx, 'dim', 0), rank);
    const sizes = ctx.outputs.map((o) => (squeeze ? 1 : ctx.shape(o)[axis]!));
    if (!squeeze) {
      ctx.node('Split', [x, ctx.constInt64(sizes)], { axis: attr.int(axis) }, ctx.outputs);
      return;
    }
    const parts = ctx.node('Split', [x, ctx.constInt64(sizes)], { axis: attr.int(axis) }, sizes.length);
    const ax = ctx.constInt64([axis]);
    parts.forEach((p, i) => ctx.node('Squeeze', [p, ax], {}, [ctx.outputs[i]!]));
  };
}

// indexing

type IndexItem =
  | { kind: 'int'; i: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'tensor'; name: string }
  | { kind: 'list'; values: number[] };

function indexItem(ctx: Ctx, v: LoweringArg): IndexItem {
  if (v === null) return { kind: 'none' };
  if (v === '...') return { kind: 'ellipsis' };
  const n = argNumber(v);
  if (n !== null && typeof v !== 'boolean') return { kind: 'int', i: n };
  if (Array.isArray(v)) {
    const nums = (v as readonly LoweringArg[]).map(argNumber);
    if (nums.every((x) => x !== null)) return { kind: 'list', values: nums as number[] };
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { readonly [k: string]: LoweringArg };
    if ('ellipsis' in o) return { kind: 'ellipsis' };
    if ('slice' in o && Array.isArray(o.slice)) {
      const [a, b, c] = o.slice as readonly LoweringArg[];
      return { kind: 'slice', start: argNumber(a ?? null), stop: argNumber(b ?? null), step: argNumber(c ?? null) ?? 1 };
    }
    if ('tensor' in o && typeof o.tensor === 'string') return { kind: 'tensor', name: ctx.value(o.tensor) };
  }
  return ctx.fail(`index item ${JSON.stringify(v)} is not supported for export`);
}

/**
 * `x[...]` with ints, slices (`{ slice: [start, stop, step] }`), None, Ellipsis and one integer
 * index tensor or list: one Slice, at most one Gather, then a Reshape to the output's shape
 * (which drops int-indexed dims and inserts None dims).
 */
export const getitemLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const shape = ctx.shape(x);
  const raw = ctx.args.index;
  const items = (Array.isArray(raw) ? (raw as readonly LoweringArg[]) : [raw ?? null]).map((v) => indexItem(ctx, v));
  const consumes = (it: IndexItem): number => (it.kind === 'none' || it.kind === 'ellipsis' ? 0 : 1);
  const used = items.reduce((a, it) => a + consumes(it), 0);
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  const gathers: { axis: number; index: string }[] = [];
  let axis = 0;
  for (const it of items) {
    if (it.kind === 'ellipsis') {
      axis += shape.length - used;
      continue;
    }
    if (it.kind === 'none') continue;
    const n = shape[axis]!;
    if (it.kind === 'int') {
      const i = it.i < 0 ? it.i + n : it.i;
      starts.push(i);
      ends.push(i + 1);
      axes.push(axis);
      steps.push(1);
    } else if (it.kind === 'slice') {
      if (it.step <= 0) ctx.fail('slice steps must be positive');
      starts.push(it.start ?? 0);
      ends.push(it.stop ?? n);
      axes.push(axis);
      steps.push(it.step);
    } else if (it.kind === 'list') gathers.push({ axis, index: ctx.constInt64(it.values.map((v) => (v < 0 ? v + n : v))) });
    else {
      const t = it.name;
      if (ctx.dtype(t) === 'bool' || ctx.dtype(t) === 'uint8') ctx.fail('boolean mask indexing has a data-dependent shape; not exported');
      gathers.push({ axis, index: castTo(ctx, t, 'int64') });
    }
    axis++;
  }
  if (gathers.length > 1) ctx.fail('more than one advanced (tensor/list) index is not exported');
  let y = x;
  if (axes.length) y = ctx.node('Slice', [y, ctx.constInt64(starts), ctx.constInt64(ends), ctx.constInt64(axes), ctx.constInt64(steps)])[0]!;
  for (const g of gathers) y = ctx.node('Gather', [y, g.index], { axis: attr.int(g.axis) })[0]!;
  ctx.node('Reshape', [y, shapeConst(ctx, ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
};
