// ONNX lowerings of shape ops: transpose/permute, expand/tile, cat/stack/split, and tensor indexing.
import { argInts, argNumber, attr, LoweringArg, normDim, OnnxLowering, OnnxLoweringContext } from './lowering';
import { castTo, mainInput, opt, optNumber, optString, shapeConst } from './lowerCommon';

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

/** tensor_split: one Split when the pieces tile the dim, else one Slice per piece (empty or clamped pieces). */
export const tensorSplitLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const shape = ctx.shape(x);
  const axis = normDim(optNumber(ctx, 'dim', 0), shape.length);
  const n = shape[axis]!;
  const sizes = ctx.outputs.map((o) => ctx.shape(o)[axis]!);
  if (sizes.every((s) => s > 0) && sizes.reduce((a, b) => a + b, 0) === n) {
    ctx.node('Split', [x, ctx.constInt64(sizes)], { axis: attr.int(axis) }, ctx.outputs);
    return;
  }
  const raw = opt(ctx, 'indices');
  const idx = Array.isArray(raw) ? (raw as readonly LoweringArg[]).map(argNumber) : null;
  if (!idx || idx.some((i) => i === null)) ctx.fail('split points are not constants');
  const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const bounds = [0, ...(idx as number[]).map(clamp), n];
  const ax = ctx.constInt64([axis]);
  ctx.outputs.forEach((o, k) => {
    const start = bounds[k]!;
    ctx.node('Slice', [x, ctx.constInt64([start]), ctx.constInt64([Math.max(start, bounds[k + 1]!)]), ax], {}, [o]);
  });
};

/** torch.diff: prepend/append joined along `dim`, then `n` rounds of x[1:] - x[:-1] (Xor for bool). */
export const diffLowering: OnnxLowering = (ctx) => {
  const out = ctx.outputs[0]!;
  const dt = ctx.dtype(out);
  const x = mainInput(ctx);
  const rank = ctx.shape(x).length;
  const axis = normDim(optNumber(ctx, 'dim', -1), rank);
  const parts = ['prepend', 'input', 'append']
    .map((a) => (a === 'input' ? x : ctx.tensorArg(a)))
    .filter((t): t is string => !!t)
    .map((t) => castTo(ctx, t, dt));
  let cur = parts.length > 1 ? ctx.node('Concat', parts, { axis: attr.int(axis) })[0]! : parts[0]!;
  let len = parts.reduce((a, t) => a + ctx.shape(t)[axis]!, 0);
  const rounds = Math.min(Math.max(optNumber(ctx, 'n', 1), 0), len);
  const ax = ctx.constInt64([axis]);
  for (let r = 0; r < rounds; r++) {
    const hi = ctx.node('Slice', [cur, ctx.constInt64([1]), ctx.constInt64([len]), ax])[0]!;
    const lo = ctx.node('Slice', [cur, ctx.constInt64([0]), ctx.constInt64([len - 1]), ax])[0]!;
    cur = ctx.node(dt === 'bool' ? 'Xor' : 'Sub', [hi, lo], {}, r === rounds - 1 ? [out] : 1)[0]!;
    len -= 1;
  }
  if (rounds === 0) ctx.node('Identity', [cur], {}, [out]);
};

// indexing

export type IndexItem =
  | { kind: 'int'; i: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'tensor'; name: string }
  | { kind: 'list'; values: number[] };

