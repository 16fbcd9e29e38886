// Level of every tensor: depth in weighted layers from the input, stride relative to the input per spatial dim, channels.
//
// Definitions (documented in the README's fusion section):
// - depth: the number of weighted layers (conv, transposed conv, linear, embedding, recurrent, attention;
//   norms excluded) on the longest path from a model input; inputs have depth 0.
// - stride: for spatial maps (NCHW-style tensors of rank ≥ 4, or rank-3 inputs fed to a `…1d` op), per
//   spatial dim the product over the path of each op's in/out size ratio, each ratio snapped to a whole
//   factor (9 → 4 counts as ×2, 8 → 9 padding as ×1). Inputs start at reference-size / own size, the
//   reference being the largest spatial input. Reshapes, flattening and linear maps end the spatial map.
// - channels: dim 1 of spatial maps, the last dim of other tensors.
import { dimEquals } from '../shape/dim';
import type { Shape } from '../shape/shape';
import type { GraphNode } from './modelGraph';
import type { FusionGraphIndex } from './fusionGraphIndex';
import { isLayerClass, type OpClass } from './fusionOps';
import type { Level } from './fusionTypes';

/** A size ratio snapped to a whole factor (or its reciprocal) when within 25 %. */
export function snapFactor(ratio: number): number {
  if (!Number.isFinite(ratio) || ratio <= 0) return ratio;
  const big = ratio >= 1 ? ratio : 1 / ratio;
  const r = Math.round(big);
  const snapped = r >= 1 && Math.abs(big - r) / big <= 0.25 ? r : Math.round(big * 1000) / 1000;
  return ratio >= 1 ? snapped : 1 / snapped;
}

/** Ratio in/out of one spatial dim, snapped; null when the sizes are not known. */
export function dimRatio(shapeIn: Shape, shapeOut: Shape, axis: number): number | null {
  const a = shapeIn[axis];
  const b = shapeOut[axis];
  if (!a || !b) return null;
  if (a.value !== null && b.value !== null && b.value > 0) return snapFactor(a.value / b.value);
  return dimEquals(a, b) === true ? 1 : null;
}

/** Ops after which a spatial stride has no meaning (the map was flattened, transposed or mixed across positions). */
const NON_SPATIAL: ReadonlySet<OpClass> = new Set<OpClass>(['layout', 'linear', 'embedding', 'mha', 'sdpa', 'matmul', 'stack', 'weighted']);

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => dimEquals(d, b[i] as Shape[number]) === true);
}

function spatialProduct(shape: Shape): number {
  let p = 1;
  for (const d of shape.slice(2)) p *= d.value ?? 0;
  return p;
}

/** Axis order after `permute(dims)` / `transpose(d0, d1)`, or null when the node is neither or its dims are unknown. */
function axisOrder(index: FusionGraphIndex, node: GraphNode, rank: number): number[] | null {
  const base = node.role.detail;
  const norm = (d: number): number => (d < 0 ? d + rank : d);
  if (base === 'permute' || (base === 'transpose' && index.attr(node, 'perm') !== undefined)) {
    const dims = index.attr(node, 'dims', 'perm');
    const list = Array.isArray(dims) ? dims.filter((d): d is number => typeof d === 'number') : null;
    return list && list.length === rank ? list.map(norm) : null;
  }
  if (base === 'transpose' || base === 'swapaxes') {
    const a = index.attr(node, 'dim0', 'axis0');
    const b = index.attr(node, 'dim1', 'axis1');
    if (typeof a !== 'number' || typeof b !== 'number') return null;
    const order = Array.from({ length: rank }, (_, i) => i);
    [order[norm(a)], order[norm(b)]] = [norm(b), norm(a)];
    return order;
  }
  return null;
}

function intArg(index: FusionGraphIndex, node: GraphNode, ...names: string[]): number[] | null {
  const v = index.attr(node, ...names);
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  return null;
}

/** Axes after ops that add or drop axes (stack, unsqueeze, squeeze, reductions without keepdim); null when not such an op. */
function axesAfterRankChange(
  index: FusionGraphIndex,
  node: GraphNode,
  cls: OpClass,
  main: readonly (number | null)[],
  inShape: Shape,
  outRank: number,
): (number | null)[] | null {
  const base = node.role.detail;
  const insert = (d: number): (number | null)[] => {
    const at = d < 0 ? d + outRank : d;
    return [...main.slice(0, at), null, ...main.slice(at)];
  };
  if (cls === 'stack' || base === 'unsqueeze') {
    const d = intArg(index, node, 'dim', 'axis') ?? (cls === 'stack' ? [0] : null);
    return d && d.length === 1 && outRank === main.length + 1 ? insert(d[0] as number) : null;
  }
  const dropping = base === 'squeeze' || ((cls === 'sum' || cls === 'reduce') && index.attr(node, 'keepdim') !== true);
  if (!dropping || outRank >= main.length) return null;
  const dims = intArg(index, node, 'dim', 'axis');
  const drop = new Set((dims ?? (base === 'squeeze' ? inShape.flatMap((d, i) => (d.value === 1 ? [i] : [])) : [])).map((d) => (d < 0 ? d + main.length : d)));
  const kept = main.filter((_, i) => !drop.has(i));
  return kept.length === outRank ? kept : null;
}

