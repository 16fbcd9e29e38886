// Rank assignment for an acyclic graph: longest path from the sources, then nodes pulled down towards their successors where that shortens edges.

/**
 * Ranks for nodes 0..n-1 given acyclic edges (u[i] → v[i]): every edge points to a strictly larger rank.
 * Longest-path ranking puts everything as high as possible; a second pass in reverse topological order moves
 * a node down when it has at least as many outgoing as incoming edges, so the total edge length does not grow:
 * sources such as constants, and whole side chains (an ONNX shape computation), end right above their user.
 */
export function assignRanks(n: number, u: ArrayLike<number>, v: ArrayLike<number>): Int32Array {
  const m = u.length;
  const indeg = new Int32Array(n);
  const outdeg = new Int32Array(n);
  const start = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    indeg[v[e]!]!++;
    outdeg[u[e]!]!++;
    start[u[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const succ = new Int32Array(m);
  for (let e = 0; e < m; e++) succ[fill[u[e]!]!++] = v[e]!;

  const order = new Int32Array(n);
  const remaining = indeg.slice();
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (remaining[i] === 0) order[tail++] = i;
  const rank = new Int32Array(n);
  while (head < tail) {
    const a = order[head++]!;
    for (let k = start[a]!; k < start[a + 1]!; k++) {
      const b = succ[k]!;
      if (rank[a]! + 1 > rank[b]!) rank[b] = rank[a]! + 1;
      if (--remaining[b]! === 0) order[tail++] = b;
    }
  }
  if (tail !== n) throw new Error('assignRanks: graph has a cycle');

  for (let i = n - 1; i >= 0; i--) {
    const a = order[i]!;
    if (start[a] === start[a + 1] || outdeg[a]! < indeg[a]!) continue;
    let lowest = Infinity;
    for (let k = start[a]!; k < start[a + 1]!; k++) lowest = Math.min(lowest, rank[succ[k]!]!);
    if (lowest - 1 > rank[a]!) rank[a] = lowest - 1;
  }
  let min = Infinity;
  for (let i = 0; i < n; i++) min = Math.min(min, rank[i]!);
  if (min > 0 && Number.isFinite(min)) for (let i = 0; i < n; i++) rank[i]! -= min;
  return rank;
}