export function indexItem(ctx: Ctx, v: LoweringArg): IndexItem {
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

export interface IndexPlan {
  readonly slices: { axis: number; start: number; end: number; step: number }[];
  readonly gathers: { axis: number; item: IndexItem }[];
  /** The result's shape under this reading of the index. */
  readonly shape: number[];
}

/** Where each item applies and what shape results (Python's basic indexing, one advanced index). */
export function planIndex(ctx: Ctx, items: readonly IndexItem[], shape: readonly number[]): IndexPlan | null {
  const consumes = (it: IndexItem): number => (it.kind === 'none' || it.kind === 'ellipsis' ? 0 : 1);
  const used = items.reduce((a, it) => a + consumes(it), 0);
  if (used > shape.length) return null;
  const slices: IndexPlan['slices'] = [];
  const gathers: IndexPlan['gathers'] = [];
  const out: number[] = [];
  let axis = 0;
  for (const it of items) {
    if (it.kind === 'ellipsis') {
      const k = shape.length - used;
      out.push(...shape.slice(axis, axis + k));
      axis += k;
      continue;
    }
    if (it.kind === 'none') {
      out.push(1);
      continue;
    }
    const n = shape[axis]!;
    if (it.kind === 'int') {
      const i = it.i < 0 ? it.i + n : it.i;
      if (i < 0 || i >= n) return null;
      slices.push({ axis, start: i, end: i + 1, step: 1 });
    } else if (it.kind === 'slice') {
      if (it.step <= 0) return null;
      const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
      const start = clamp(it.start ?? 0);
      const end = clamp(it.stop ?? n);
      slices.push({ axis, start, end, step: it.step });
      out.push(Math.max(0, Math.ceil((end - start) / it.step)));
    } else {
      gathers.push({ axis, item: it });
      out.push(...(it.kind === 'list' ? [it.values.length] : ctx.shape(it.name)));
    }
    axis++;
  }
  out.push(...shape.slice(axis));
  return { slices, gathers, shape: out };
}

/**
 * `x[...]` with ints, slices (`{ slice: [start, stop, step] }`), None, Ellipsis and one integer
 * index tensor or list: one Slice, at most one Gather, then a Reshape to the output's shape
 * (which drops int-indexed dims and inserts None dims).
 */
export const getitemLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const shape = ctx.shape(x);
  const outShape = ctx.shape(ctx.outputs[0]!);
  const raw = ctx.args.index;
  const list = Array.isArray(raw) ? (raw as readonly LoweringArg[]) : [raw ?? null];
  // A bare list of ints is one advanced index, not a tuple of items.
  const rawItems =
    Array.isArray(raw) && list.every((v) => typeof v === 'number') && list.length > 0 && !isTupleIndex(ctx, list, shape, outShape) ? [raw] : list;
  const plan =
    planIndex(
      ctx,
      rawItems.map((v) => indexItem(ctx, v)),
      shape,
    ) ?? ctx.fail('the index does not fit the tensor');
  if (plan.shape.length !== outShape.length || plan.shape.some((d, i) => d !== outShape[i]))
    ctx.fail(`the index gives [${plan.shape}] here but the graph says [${outShape}]`);
  if (plan.gathers.length > 1) ctx.fail('more than one advanced (tensor/list) index is not exported');
  let y = x;
  const sl = plan.slices;
  if (sl.length) {
    y = ctx.node('Slice', [
      y,
      ctx.constInt64(sl.map((s) => s.start)),
      ctx.constInt64(sl.map((s) => s.end)),
      ctx.constInt64(sl.map((s) => s.axis)),
      ctx.constInt64(sl.map((s) => s.step)),
    ])[0]!;
  }
  for (const g of plan.gathers) {
    const n = shape[g.axis]!;
    let index: string;
    if (g.item.kind === 'list') index = ctx.constInt64(g.item.values.map((v) => (v < 0 ? v + n : v)));
    else if (g.item.kind === 'tensor') {
      if (ctx.dtype(g.item.name) === 'bool' || ctx.dtype(g.item.name) === 'uint8') ctx.fail('boolean mask indexing has a data-dependent shape; not exported');
      index = castTo(ctx, g.item.name, 'int64');
    } else continue;
    y = ctx.node('Gather', [y, index], { axis: attr.int(g.axis) })[0]!;
  }
  ctx.node('Reshape', [y, shapeConst(ctx, outShape)], {}, ctx.outputs);
};

/** `x[1, 2]` (a tuple of ints) and `x[[1, 2]]` (one list index) both serialise as [1, 2]; the output rank tells them apart. */
function isTupleIndex(ctx: Ctx, list: readonly LoweringArg[], shape: readonly number[], outShape: readonly number[]): boolean {
  const asTuple = planIndex(
    ctx,
    list.map((v) => indexItem(ctx, v)),
    shape,
  );
  return asTuple !== null && asTuple.shape.length === outShape.length;
}

// more tensor ops