/**
 * Per value, the stride of each axis that is a spatial axis of the input (null for batch, channel and
 * token axes). Tracking axes, not positions, keeps strides through channels-last permutes (ConvNeXt).
 */
export function computeLevels(index: FusionGraphIndex): Map<string, Level> {
  const graph = index.graph;
  const levels = new Map<string, Level>();
  const axesOf = new Map<string, (number | null)[]>();
  const levelOf = (shape: Shape | null, axes: (number | null)[] | null, depth: number): Level => {
    const spatial = axes ? axes.filter((a): a is number => a !== null) : [];
    const stride = spatial.length > 0 ? spatial : null;
    let channels: number | null = null;
    if (shape && shape.length > 0) {
      // Channels sit on dim 1 of NCHW maps, on the last dim of channels-last maps and of token sequences.
      const chanAxis = stride && axes ? (axes[1] === null ? 1 : shape.length - 1) : shape.length >= 4 ? 1 : shape.length - 1;
      channels = shape[chanAxis]?.value ?? null;
    }
    return { depth, stride, channels };
  };

  // Spatial inputs and the reference size their strides are measured against.
  const spatialInputs: { value: string; shape: Shape }[] = [];
  for (const inp of graph.inputs) {
    const shape = inp.shape;
    const isFloat = inp.dtype.startsWith('float') || inp.dtype === 'bfloat16';
    const feeds1d = index.consumers(inp.value).some((n) => n.role.rank === 1);
    if (isFloat && (shape.length >= 4 || (shape.length === 3 && feeds1d))) spatialInputs.push({ value: inp.value, shape });
  }
  const reference = [...spatialInputs].sort((a, b) => spatialProduct(b.shape) - spatialProduct(a.shape))[0];
  for (const inp of graph.inputs) {
    const sp = spatialInputs.find((x) => x.value === inp.value);
    let axes: (number | null)[] | null = null;
    if (sp && reference) {
      axes = sp.shape.map((_, axis) => (axis < 2 ? null : ((reference.shape.length === sp.shape.length ? dimRatio(reference.shape, sp.shape, axis) : 1) ?? 1)));
      axesOf.set(inp.value, axes);
    }
    levels.set(inp.value, levelOf(inp.shape, axes, 0));
  }

  for (const node of graph.nodes) {
    const cls = index.opClass(node);
    const data = index.dataInputs(node);
    let depth = 0;
    for (const v of data) depth = Math.max(depth, levels.get(v)?.depth ?? 0);
    if (data.length > 0 && isLayerClass(cls)) depth += 1;
    const mainId = data.find((v) => axesOf.has(v));
    const main = mainId ? (axesOf.get(mainId) ?? null) : null;
    const mainShape = mainId ? (index.value(mainId)?.shape ?? null) : null;
    for (const out of node.outputs) {
      const outShape = index.value(out)?.shape ?? null;
      let axes: (number | null)[] | null = null;
      if (main && mainShape && outShape && outShape.length !== mainShape.length) {
        axes = axesAfterRankChange(index, node, cls, main, mainShape, outShape.length);
      } else if (main && mainShape && outShape) {
        const order = cls === 'layout' ? axisOrder(index, node, outShape.length) : null;
        if (order) axes = order.map((a) => main[a] ?? null);
        else if (sameShape(mainShape, outShape)) axes = [...main];
        // A linear map on the last (channel) axis of a channels-last map keeps its spatial axes.
        else if (cls === 'linear' && main[main.length - 1] === null) axes = [...main];
        else if (!NON_SPATIAL.has(cls)) {
          const next = main.map((s, axis) => {
            if (s === null) return null;
            const r = dimRatio(mainShape, outShape, axis);
            return r === null ? undefined : snapFactor(s * r);
          });
          axes = next.includes(undefined) ? null : (next as (number | null)[]);
        }
      }
      if (axes && axes.some((a) => a !== null)) axesOf.set(out, axes);
      levels.set(out, levelOf(outShape, axes, data.length > 0 ? depth : 0));
    }
  }
  return levels;
}
