// Drawing quality of the layered layout on generated ResNet, U-Net and transformer graphs (1k and 3k nodes, every box
// 100×40, 20 px gaps): no edge through another box, no crossing, chains drawn as straight columns, little sideways travel.
// The bounds come from Netron's dagre measured on the same graphs with the same sizes (../shared/notes/layout-quality):
// crossings ≤ Netron's (0), straight vertical share ≥ Netron's − 5 points, Σ|Δx| ≤ 1.2 × Netron's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layeredLayout } from '../../src/core/graph/layout/layeredLayout';
import { syntheticGraph, type SyntheticKind } from '../../src/core/graph/layout/syntheticGraphs';
import type { LayoutGraph, LayoutResult } from '../../src/core/graph/layout/layoutTypes';

const W = 100;
const H = 40;

interface Figures {
  crossings: number;
  throughBox: number;
  straight: number;
  dx: number;
}

/** Segment i of the flattened polylines: (ax, ay) → (bx, by) of edge `edge[i]`. */
interface Segments {
  ax: Float64Array;
  ay: Float64Array;
  bx: Float64Array;
  by: Float64Array;
  edge: Int32Array;
}

function segments(r: LayoutResult): Segments {
  let count = 0;
  for (const p of r.edgePoints) count += Math.max(0, p.length / 2 - 1);
  const s = { ax: new Float64Array(count), ay: new Float64Array(count), bx: new Float64Array(count), by: new Float64Array(count), edge: new Int32Array(count) };
  let k = 0;
  r.edgePoints.forEach((p, e) => {
    for (let i = 0; i + 3 < p.length; i += 2, k++) {
      s.ax[k] = p[i]!;
      s.ay[k] = p[i + 1]!;
      s.bx[k] = p[i + 2]!;
      s.by[k] = p[i + 3]!;
      s.edge[k] = e;
    }
  });
  return s;
}

/** Where two segments cross strictly inside both (touching ends, parallel and collinear segments do not count): the y, else NaN. */
function crossingY(s: Segments, i: number, j: number): number {
  const rx = s.bx[i]! - s.ax[i]!;
  const ry = s.by[i]! - s.ay[i]!;
  const qx = s.bx[j]! - s.ax[j]!;
  const qy = s.by[j]! - s.ay[j]!;
  const den = rx * qy - ry * qx;
  if (den === 0) return NaN;
  const dx = s.ax[j]! - s.ax[i]!;
  const dy = s.ay[j]! - s.ay[i]!;
  const t = (dx * qy - dy * qx) / den;
  const u = (dx * ry - dy * rx) / den;
  const eps = 1e-9;
  return t > eps && t < 1 - eps && u > eps && u < 1 - eps ? s.ay[i]! + t * ry : NaN;
}

/** Does the segment enter the box [x0, x1] × [y0, y1] (clipped against the four sides)? */
function hitsBox(s: Segments, i: number, x0: number, y0: number, x1: number, y1: number): boolean {
  let lo = 0;
  let hi = 1;
  const dx = s.bx[i]! - s.ax[i]!;
  const dy = s.by[i]! - s.ay[i]!;
  const sides: [number, number][] = [
    [-dx, s.ax[i]! - x0],
    [dx, x1 - s.ax[i]!],
    [-dy, s.ay[i]! - y0],
    [dy, y1 - s.ay[i]!],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) lo = Math.max(lo, r);
    else hi = Math.min(hi, r);
    if (lo > hi) return false;
  }
  return hi - lo > 1e-9;
}

