// Layered (Sugiyama-style) layout of a directed graph, top to bottom, with explicit loops only so chains of any length fit the stack.
import { assignRanks } from './assignRanks';
import { brandesKoepf } from './brandesKoepf';
import { findBackEdges } from './breakCycles';
import { FAST_MODE_THRESHOLD, type LayoutGraph, type LayoutMode, type LayoutOptions, type LayoutResult } from './layoutTypes';
import { orderLayers } from './orderLayers';
import { adjacency, buildProperGraph } from './properGraph';

/** Per mode: ordering sweeps and whether to keep the best order by crossing count. Both modes give every long edge its dummies. */
const MODE_SETTINGS: Record<LayoutMode, { sweeps: number; keepBest: boolean }> = {
  full: { sweeps: 8, keepBest: true },
  fast: { sweeps: 2, keepBest: false },
};

/** Past the dummy budget, edges longer than this many ranks run down lanes beside the drawing. */
const BUDGET_SPAN = 24;

/** Horizontal spacing of the lanes that carry long edges in fast mode. */
const LANE_GAP = 10;

export function layeredLayout(graph: LayoutGraph, options: LayoutOptions = {}): LayoutResult {
  const n = graph.nodeCount;
  const m = graph.sources.length;
  const mode: LayoutMode = options.mode ?? (n > FAST_MODE_THRESHOLD ? 'fast' : 'full');
  const settings = MODE_SETTINGS[mode];
  const nodeSep = options.nodeSep ?? 24;
  const rankSep = options.rankSep ?? 36;
  const progress = options.onProgress ?? (() => undefined);
  for (let e = 0; e < m; e++) {
    const s = graph.sources[e]!;
    const t = graph.targets[e]!;
    if (!(s >= 0 && s < n && t >= 0 && t < n)) throw new Error(`layeredLayout: edge ${e} refers to a missing node`);
  }

  progress('ranking', 0);
  const back = findBackEdges(n, graph.sources, graph.targets);
  const up = new Int32Array(m);
  const down = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    if (back[e] === 2) {
      up[e] = down[e] = -1;
    } else if (back[e] === 1) {
      up[e] = graph.targets[e]!;
      down[e] = graph.sources[e]!;
    } else {
      up[e] = graph.sources[e]!;
      down[e] = graph.targets[e]!;
    }
  }
  const keptU: number[] = [];
  const keptV: number[] = [];
  for (let e = 0; e < m; e++) {
    if (up[e]! < 0) continue;
    keptU.push(up[e]!);
    keptV.push(down[e]!);
  }
  const rank = assignRanks(n, keptU, keptV);

  progress('ordering', 0.15);
  const proper = buildProperGraph(n, rank, up, down, spanLimit(n, rank, up, down));
  const adj = adjacency(proper);
  const order = orderLayers(proper, adj, settings.sweeps, settings.keepBest);

  progress('placing', 0.6);
  const widths = new Float64Array(proper.count);
  for (let v = 0; v < n; v++) widths[v] = graph.widths[v]!;
  const x = brandesKoepf(proper, adj, order.layers, widths, nodeSep, nodeSep);

  progress('routing', 0.9);
  const rankHeight = new Float64Array(proper.rankCount);
  for (let v = 0; v < n; v++) rankHeight[rank[v]!] = Math.max(rankHeight[rank[v]!]!, graph.heights[v]!);
  const rankTop = new Float64Array(proper.rankCount + 1);
  for (let r = 0; r < proper.rankCount; r++) rankTop[r + 1] = rankTop[r]! + rankHeight[r]! + rankSep;
  const y = new Float64Array(proper.count);
  for (let v = 0; v < proper.count; v++) y[v] = rankTop[proper.rank[v]!]! + rankHeight[proper.rank[v]!]! / 2;

  let width = 0;
  for (let v = 0; v < proper.count; v++) width = Math.max(width, x[v]! + widths[v]! / 2);
  const edgePoints: Float64Array[] = new Array(m);
  let lanes = 0;
  const pts = new Polyline();
  for (let e = 0; e < m; e++) {
    if (up[e]! < 0) {
      edgePoints[e] = new Float64Array(0);
      continue;
    }
    const a = up[e]!;
    const b = down[e]!;
    const chain = proper.chains[e];
    const bottomA = y[a]! + graph.heights[a]! / 2;
    const topB = y[b]! - graph.heights[b]! / 2;
    pts.clear();
    if (!chain && rank[b]! - rank[a]! > 1) {
      // a long edge without dummies (over the dummy budget) runs down its own lane right of the drawing, between the ranks
      const laneX = width + nodeSep + LANE_GAP * lanes++;
      pts.add(x[a]!, bottomA);
      pts.add(laneX, bottomA + rankSep / 2);
      pts.add(laneX, topB - rankSep / 2);
      pts.add(x[b]!, topB);
    } else {
      // Every point sits on the border of a rank band: boxes only live inside bands, so the slanted stretches run in
      // the empty gaps between ranks, and an edge crosses a band vertically, in its own slot (a dummy) or in its box.
      const ra = rank[a]!;
      const rb = rank[b]!;
      pts.add(x[a]!, bottomA);
      pts.add(x[a]!, rankTop[ra]! + rankHeight[ra]!);
      if (chain) {
        for (let k = 1; k + 1 < chain.length; k++) {
          const d = chain[k]!;
          const r = proper.rank[d]!;
          pts.add(x[d]!, rankTop[r]!);
          pts.add(x[d]!, rankTop[r]! + rankHeight[r]!);
        }
      }
      pts.add(x[b]!, rankTop[rb]!);
      pts.add(x[b]!, topB);
    }
    const line = pts.take();
    attachToBorders(
      line,
      graph.widths[a]!,
      graph.heights[a]! / 2 + rankSep / 2,
      graph.widths[b]!,
      graph.heights[b]! / 2 + rankSep / 2,
      graph.heights[a]! / 2,
      graph.heights[b]! / 2,
    );
    edgePoints[e] = back[e] === 1 ? reversePoints(line) : line;
  }

  if (lanes > 0) width += nodeSep + LANE_GAP * (lanes - 1);
  progress('done', 1);
  return {
    mode,
    x: x.slice(0, n),
    y: y.slice(0, n),
    rank,
    width,
    height: proper.rankCount > 0 ? rankTop[proper.rankCount]! - rankSep : 0,
    edgePoints,
    crossings: order.crossings,
  };
}

