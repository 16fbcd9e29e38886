// Horizontal coordinates: each rank placed as close as possible to its neighbours' centres without overlaps (weighted isotonic regression per rank).
import type { Adjacency, ProperGraph } from './properGraph';

/**
 * Places the nodes of one rank, in order, minimising Σ w_i (x_i − d_i)² subject to x_{i+1} − x_i ≥ gap_i.
 * Substituting y_i = x_i − Σ_{j<i} gap_j turns the gaps into y_{i+1} ≥ y_i, solved exactly by pool-adjacent-violators.
 */
export function placeRank(desired: Float64Array, weights: Float64Array, gaps: Float64Array, out: Float64Array): void {
  const n = desired.length;
  const offset = new Float64Array(n);
  for (let i = 1; i < n; i++) offset[i] = offset[i - 1]! + gaps[i - 1]!;
  const sum = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let top = -1;
  for (let i = 0; i < n; i++) {
    top++;
    weight[top] = weights[i]!;
    sum[top] = weights[i]! * (desired[i]! - offset[i]!);
    size[top] = 1;
    while (top > 0 && sum[top - 1]! / weight[top - 1]! > sum[top]! / weight[top]!) {
      sum[top - 1]! += sum[top]!;
      weight[top - 1]! += weight[top]!;
      size[top - 1]! += size[top]!;
      top--;
    }
  }
  let i = 0;
  for (let b = 0; b <= top; b++) {
    const y = sum[b]! / weight[b]!;
    for (let k = 0; k < size[b]!; k++, i++) out[i] = y + offset[i]!;
  }
}

/** How firmly a dummy keeps its place, and how strongly it pulls a real neighbour (real nodes: 1). */
const DUMMY_WEIGHT = 1;
const DUMMY_PULL = 0.5;
/** A weak pull towards x = 0 that stops merges of unequal branches from drifting the drawing sideways rank after rank. */
const CENTRE_PULL = 0.05;

/**
 * x centres for every node of the proper graph. Passes alternate between pulling towards upper and lower
 * neighbours (dummies pull half as hard, so merges lean towards real inputs).
 */
export function assignCoordinates(g: ProperGraph, adj: Adjacency, layers: Int32Array[], widths: Float64Array, nodeSep: number, passes: number): Float64Array {
  const x = new Float64Array(g.count);
  for (const layer of layers) {
    // each rank starts centred on x = 0, the point every node is weakly pulled towards
    let cursor = 0;
    for (const v of layer) cursor -= (widths[v]! + nodeSep) / 2;
    for (const v of layer) {
      x[v] = cursor + widths[v]! / 2;
      cursor += widths[v]! + nodeSep;
    }
  }
  const scratch = layers.map((layer) => {
    const n = layer.length;
    const gaps = new Float64Array(Math.max(0, n - 1));
    for (let i = 0; i + 1 < n; i++) gaps[i] = (widths[layer[i]!]! + widths[layer[i + 1]!]!) / 2 + nodeSep;
    const weights = new Float64Array(n);
    for (let i = 0; i < n; i++) weights[i] = layer[i]! >= g.realCount ? DUMMY_WEIGHT : 1;
    return { gaps, weights, desired: new Float64Array(n), out: new Float64Array(n) };
  });
  const place = (r: number, useUp: boolean, useDown: boolean): void => {
    const layer = layers[r]!;
    const s = scratch[r]!;
    for (let i = 0; i < layer.length; i++) {
      const v = layer[i]!;
      let sum = 0;
      let count = 0;
      if (useUp) for (let k = adj.upStart[v]!; k < adj.upStart[v + 1]!; k++) {
        const u = adj.upNodes[k]!;
        const w = u >= g.realCount ? DUMMY_PULL : 1;
        sum += w * x[u]!;
        count += w;
      }
      if (useDown) for (let k = adj.downStart[v]!; k < adj.downStart[v + 1]!; k++) {
        const u = adj.downNodes[k]!;
        const w = u >= g.realCount ? DUMMY_PULL : 1;
        sum += w * x[u]!;
        count += w;
      }
      s.desired[i] = count > 0 ? sum / (count + CENTRE_PULL) : x[v]!;
    }
    placeRank(s.desired, s.weights, s.gaps, s.out);
    for (let i = 0; i < layer.length; i++) x[layer[i]!] = s.out[i]!;
  };
  for (let p = 0; p < passes; p++) {
    if (p % 2 === 0) for (let r = 1; r < layers.length; r++) place(r, true, false);
    else for (let r = layers.length - 2; r >= 0; r--) place(r, false, true);
  }
  for (let r = 0; r < layers.length; r++) place(r, true, true);
  let minX = Infinity;
  for (let v = 0; v < g.count; v++) minX = Math.min(minX, x[v]! - widths[v]! / 2);
  if (Number.isFinite(minX)) for (let v = 0; v < g.count; v++) x[v]! -= minX;
  return x;
}
