// Horizontal coordinates by Brandes & Köpf ("Fast and Simple Horizontal Coordinate Assignment", 2001): four
// alignments of nodes into vertical blocks (medians up/down, leftmost/rightmost), each compacted, then balanced.
// Chains line up in one block, so they are drawn as straight columns. Loops only: any depth fits the stack.
import type { Adjacency, ProperGraph } from './properGraph';

/**
 * x centres for every node of the proper graph. `layers` is the left-to-right order of each rank; real boxes keep
 * `nodeSep` between them, dummies (the slots long edges pass through) keep `edgeSep` on their own side.
 */
export function brandesKoepf(
  g: ProperGraph,
  adj: Adjacency,
  layers: readonly Int32Array[],
  widths: Float64Array,
  nodeSep: number,
  edgeSep: number,
): Float64Array {
  const n = g.count;
  const conflicts = type1Conflicts(g, adj, layers);
  const results: Float64Array[] = [];
  const half = new Float64Array(n);
  for (let v = 0; v < n; v++) half[v] = widths[v]! / 2 + (v >= g.realCount ? edgeSep : nodeSep) / 2;
  for (const downward of [true, false]) {
    for (const leftmost of [true, false]) {
      // ranks visited top-down taking upper neighbours, or bottom-up taking lower ones; layers mirrored for the rightmost variants
      const ranks = downward ? layers : [...layers].reverse();
      const ordered = leftmost ? ranks : ranks.map((l) => l.slice().reverse());
      const pos = new Int32Array(n);
      for (const layer of ordered) for (let i = 0; i < layer.length; i++) pos[layer[i]!] = i;
      const start = downward ? adj.upStart : adj.downStart;
      const nbrs = downward ? adj.upNodes : adj.downNodes;
      const root = verticalAlignment(n, ordered, pos, start, nbrs, conflicts);
      const xs = compact(n, g.realCount, ordered, root, half);
      if (!leftmost) for (let v = 0; v < n; v++) xs[v] = -xs[v]!;
      results.push(xs);
    }
  }
  // align the four to the narrowest one: left variants share its left edge, right variants its right edge
  let best = 0;
  let bestWidth = Infinity;
  const lo = new Float64Array(4);
  const hi = new Float64Array(4);
  results.forEach((xs, k) => {
    let a = Infinity;
    let b = -Infinity;
    for (let v = 0; v < n; v++) {
      a = Math.min(a, xs[v]! - widths[v]! / 2);
      b = Math.max(b, xs[v]! + widths[v]! / 2);
    }
    lo[k] = a;
    hi[k] = b;
    if (b - a < bestWidth) {
      bestWidth = b - a;
      best = k;
    }
  });
  results.forEach((xs, k) => {
    const delta = k % 2 === 0 ? lo[best]! - lo[k]! : hi[best]! - hi[k]!;
    if (delta !== 0 && Number.isFinite(delta)) for (let v = 0; v < n; v++) xs[v]! += delta;
  });
  // balance: the mean of the two middle values of the four
  const x = new Float64Array(n);
  const four = new Float64Array(4);
  for (let v = 0; v < n; v++) {
    for (let k = 0; k < 4; k++) four[k] = results[k]![v]!;
    four.sort();
    x[v] = (four[1]! + four[2]!) / 2;
  }
  let minX = Infinity;
  for (let v = 0; v < n; v++) minX = Math.min(minX, x[v]! - widths[v]! / 2);
  if (Number.isFinite(minX)) for (let v = 0; v < n; v++) x[v]! -= minX;
  return x;
}

/**
 * Type-1 conflicts: a segment between a real node and anything that crosses an inner segment (dummy to dummy).
 * Inner segments win, so long edges run straight and the short edges bend around them. Keys are upper * n + lower.
 */
function type1Conflicts(g: ProperGraph, adj: Adjacency, layers: readonly Int32Array[]): Set<number> {
  const n = g.count;
  const conflicts = new Set<number>();
  const pos = new Int32Array(n);
  for (const layer of layers) for (let i = 0; i < layer.length; i++) pos[layer[i]!] = i;
  for (let r = 1; r < layers.length; r++) {
    const prevLen = layers[r - 1]!.length;
    const layer = layers[r]!;
    let k0 = 0;
    let scan = 0;
    for (let i = 0; i < layer.length; i++) {
      const v = layer[i]!;
      let inner = -1;
      if (v >= g.realCount) {
        for (let k = adj.upStart[v]!; k < adj.upStart[v + 1]!; k++) if (adj.upNodes[k]! >= g.realCount) inner = adj.upNodes[k]!;
      }
      if (inner < 0 && i !== layer.length - 1) continue;
      const k1 = inner >= 0 ? pos[inner]! : prevLen;
      for (; scan <= i; scan++) {
        const w = layer[scan]!;
        for (let k = adj.upStart[w]!; k < adj.upStart[w + 1]!; k++) {
          const u = adj.upNodes[k]!;
          const p = pos[u]!;
          if ((p < k0 || k1 < p) && !(u >= g.realCount && w >= g.realCount)) conflicts.add(u * n + w);
        }
      }
      k0 = k1;
    }
  }
  return conflicts;
}