/** flip(dims): a reversed Slice per flipped dim. */
export const flipLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const shape = ctx.shape(x);
  const raw = opt(ctx, 'dims');
  const flat = Array.isArray(raw) && raw.length === 1 && Array.isArray(raw[0]) ? raw[0] : raw;
  const dims = (argInts(flat ?? null, 1) ?? ctx.fail('dims must be known')).map((d) => normDim(d, shape.length));
  ctx.node(
    'Slice',
    [x, ctx.constInt64(dims.map(() => -1)), ctx.constInt64(dims.map((d) => -(shape[d]! + 1))), ctx.constInt64(dims), ctx.constInt64(dims.map(() => -1))],
    {},
    ctx.outputs,
  );
};

/** roll(shifts, dims): per dim, the last k entries moved to the front (dims=None rolls the flattened tensor). */
export const rollLowering: OnnxLowering = (ctx) => {
  let x = mainInput(ctx);
  const shape = ctx.shape(x);
  const dimsArg = opt(ctx, 'dims');
  const flatRoll = dimsArg === null || dimsArg === undefined;
  const n0 = shape.reduce((a, b) => a * b, 1);
  const dims = flatRoll ? [0] : (argInts(dimsArg, 1) ?? ctx.fail('dims must be known')).map((d) => normDim(d, shape.length));
  const shifts = argInts(opt(ctx, 'shifts') ?? null, dims.length) ?? ctx.fail('shifts must be known');
  const sizes = flatRoll ? [n0] : shape;
  if (flatRoll) x = ctx.node('Reshape', [x, shapeConst(ctx, [n0])])[0]!;
  dims.forEach((d, i) => {
    const n = sizes[d]!;
    const k = ((shifts[i]! % n) + n) % n;
    if (k === 0) return;
    const ax = ctx.constInt64([d]);
    const tail = ctx.node('Slice', [x, ctx.constInt64([n - k]), ctx.constInt64([n]), ax])[0]!;
    const head = ctx.node('Slice', [x, ctx.constInt64([0]), ctx.constInt64([n - k]), ax])[0]!;
    x = ctx.node('Concat', [tail, head], { axis: attr.int(d) })[0]!;
  });
  ctx.node('Reshape', [x, shapeConst(ctx, ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
};

/** triu / tril(diagonal). */
export const triluLowering: OnnxLowering = (ctx) => {
  const upper = ctx.op.endsWith('triu') ? 1 : 0;
  ctx.node('Trilu', [mainInput(ctx), ctx.constInt64([optNumber(ctx, 'diagonal', 0)], [])], { upper: attr.int(upper) }, ctx.outputs);
};

/** torch.gather(dim, index): GatherElements. */
export const gatherElementsLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const index = castTo(ctx, ctx.tensorArg('index') ?? ctx.fail('gather needs an index tensor'), 'int64');
  ctx.node('GatherElements', [x, index], { axis: attr.int(normDim(optNumber(ctx, 'dim', 0), ctx.shape(x).length)) }, ctx.outputs);
};

/** index_select(dim, index): Gather along dim. */
export const indexSelectLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const index = castTo(ctx, ctx.tensorArg('index') ?? ctx.fail('index_select needs an index tensor'), 'int64');
  const g = ctx.node('Gather', [x, index], { axis: attr.int(normDim(optNumber(ctx, 'dim', 0), ctx.shape(x).length)) })[0]!;
  ctx.node('Reshape', [g, shapeConst(ctx, ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
};

/** repeat_interleave with an int count: Unsqueeze after dim, Expand, Reshape (dim=None flattens first). */
export const repeatInterleaveLowering: OnnxLowering = (ctx) => {
  if (ctx.tensorArg('repeats')) ctx.fail('repeat_interleave with a repeats tensor has a data-dependent shape');
  let x = mainInput(ctx);
  const r = optNumber(ctx, 'repeats', 1);
  const dimArg = opt(ctx, 'dim');
  let shape = [...ctx.shape(x)];
  if (dimArg === null || dimArg === undefined) {
    shape = [shape.reduce((a, b) => a * b, 1)];
    x = ctx.node('Reshape', [x, shapeConst(ctx, shape)])[0]!;
  }
  const axis = dimArg === null || dimArg === undefined ? 0 : normDim(argNumber(dimArg) ?? 0, shape.length);
  const u = ctx.node('Unsqueeze', [x, ctx.constInt64([axis + 1])])[0]!;
  const expanded = [...shape.slice(0, axis + 1), r, ...shape.slice(axis + 1)];
  const e = ctx.node('Expand', [u, shapeConst(ctx, expanded)])[0]!;
  ctx.node('Reshape', [e, shapeConst(ctx, ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
};

/** F.one_hot(tensor, num_classes): OneHot with int64 [0, 1] values. */
export const oneHotLowering: OnnxLowering = (ctx) => {
  const x = castTo(ctx, mainInput(ctx), 'int64');
  const depth = ctx.shape(ctx.outputs[0]!).at(-1)!;
  ctx.node('OneHot', [x, ctx.constInt64([depth], []), ctx.constInt64([0, 1])], { axis: attr.int(-1) }, ctx.outputs);
};

/** channel_shuffle(groups): [N, g, C/g, …] → swap the two channel factors → [N, C, …]. */
export const channelShuffleLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const s = ctx.shape(x);
  const g = optNumber(ctx, 'groups', 1);
  const rest = s.slice(2);
  const split = ctx.node('Reshape', [x, shapeConst(ctx, [s[0]!, g, s[1]! / g, ...rest])])[0]!;
  const perm = [0, 2, 1, ...rest.map((_, i) => 3 + i)];
  const t = ctx.node('Transpose', [split], { perm: attr.ints(perm) })[0]!;
  ctx.node('Reshape', [t, shapeConst(ctx, s)], {}, ctx.outputs);
};

/** scatter / scatter_add(dim, index, src): ScatterElements (reduction 'add' for scatter_add); a number src fills. */
export const scatterLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const dt = ctx.dtype(x);
  const index = castTo(ctx, ctx.tensorArg('index') ?? ctx.fail('scatter needs an index tensor'), 'int64');
  let src = ctx.tensorArg('src');
  if (!src) src = ctx.node('Expand', [ctx.operand('src', dt), shapeConst(ctx, ctx.shape(index))])[0]!;
  const add = ctx.op.includes('scatter_add');
  ctx.node(
    'ScatterElements',
    [x, index, castTo(ctx, src, dt)],
    { axis: attr.int(normDim(optNumber(ctx, 'dim', 0), ctx.shape(x).length)), ...(add ? { reduction: attr.string('add') } : {}) },
    ctx.outputs,
  );
};

/** torch.meshgrid(*tensors, indexing): each 1-D input reshaped along its axis and expanded to the common shape. */
export const meshgridLowering: OnnxLowering = (ctx) => {
  const list = ctx.inputs;
  const outShape = ctx.shape(ctx.outputs[0]!);
  const xy = optString(ctx, 'indexing', 'ij') === 'xy' && list.length >= 2;
  list.forEach((t, i) => {
    // With 'xy' the first two inputs swap roles: input 0 varies along dim 1, input 1 along dim 0.
    const axis = xy && i < 2 ? 1 - i : i;
    const shape = outShape.map((d, k) => (k === axis ? d : 1));
    const r = ctx.node('Reshape', [t, shapeConst(ctx, shape)])[0]!;
    ctx.node('Expand', [r, shapeConst(ctx, outShape)], {}, [ctx.outputs[i]!]);
  });
};

/** Tensor.unfold(dimension, size, step): Gather of the window index matrix, window dim moved last. */
export const slidingWindowLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const s = ctx.shape(x);
  const axis = s.length === 0 ? 0 : normDim(optNumber(ctx, 'dimension', 0), s.length);
  const size = optNumber(ctx, 'size', 1);
  const step = optNumber(ctx, 'step', 1);
  const n = s.length === 0 ? 1 : Math.floor((s[axis]! - size) / step) + 1;
  const idx: number[] = [];
  for (let w = 0; w < n; w++) for (let k = 0; k < size; k++) idx.push(w * step + k);
  const g = ctx.node('Gather', [x, ctx.constInt64(idx, [n, size])], { axis: attr.int(axis) })[0]!; // [..., n, size, ...]
  const rank = s.length + 1;
  const perm = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis + 1);
  ctx.node('Transpose', [g], { perm: attr.ints([...perm, axis + 1]) }, ctx.outputs);
};