/** The four figures, with segments and boxes sorted into horizontal bands so each is compared only with its neighbours. */
function figures(g: LayoutGraph, r: LayoutResult): Figures {
  const s = segments(r);
  const band = 60;
  const bands = Math.ceil(r.height / band) + 2;
  const bandOf = (y: number): number => Math.max(0, Math.min(bands - 1, Math.floor(y / band)));
  const inBand: number[][] = Array.from({ length: bands }, () => []);
  for (let i = 0; i < s.edge.length; i++) {
    for (let b = bandOf(Math.min(s.ay[i]!, s.by[i]!) - H); b <= bandOf(Math.max(s.ay[i]!, s.by[i]!) + H); b++) inBand[b]!.push(i);
  }
  let crossings = 0;
  for (let b = 0; b < bands; b++) {
    const list = inBand[b]!;
    for (let p = 0; p < list.length; p++) {
      for (let q = p + 1; q < list.length; q++) {
        const i = list[p]!;
        const j = list[q]!;
        if (s.edge[i] === s.edge[j]) continue;
        const y = crossingY(s, i, j);
        if (!Number.isNaN(y) && bandOf(y) === b) crossings++;
      }
    }
  }
  const through = new Set<number>();
  for (let v = 0; v < g.nodeCount; v++) {
    const x0 = r.x[v]! - W / 2 + 0.5;
    const x1 = r.x[v]! + W / 2 - 0.5;
    const y0 = r.y[v]! - H / 2 + 0.5;
    const y1 = r.y[v]! + H / 2 - 0.5;
    for (const i of inBand[bandOf(r.y[v]!)]!) {
      const e = s.edge[i]!;
      if (g.sources[e] === v || g.targets[e] === v) continue;
      if (hitsBox(s, i, x0, y0, x1, y1)) through.add(e * g.nodeCount + v);
    }
  }
  let straight = 0;
  let dx = 0;
  for (const p of r.edgePoints) {
    let vertical = p.length >= 4;
    for (let k = 2; k < p.length; k += 2) {
      dx += Math.abs(p[k]! - p[k - 2]!);
      if (Math.abs(p[k]! - p[0]!) > 0.5) vertical = false;
    }
    if (vertical) straight++;
  }
  return { crossings, throughBox: through.size, straight: straight / r.edgePoints.length, dx };
}

/** Netron 9.2.1's dagre on the same graphs, same sizes (straight share, Σ|Δx| px); both draw 0 crossings and 0 edges through boxes. */
const NETRON: Record<string, { straight: number; dx: number }> = {
  resnet_1k: { straight: 0.62, dx: 7020 },
  unet_1k: { straight: 0.98, dx: 427 },
  transformer_1k: { straight: 0.4, dx: 31040 },
  resnet_3k: { straight: 0.62, dx: 21260 },
  unet_3k: { straight: 0.99, dx: 427 },
  transformer_3k: { straight: 0.4, dx: 93540 },
};

for (const size of [1000, 3000]) {
  for (const kind of ['resnet', 'unet', 'transformer'] as SyntheticKind[]) {
    const name = `${kind}_${size / 1000}k`;
    test(`drawing quality on ${name}: 0 edges through boxes, 0 crossings, straight chains, little sideways travel (both modes)`, () => {
      const s = syntheticGraph(kind, size);
      const g: LayoutGraph = { ...s, widths: new Float64Array(s.nodeCount).fill(W), heights: new Float64Array(s.nodeCount).fill(H) };
      for (const mode of ['full', 'fast'] as const) {
        const r = layeredLayout(g, { mode, nodeSep: 20, rankSep: 20 });
        const f = figures(g, r);
        const ref = NETRON[name]!;
        assert.equal(f.throughBox, 0, `${name} ${mode}: edges through other boxes`);
        assert.equal(f.crossings, 0, `${name} ${mode}: crossings`);
        assert.ok(f.straight >= ref.straight - 0.05, `${name} ${mode}: straight vertical share ${f.straight.toFixed(3)} (Netron ${ref.straight})`);
        assert.ok(f.dx <= 1.2 * ref.dx, `${name} ${mode}: Σ|Δx| ${Math.round(f.dx)} (Netron ${ref.dx})`);
      }
    });
  }
}

test('the metrics see what they should: a crossing, an edge through a box, a straight edge', () => {
  // 0 → 3 and 1 → 2 cross; 4 → 6 passes through 5
  const g: LayoutGraph = { nodeCount: 7, widths: new Float64Array(7).fill(W), heights: new Float64Array(7).fill(H), sources: [0, 1, 4], targets: [3, 2, 6] };
  const r: LayoutResult = {
    mode: 'full',
    x: Float64Array.of(50, 250, 50, 250, 500, 500, 500),
    y: Float64Array.of(20, 20, 120, 120, 20, 120, 220),
    rank: new Int32Array(7),
    width: 600,
    height: 240,
    crossings: 0,
    edgePoints: [Float64Array.of(50, 40, 250, 100), Float64Array.of(250, 40, 50, 100), Float64Array.of(500, 40, 500, 200)],
  };
  assert.deepEqual(figures(g, r), { crossings: 1, throughBox: 1, straight: 1 / 3, dx: 400 });
});