/** Each node joins the block of its median neighbour (left or right median in scan order) unless that would cross an earlier alignment or a conflict. */
function verticalAlignment(n: number, layers: readonly Int32Array[], pos: Int32Array, start: Int32Array, nbrs: Int32Array, conflicts: Set<number>): Int32Array {
  const root = new Int32Array(n);
  const align = new Int32Array(n);
  for (let v = 0; v < n; v++) root[v] = align[v] = v;
  let ws = new Int32Array(8);
  for (const layer of layers) {
    let prevIdx = -1;
    for (let i = 0; i < layer.length; i++) {
      const v = layer[i]!;
      const a = start[v]!;
      const d = start[v + 1]! - a;
      if (d === 0) continue;
      if (ws.length < d) ws = new Int32Array(2 * d);
      // neighbours sorted by their position in this variant's order (insertion sort: degrees are small)
      for (let k = 0; k < d; k++) {
        const w = nbrs[a + k]!;
        let j = k - 1;
        while (j >= 0 && pos[ws[j]!]! > pos[w]!) {
          ws[j + 1] = ws[j]!;
          j--;
        }
        ws[j + 1] = w;
      }
      const mid = (d - 1) / 2;
      for (let k = Math.floor(mid); k <= Math.ceil(mid); k++) {
        const w = ws[k]!;
        if (align[v] === v && prevIdx < pos[w]! && !conflicts.has(w * n + v) && !conflicts.has(v * n + w)) {
          align[w] = v;
          align[v] = root[v] = root[w]!;
          prevIdx = pos[w]!;
        }
      }
    }
  }
  return root;
}

/**
 * Places the blocks as far left as the separations allow (longest path over the block graph in topological order),
 * then moves every block of real boxes right as far as its right neighbours allow, so blocks sit between their constraints.
 */
function compact(n: number, realCount: number, layers: readonly Int32Array[], root: Int32Array, half: Float64Array): Float64Array {
  // block graph: root of a left neighbour → root of its right neighbour, weight = the separation of the two boxes
  let m = 0;
  for (const layer of layers) m += Math.max(0, layer.length - 1);
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const sep = new Float64Array(m);
  let e = 0;
  for (const layer of layers) {
    for (let i = 1; i < layer.length; i++) {
      const u = layer[i - 1]!;
      const v = layer[i]!;
      from[e] = root[u]!;
      to[e] = root[v]!;
      sep[e++] = half[u]! + half[v]!;
    }
  }
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    outStart[from[k]! + 1]!++;
    inStart[to[k]! + 1]!++;
  }
  for (let v = 0; v < n; v++) {
    outStart[v + 1]! += outStart[v]!;
    inStart[v + 1]! += inStart[v]!;
  }
  const outEdge = new Int32Array(m);
  const inEdge = new Int32Array(m);
  const outFill = outStart.slice(0, n);
  const inFill = inStart.slice(0, n);
  for (let k = 0; k < m; k++) {
    outEdge[outFill[from[k]!]!++] = k;
    inEdge[inFill[to[k]!]!++] = k;
  }
  // topological order of the roots (Kahn)
  const indeg = new Int32Array(n);
  for (let k = 0; k < m; k++) indeg[to[k]!]!++;
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let v = 0; v < n; v++) if (root[v] === v && indeg[v] === 0) order[tail++] = v;
  while (head < tail) {
    const v = order[head++]!;
    for (let k = outStart[v]!; k < outStart[v + 1]!; k++) if (--indeg[to[outEdge[k]!]!]! === 0) order[tail++] = to[outEdge[k]!]!;
  }
  const xs = new Float64Array(n);
  for (let i = 0; i < tail; i++) {
    const v = order[i]!;
    let x = 0;
    for (let k = inStart[v]!; k < inStart[v + 1]!; k++) {
      const j = inEdge[k]!;
      x = Math.max(x, xs[from[j]!]! + sep[j]!);
    }
    xs[v] = x;
  }
  // blocks of long-edge slots stay where the first pass put them (hugging what is on their left)
  for (let i = tail - 1; i >= 0; i--) {
    const v = order[i]!;
    if (v >= realCount) continue;
    let limit = Infinity;
    for (let k = outStart[v]!; k < outStart[v + 1]!; k++) {
      const j = outEdge[k]!;
      limit = Math.min(limit, xs[to[j]!]! - sep[j]!);
    }
    if (limit !== Infinity && limit > xs[v]!) xs[v] = limit;
  }
  for (let v = 0; v < n; v++) xs[v] = xs[root[v]!]!;
  return xs;
}