/**
 * The longest edge that still gets dummy nodes. A few inputs feeding every layer of a deep model (masks, positions)
 * would otherwise add span × edges dummies; past a budget of 20 per node such edges go to lanes as in fast mode.
 */
function spanLimit(n: number, rank: Int32Array, up: Int32Array, down: Int32Array): number {
  let dummies = 0;
  for (let e = 0; e < up.length; e++) {
    if (up[e]! < 0) continue;
    const span = rank[down[e]!]! - rank[up[e]!]!;
    dummies += span - 1;
  }
  return dummies > 20 * n + 10000 ? BUDGET_SPAN : Infinity;
}

/**
 * Moves the two ends along their box borders towards where the edge goes: an end leaves the box where the line from
 * the box centre to the next point, taken at the middle of the gap below (above) the box, meets the border. Edges
 * fanning out of one box leave it side by side, in the order they run, instead of all from the middle.
 */
function attachToBorders(line: Float64Array, widthA: number, reachA: number, widthB: number, reachB: number, halfA: number, halfB: number): void {
  const k = line.length;
  if (k < 4) return;
  const x0 = line[0]!;
  const x1 = line[2]!;
  const xl = line[k - 2]!;
  const xp = line[k - 4]!;
  const port = (cx: number, toward: number, width: number, half: number, reach: number): number => {
    const limit = Math.max(0, width / 2 - 4);
    return cx + Math.max(-limit, Math.min(limit, ((toward - cx) * half) / reach));
  };
  if (x1 !== x0) line[0] = port(x0, x1, widthA, halfA, reachA);
  if (xp !== xl) line[k - 2] = port(xl, xp, widthB, halfB, reachB);
}

/** A polyline being built: repeated points and the middle points of straight vertical runs are dropped. */
class Polyline {
  private data = new Float64Array(16);
  private size = 0;

  clear(): void {
    this.size = 0;
  }

  add(px: number, py: number): void {
    const k = this.size;
    if (k >= 2 && this.data[k - 2] === px && this.data[k - 1] === py) return;
    if (k >= 4 && this.data[k - 2] === px && this.data[k - 4] === px) {
      this.data[k - 1] = py;
      return;
    }
    if (k + 2 > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[k] = px;
    this.data[k + 1] = py;
    this.size = k + 2;
  }

  take(): Float64Array {
    return this.data.slice(0, this.size);
  }
}

function reversePoints(pts: Float64Array): Float64Array {
  const out = new Float64Array(pts.length);
  const k = pts.length / 2;
  for (let i = 0; i < k; i++) {
    out[2 * i] = pts[2 * (k - 1 - i)]!;
    out[2 * i + 1] = pts[2 * (k - 1 - i) + 1]!;
  }
  return out;
}
