// Orders the nodes within each rank: a depth-first initial order, then barycenter sweeps down and up, keeping the order with fewest crossings.
import { countCrossings } from './countCrossings';
import type { Adjacency, ProperGraph } from './properGraph';

export interface LayerOrder {
  /** Nodes of each rank, left to right. */
  readonly layers: Int32Array[];
  /** Position of each node within its rank. */
  readonly pos: Int32Array;
  readonly crossings: number;
}

export function orderLayers(g: ProperGraph, adj: Adjacency, sweeps: number, keepBest: boolean): LayerOrder {
  const layers = initialOrder(g, adj);
  const pos = new Int32Array(g.count);
  for (const layer of layers) layer.forEach((v, i) => (pos[v] = i));
  const segsByRank = segmentsByRank(g);

  let best = keepBest ? totalCrossings(g, layers, pos, segsByRank) : Infinity;
  let bestPos = pos.slice();
  const key = new Float64Array(g.count);
  for (let s = 0; s < sweeps && best !== 0; s++) {
    const downward = s % 2 === 0;
    if (downward) for (let r = 1; r < layers.length; r++) sortByBarycenter(layers[r]!, layers[r - 1]!.length, adj.upStart, adj.upNodes, pos, key);
    else for (let r = layers.length - 2; r >= 0; r--) sortByBarycenter(layers[r]!, layers[r + 1]!.length, adj.downStart, adj.downNodes, pos, key);
    if (keepBest) {
      const c = totalCrossings(g, layers, pos, segsByRank);
      if (c < best) {
        best = c;
        bestPos = pos.slice();
      }
    }
  }
  if (keepBest) {
    // restore the best order seen
    pos.set(bestPos);
    for (const layer of layers) {
      const copy = Array.from(layer);
      for (const v of copy) layer[pos[v]!] = v;
    }
  }
  const crossings = keepBest ? best : totalCrossings(g, layers, pos, segsByRank);
  return { layers, pos, crossings };
}

/** Nodes appended to their rank in the order an iterative DFS from the sources first reaches them. */
function initialOrder(g: ProperGraph, adj: Adjacency): Int32Array[] {
  const sizes = new Int32Array(g.rankCount);
  for (let v = 0; v < g.count; v++) sizes[g.rank[v]!]!++;
  const layers = Array.from(sizes, (n) => new Int32Array(n));
  const fill = new Int32Array(g.rankCount);
  const seen = new Uint8Array(g.count);
  const stack = new Int32Array(g.count);
  const visitFrom = (root: number): void => {
    let top = 0;
    stack[0] = root;
    seen[root] = 1;
    while (top >= 0) {
      const v = stack[top--]!;
      const r = g.rank[v]!;
      layers[r]![fill[r]!++] = v;
      // push children in reverse so the first child is visited first
      for (let k = adj.downStart[v + 1]! - 1; k >= adj.downStart[v]!; k--) {
        const w = adj.downNodes[k]!;
        if (!seen[w]) {
          seen[w] = 1;
          stack[++top] = w;
        }
      }
    }
  };
  for (let v = 0; v < g.count; v++) if (!seen[v] && adj.upStart[v] === adj.upStart[v + 1]) visitFrom(v);
  for (let v = 0; v < g.count; v++) if (!seen[v]) visitFrom(v);
  return layers;
}

/** Sorts one rank by the mean relative position of its neighbours in the fixed rank; nodes without neighbours keep their relative place. */
function sortByBarycenter(layer: Int32Array, fixedSize: number, start: Int32Array, nbrs: Int32Array, pos: Int32Array, key: Float64Array): void {
  const n = layer.length;
  if (n < 2) return;
  for (let i = 0; i < n; i++) {
    const v = layer[i]!;
    const a = start[v]!;
    const b = start[v + 1]!;
    if (a === b) {
      key[v] = (i + 0.5) / n;
      continue;
    }
    let sum = 0;
    for (let k = a; k < b; k++) sum += pos[nbrs[k]!]!;
    key[v] = (sum / (b - a) + 0.5) / fixedSize;
  }
  layer.sort((p, q) => key[p]! - key[q]! || pos[p]! - pos[q]!);
  for (let i = 0; i < n; i++) pos[layer[i]!] = i;
}

function segmentsByRank(g: ProperGraph): Int32Array[] {
  const counts = new Int32Array(g.rankCount);
  for (let s = 0; s < g.segUpper.length; s++) counts[g.rank[g.segUpper[s]!]!]!++;
  const out = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(g.rankCount);
  for (let s = 0; s < g.segUpper.length; s++) {
    const r = g.rank[g.segUpper[s]!]!;
    out[r]![fill[r]!++] = s;
  }
  return out;
}

function totalCrossings(g: ProperGraph, layers: Int32Array[], pos: Int32Array, segsByRank: Int32Array[]): number {
  let total = 0;
  for (let r = 0; r + 1 < layers.length; r++) {
    const segs = segsByRank[r]!;
    if (segs.length < 2) continue;
    const upper = new Int32Array(segs.length);
    const lower = new Int32Array(segs.length);
    for (let i = 0; i < segs.length; i++) {
      upper[i] = pos[g.segUpper[segs[i]!]!]!;
      lower[i] = pos[g.segLower[segs[i]!]!]!;
    }
    total += countCrossings(upper, lower, layers[r + 1]!.length);
  }
  return total;
}
