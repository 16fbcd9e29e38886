// ONNX lowering of `x[index] = value` (Tensor.__setitem__): a scatter into the flattened tensor, or a Where for a boolean mask.
import { argNumber, type LoweringArg, type OnnxLowering, type OnnxLoweringContext } from './lowering';
import { attr } from './lowering';
import { castTo, mainInput, shapeConst } from './lowerCommon';
import { indexItem, planIndex, type IndexItem, type IndexPlan } from './lowerShape';
import type { DType } from '../shape/shape';

type Ctx = OnnxLoweringContext;

/** Scatter indices are constants; above this many written elements the export is refused rather than bloated. */
const MAX_WRITTEN = 1 << 21;

/** Flat (row-major) positions of the elements the index selects, in the order of the selected region. */
function flatPositions(ctx: Ctx, plan: IndexPlan, shape: readonly number[]): number[] {
  const perAxis: number[][] = shape.map((n) => Array.from({ length: n }, (_, i) => i));
  for (const s of plan.slices) {
    const idx: number[] = [];
    for (let i = s.start; i < s.end; i += s.step) idx.push(i);
    perAxis[s.axis] = idx;
  }
  for (const g of plan.gathers) {
    if (g.item.kind !== 'list') ctx.fail('assignment through an index tensor is not exported');
    const n = shape[g.axis]!;
    perAxis[g.axis] = g.item.values.map((v) => (v < 0 ? v + n : v));
  }
  const count = perAxis.reduce((a, l) => a * l.length, 1);
  if (count > MAX_WRITTEN) ctx.fail(`the assignment writes ${count} elements (more than ${MAX_WRITTEN} are not exported)`);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  let out = [0];
  perAxis.forEach((idx, axis) => {
    const next: number[] = [];
    for (const base of out) for (const i of idx) next.push(base + i * strides[axis]!);
    out = next;
  });
  return out;
}

/** `x[mask] = scalar` with a boolean mask over x's leading dims: Where(mask, value, x). */
function maskAssign(ctx: Ctx, x: string, mask: string, shape: readonly number[]): void {
  const mshape = ctx.shape(mask);
  if (mshape.length > shape.length || mshape.some((d, i) => d !== shape[i])) ctx.fail('the boolean mask does not match the leading dims of the tensor');
  const v = ctx.args.value;
  const scalar =
    argNumber(v ?? null) !== null ||
    (v !== null && typeof v === 'object' && !Array.isArray(v) && 'tensor' in v && ctx.shape(ctx.value(String(v.tensor))).length === 0);
  if (!scalar) ctx.fail('assigning a tensor through a boolean mask has a data-dependent shape; not exported');
  let m = castTo(ctx, mask, 'bool');
  if (mshape.length < shape.length) m = ctx.node('Reshape', [m, shapeConst(ctx, [...mshape, ...shape.slice(mshape.length).map(() => 1)])])[0]!;
  const value = castTo(ctx, ctx.operand('value', ctx.dtype(x)), ctx.dtype(x));
  ctx.node('Where', [m, value, x], {}, ctx.outputs);
}

/**
 * `x[:, idx] = v` with one 1-D integer index tensor, whose values are known only at run time: ScatterElements
 * along the index's axis, with the index broadcast over the written region. ScatterElements counts the other
 * axes from 0, so those must be written from their start with step 1 (full slices, prefixes, `0`).
 */
function tensorIndexAssign(ctx: Ctx, x: string, plan: IndexPlan, shape: readonly number[], dtype: DType): void {
  if (plan.gathers.length !== 1) ctx.fail('assignment through more than one advanced (tensor/list) index is not exported');
  const g = plan.gathers[0]!;
  if (g.item.kind !== 'tensor') ctx.fail('assignment mixing an index list and an index tensor is not exported');
  const idxShape = ctx.shape(g.item.name);
  if (idxShape.length !== 1) ctx.fail('assignment through a multi-dimensional index tensor is not exported');
  if (plan.slices.some((sl) => sl.start !== 0 || sl.step !== 1))
    ctx.fail('assignment through an index tensor together with offset or strided slices is not exported');
  const region = shape.map((n, axis) => (axis === g.axis ? idxShape[0]! : (plan.slices.find((sl) => sl.axis === axis)?.end ?? n)));
  const value = castTo(ctx, ctx.operand('value', dtype), dtype);
  // The value broadcasts to the indexing result's shape, which orders elements as the region does (ints and None add size-1 dims).
  const written = ctx.node('Expand', [value, shapeConst(ctx, plan.shape)])[0]!;
  const updates = ctx.node('Reshape', [written, shapeConst(ctx, region)])[0]!;
  const column = ctx.node('Reshape', [
    castTo(ctx, g.item.name, 'int64'),
    shapeConst(
      ctx,
      shape.map((_, axis) => (axis === g.axis ? idxShape[0]! : 1)),
    ),
  ])[0]!;
  const indices = ctx.node('Expand', [column, shapeConst(ctx, region)])[0]!;
  ctx.node('ScatterElements', [x, indices, updates], { axis: attr.int(g.axis) }, ctx.outputs);
}

export const setitemLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const shape = ctx.shape(x);
  const dtype = ctx.dtype(x);
  const raw = ctx.args.index;
  const list: readonly LoweringArg[] = Array.isArray(raw) ? raw : [raw ?? null];
  const items: IndexItem[] = list.map((v) => indexItem(ctx, v));
  if (items.length === 1 && items[0]!.kind === 'tensor' && ['bool', 'uint8'].includes(ctx.dtype(items[0]!.name)))
    return maskAssign(ctx, x, items[0]!.name, shape);
  // `x[1, 2] = v` and `x[[1, 2]] = v` record the same index; export only when the reading is not in doubt.
  if (Array.isArray(raw) && raw.length > 1 && items.every((it) => it.kind === 'int'))
    ctx.fail('an index of several ints may be a tuple or a list; not exported');
  const plan = planIndex(ctx, items, shape) ?? ctx.fail('the index does not fit the tensor');
  if (plan.gathers.some((g) => g.item.kind === 'tensor')) return tensorIndexAssign(ctx, x, plan, shape, dtype);
  const positions = flatPositions(ctx, plan, shape);
  const numel = shape.reduce((a, b) => a * b, 1);
  const value = castTo(ctx, ctx.operand('value', dtype), dtype);
  const region = ctx.node('Expand', [value, shapeConst(ctx, plan.shape)])[0]!;
  const updates = ctx.node('Reshape', [region, shapeConst(ctx, [positions.length])])[0]!;
  const flat = ctx.node('Reshape', [x, shapeConst(ctx, [numel])])[0]!;
  const written = ctx.node('ScatterElements', [flat, ctx.constInt64(positions), updates], { axis: attr.int(0) })[0]!;
  ctx.node('Reshape', [written, shapeConst(ctx, shape)], {}, ctx.outputs);
};
