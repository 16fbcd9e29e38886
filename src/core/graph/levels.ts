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
import type { FusionGraphIndex } from './fusionGraphIndex';
import { isLayerClass, opBaseName, type OpClass } from './fusionOps';
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

export function computeLevels(index: FusionGraphIndex): Map<string, Level> {
  const graph = index.graph;
  const levels = new Map<string, Level>();
  const channelsOf = (shape: Shape | null, spatial: boolean): number | null => {
    if (!shape || shape.length === 0) return null;
    const d = spatial || shape.length >= 4 ? shape[1] : shape[shape.length - 1];
    return d?.value ?? null;
  };

  // Spatial inputs and the reference size their strides are measured against.
  const spatialInputs: { value: string; shape: Shape }[] = [];
  for (const inp of graph.inputs) {
    const shape = inp.shape;
    const isFloat = inp.dtype.startsWith('float') || inp.dtype === 'bfloat16';
    const feeds1d = index.consumers(inp.value).some((n) => /1d$/.test(opBaseName(n.op)));
    if (isFloat && (shape.length >= 4 || (shape.length === 3 && feeds1d))) spatialInputs.push({ value: inp.value, shape });
  }
  const reference = [...spatialInputs].sort((a, b) => spatialProduct(b.shape) - spatialProduct(a.shape))[0];
  for (const inp of graph.inputs) {
    const sp = spatialInputs.find((s) => s.value === inp.value);
    let stride: number[] | null = null;
    if (sp && reference) {
      stride = [];
      for (let axis = 2; axis < sp.shape.length; axis++) {
        const r = reference.shape.length === sp.shape.length ? dimRatio(reference.shape, sp.shape, axis) : 1;
        stride.push(r ?? 1);
      }
    }
    levels.set(inp.value, { depth: 0, stride, channels: channelsOf(inp.shape, stride !== null) });
  }

  for (const node of graph.nodes) {
    const cls = index.opClass(node);
    const data = index.dataInputs(node);
    let depth = 0;
    for (const v of data) depth = Math.max(depth, levels.get(v)?.depth ?? 0);
    if (data.length > 0 && isLayerClass(cls)) depth += 1;
    const mainId = data.find((v) => levels.get(v)?.stride);
    const main = mainId ? levels.get(mainId) : undefined;
    const mainShape = mainId ? index.value(mainId)?.shape ?? null : null;
    for (const out of node.outputs) {
      const outShape = index.value(out)?.shape ?? null;
      let stride: number[] | null = null;
      if (main?.stride && mainShape && outShape && outShape.length === mainShape.length) {
        if (!NON_SPATIAL.has(cls)) {
          const next: number[] = [];
          for (let axis = 2; axis < outShape.length; axis++) {
            const r = dimRatio(mainShape, outShape, axis);
            const s = main.stride[axis - 2];
            if (r === null || s === undefined) break;
            next.push(snapFactor(s * r));
          }
          stride = next.length === outShape.length - 2 ? next : null;
        } else if (sameShape(mainShape, outShape)) {
          stride = [...main.stride];
        }
      }
      levels.set(out, { depth: data.length > 0 ? depth : 0, stride, channels: channelsOf(outShape, stride !== null) });
    }
  }
  return levels;
}
