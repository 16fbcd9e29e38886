// Finds a set of edges whose reversal makes a directed graph acyclic (iterative DFS: no recursion, any depth).

/** Returns a flag per edge: 1 when the edge closes a cycle and must be reversed for ranking. Self loops are flagged 2 (ignored). */
export function findBackEdges(nodeCount: number, sources: ArrayLike<number>, targets: ArrayLike<number>): Uint8Array {
  const m = sources.length;
  const flags = new Uint8Array(m);
  const start = new Int32Array(nodeCount + 1);
  for (let e = 0; e < m; e++) start[sources[e]! + 1]!++;
  for (let v = 0; v < nodeCount; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, nodeCount);
  const outEdge = new Int32Array(m);
  for (let e = 0; e < m; e++) outEdge[fill[sources[e]!]!++] = e;

  // state: 0 new, 1 on the DFS stack, 2 finished
  const state = new Uint8Array(nodeCount);
  const next = new Int32Array(nodeCount);
  const stack = new Int32Array(nodeCount);
  for (let root = 0; root < nodeCount; root++) {
    if (state[root] !== 0) continue;
    let top = 0;
    stack[0] = root;
    state[root] = 1;
    next[root] = start[root]!;
    while (top >= 0) {
      const v = stack[top]!;
      if (next[v]! < start[v + 1]!) {
        const e = outEdge[next[v]!++]!;
        const w = targets[e]!;
        if (w === v) flags[e] = 2;
        else if (state[w] === 1) flags[e] = 1;
        else if (state[w] === 0) {
          state[w] = 1;
          next[w] = start[w]!;
          stack[++top] = w;
        }
      } else {
        state[v] = 2;
        top--;
      }
    }
  }
  return flags;
}
