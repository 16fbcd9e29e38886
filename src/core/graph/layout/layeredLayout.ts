// Layered (Sugiyama-style) layout of a directed graph, top to bottom, with explicit loops only so chains of any length fit the stack.
import { assignCoordinates } from './assignCoordinates';
import { assignRanks } from './assignRanks';
import { findBackEdges } from './breakCycles';
import { FAST_MODE_THRESHOLD, type LayoutGraph, type LayoutMode, type LayoutOptions, type LayoutResult } from './layoutTypes';
import { orderLayers } from './orderLayers';
import { adjacency, buildProperGraph } from './properGraph';

/** Per mode: ordering sweeps, whether to keep the best order by crossing count, coordinate passes, longest edge given dummies. */
const MODE_SETTINGS: Record<LayoutMode, { sweeps: number; keepBest: boolean; passes: number; maxSpan: number }> = {
  full: { sweeps: 8, keepBest: true, passes: 8, maxSpan: Infinity },
  fast: { sweeps: 2, keepBest: false, passes: 4, maxSpan: 24 },
};

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
  const proper = buildProperGraph(n, rank, up, down, spanLimit(n, rank, up, down, settings.maxSpan));
  const adj = adjacency(proper);
  const order = orderLayers(proper, adj, settings.sweeps, settings.keepBest);

  progress('placing', 0.6);
  const widths = new Float64Array(proper.count);
  for (let v = 0; v < n; v++) widths[v] = graph.widths[v]!;
  const x = assignCoordinates(proper, adj, order.layers, widths, nodeSep, settings.passes);

  progress('routing', 0.9);
  const rankHeight = new Float64Array(proper.rankCount);
  for (let v = 0; v < n; v++) rankHeight[rank[v]!] = Math.max(rankHeight[rank[v]!]!, graph.heights[v]!);
  const rankTop = new Float64Array(proper.rankCount + 1);
  for (let r = 0; r < proper.rankCount; r++) rankTop[r + 1] = rankTop[r]! + rankHeight[r]! + rankSep;
  const y = new Float64Array(proper.count);
  for (let v = 0; v < proper.count; v++) y[v] = rankTop[proper.rank[v]!]! + rankHeight[proper.rank[v]!]! / 2;

  let width = 0;
  for (let v = 0; v < n; v++) width = Math.max(width, x[v]! + graph.widths[v]! / 2);
  const edgePoints: Float64Array[] = new Array(m);
  let lanes = 0;
  for (let e = 0; e < m; e++) {
    if (up[e]! < 0) {
      edgePoints[e] = new Float64Array(0);
      continue;
    }
    const chain = proper.chains[e];
    if (!chain && rank[down[e]!]! - rank[up[e]!]! > 1) {
      // a long edge without dummies (fast mode) runs down its own lane right of the drawing instead of through the boxes
      const a = up[e]!;
      const b = down[e]!;
      const laneX = width + nodeSep + LANE_GAP * lanes++;
      const pts = Float64Array.of(x[a]!, y[a]! + graph.heights[a]! / 2, laneX, y[a]! + graph.heights[a]! / 2 + rankSep / 2, laneX, y[b]! - graph.heights[b]! / 2 - rankSep / 2, x[b]!, y[b]! - graph.heights[b]! / 2);
      edgePoints[e] = back[e] === 1 ? reversePoints(pts) : pts;
      continue;
    }
    if (!chain) {
      const a = up[e]!;
      const b = down[e]!;
      const pts = Float64Array.of(x[a]!, y[a]! + graph.heights[a]! / 2, x[b]!, y[b]! - graph.heights[b]! / 2);
      edgePoints[e] = back[e] === 1 ? reversePoints(pts) : pts;
      continue;
    }
    const pts = new Float64Array(chain.length * 2);
    for (let k = 0; k < chain.length; k++) {
      const v = chain[k]!;
      pts[2 * k] = x[v]!;
      // real ends attach to the box border: bottom of the upper box, top of the lower one
      const half = v < n ? graph.heights[v]! / 2 : 0;
      pts[2 * k + 1] = k === 0 ? y[v]! + half : k === chain.length - 1 ? y[v]! - half : y[v]!;
    }
    edgePoints[e] = back[e] === 1 ? reversePoints(pts) : pts;
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
function spanLimit(n: number, rank: Int32Array, up: Int32Array, down: Int32Array, maxSpan: number): number {
  let dummies = 0;
  for (let e = 0; e < up.length; e++) {
    if (up[e]! < 0) continue;
    const span = rank[down[e]!]! - rank[up[e]!]!;
    if (span <= maxSpan) dummies += span - 1;
  }
  return dummies > 20 * n + 10000 ? Math.min(maxSpan, MODE_SETTINGS.fast.maxSpan) : maxSpan;
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
