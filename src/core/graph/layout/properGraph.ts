// A "proper" layered graph: every edge spans exactly one rank, long edges replaced by chains of dummy nodes.

export interface ProperGraph {
  /** Real nodes first (0..realCount-1), then dummies. */
  readonly count: number;
  readonly realCount: number;
  readonly rank: Int32Array;
  readonly rankCount: number;
  /** Unit-span segments (upper → lower). */
  readonly segUpper: Int32Array;
  readonly segLower: Int32Array;
  /** Per input edge: the node chain from its upper to its lower end (inclusive), or null for a self loop / a skipped long edge. */
  readonly chains: readonly (Int32Array | null)[];
}

/**
 * Builds the proper graph. `up[e]`/`down[e]` are the ends of edge e after cycle breaking (rank[up] < rank[down]),
 * -1 for ignored edges. Edges spanning more than `maxSpan` ranks get no dummies (they are drawn straight).
 */
export function buildProperGraph(realCount: number, realRank: Int32Array, up: Int32Array, down: Int32Array, maxSpan: number): ProperGraph {
  let dummyCount = 0;
  let segCount = 0;
  for (let e = 0; e < up.length; e++) {
    if (up[e]! < 0) continue;
    const span = realRank[down[e]!]! - realRank[up[e]!]!;
    if (span > maxSpan) continue;
    dummyCount += span - 1;
    segCount += span;
  }
  const count = realCount + dummyCount;
  const rank = new Int32Array(count);
  rank.set(realRank);
  const segUpper = new Int32Array(segCount);
  const segLower = new Int32Array(segCount);
  const chains: (Int32Array | null)[] = new Array(up.length).fill(null);
  let nextDummy = realCount;
  let s = 0;
  let rankCount = 0;
  for (let i = 0; i < realCount; i++) rankCount = Math.max(rankCount, realRank[i]! + 1);
  for (let e = 0; e < up.length; e++) {
    if (up[e]! < 0) continue;
    const a = up[e]!;
    const b = down[e]!;
    const span = realRank[b]! - realRank[a]!;
    if (span > maxSpan) continue;
    const chain = new Int32Array(span + 1);
    chain[0] = a;
    for (let k = 1; k < span; k++) {
      rank[nextDummy] = realRank[a]! + k;
      chain[k] = nextDummy++;
    }
    chain[span] = b;
    for (let k = 0; k < span; k++) {
      segUpper[s] = chain[k]!;
      segLower[s++] = chain[k + 1]!;
    }
    chains[e] = chain;
  }
  return { count, realCount, rank, rankCount, segUpper, segLower, chains };
}

/** Compressed adjacency of the segments in both directions. */
export interface Adjacency {
  readonly upStart: Int32Array;
  readonly upNodes: Int32Array;
  readonly downStart: Int32Array;
  readonly downNodes: Int32Array;
}

export function adjacency(g: ProperGraph): Adjacency {
  const build = (from: Int32Array, to: Int32Array): [Int32Array, Int32Array] => {
    const start = new Int32Array(g.count + 1);
    for (let i = 0; i < from.length; i++) start[from[i]! + 1]!++;
    for (let i = 0; i < g.count; i++) start[i + 1]! += start[i]!;
    const fill = start.slice(0, g.count);
    const nodes = new Int32Array(from.length);
    for (let i = 0; i < from.length; i++) nodes[fill[from[i]!]!++] = to[i]!;
    return [start, nodes];
  };
  const [downStart, downNodes] = build(g.segUpper, g.segLower);
  const [upStart, upNodes] = build(g.segLower, g.segUpper);
  return { upStart, upNodes, downStart, downNodes };
}
