// Structural tests of the layered layout: no overlaps within a rank, edges point down, determinism, deep chains, cycles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { layeredLayout } from '../../src/core/graph/layout/layeredLayout';
import { syntheticGraph } from '../../src/core/graph/layout/syntheticGraphs';
import { countCrossings } from '../../src/core/graph/layout/countCrossings';
import type { LayoutGraph, LayoutResult } from '../../src/core/graph/layout/layoutTypes';

function graphOf(n: number, edges: [number, number][], width = (i: number) => 60 + (i % 3) * 20): LayoutGraph {
  return {
    nodeCount: n,
    widths: Array.from({ length: n }, (_, i) => width(i)),
    heights: Array.from({ length: n }, () => 30),
    sources: edges.map((e) => e[0]),
    targets: edges.map((e) => e[1]),
  };
}

/** Boxes of one rank never overlap, and forward edges run from a higher to a lower rank (downwards). */
function checkStructure(g: LayoutGraph, r: LayoutResult, acyclic: boolean): void {
  const byRank = new Map<number, number[]>();
  for (let v = 0; v < g.nodeCount; v++) {
    assert.ok(Number.isFinite(r.x[v]!) && Number.isFinite(r.y[v]!), `node ${v} has coordinates`);
    const list = byRank.get(r.rank[v]!) ?? [];
    list.push(v);
    byRank.set(r.rank[v]!, list);
  }
  for (const list of byRank.values()) {
    list.sort((a, b) => r.x[a]! - r.x[b]!);
    for (let i = 0; i + 1 < list.length; i++) {
      const a = list[i]!;
      const b = list[i + 1]!;
      assert.ok(r.x[a]! + g.widths[a]! / 2 <= r.x[b]! - g.widths[b]! / 2 + 1e-6, `nodes ${a} and ${b} overlap`);
      assert.equal(r.y[a], r.y[b]);
    }
  }
  for (let e = 0; e < g.sources.length; e++) {
    const s = g.sources[e]!;
    const t = g.targets[e]!;
    const pts = r.edgePoints[e]!;
    if (s === t) {
      assert.equal(pts.length, 0);
      continue;
    }
    assert.ok(pts.length >= 4);
    if (acyclic) {
      assert.ok(r.rank[s]! < r.rank[t]!, `edge ${s}->${t} points down`);
      for (let k = 3; k < pts.length; k += 2) assert.ok(pts[k]! > pts[k - 2]!, 'polyline descends');
    }
    // the polyline starts on the source box's border and ends on the target box's border (bottom / top for forward edges)
    const [from, to] = acyclic || r.rank[s]! < r.rank[t]! ? [s, t] : [t, s];
    const [p0x, p0y, p1x, p1y] =
      from === s ? [pts[0]!, pts[1]!, pts[pts.length - 2]!, pts[pts.length - 1]!] : [pts[pts.length - 2]!, pts[pts.length - 1]!, pts[0]!, pts[1]!];
    assert.ok(
      Math.abs(p0x - r.x[from]!) <= g.widths[from]! / 2 && Math.abs(p0y - (r.y[from]! + g.heights[from]! / 2)) < 1e-6,
      `edge ${e} leaves the bottom border`,
    );
    assert.ok(Math.abs(p1x - r.x[to]!) <= g.widths[to]! / 2 && Math.abs(p1y - (r.y[to]! - g.heights[to]! / 2)) < 1e-6, `edge ${e} enters the top border`);
  }
  for (let v = 0; v < g.nodeCount; v++) {
    assert.ok(r.x[v]! - g.widths[v]! / 2 >= -1e-6 && r.x[v]! + g.widths[v]! / 2 <= r.width + 1e-6);
  }
}

const dagArb = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n })));

test('random DAGs: structure holds in both modes', () => {
  fc.assert(
    fc.property(dagArb, fc.constantFrom('full' as const, 'fast' as const), ([n, pairs], mode) => {
      const edges = pairs.filter(([a, b]) => a !== b).map(([a, b]): [number, number] => (a < b ? [a, b] : [b, a]));
      const g = graphOf(n, edges);
      checkStructure(g, layeredLayout(g, { mode }), true);
    }),
    { numRuns: 300 },
  );
});

test('graphs with cycles and self loops still lay out without overlaps', () => {
  fc.assert(
    fc.property(dagArb, ([n, pairs]) => {
      const g = graphOf(n, pairs);
      checkStructure(g, layeredLayout(g), false);
    }),
    { numRuns: 200 },
  );
  const r = layeredLayout(
    graphOf(3, [
      [0, 1],
      [1, 2],
      [2, 0],
    ]),
  );
  assert.deepEqual(Array.from(r.rank), [0, 1, 2]);
  // the back edge is drawn from node 2 up to node 0
  const back = r.edgePoints[2]!;
  assert.ok(back[1]! > back[back.length - 1]!);
});

test('deterministic: same input, same output', () => {
  const g = syntheticGraph('unet', 1500);
  const a = layeredLayout(g);
  const b = layeredLayout(g);
  assert.deepEqual(Array.from(a.x), Array.from(b.x));
  assert.deepEqual(Array.from(a.y), Array.from(b.y));
  assert.deepEqual(
    a.edgePoints.map((p) => Array.from(p)),
    b.edgePoints.map((p) => Array.from(p)),
  );
});

test('a 30k-node chain does not overflow the stack and stays one column wide', () => {
  const n = 30000;
  const edges: [number, number][] = [];
  for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1]);
  const g = graphOf(n, edges, () => 100);
  const r = layeredLayout(g, { mode: 'full' });
  assert.equal(r.rank[n - 1], n - 1);
  assert.equal(r.width, 100);
  // the reversed chain (a cycle closed at the end) also survives the iterative DFS
  edges.push([n - 1, 0]);
  assert.doesNotThrow(() => layeredLayout(graphOf(n, edges, () => 100)));
});

test('model-shaped graphs: no crossings, no sideways drift, valid structure', () => {
  for (const kind of ['resnet', 'unet', 'transformer'] as const) {
    for (const size of [300, 3000]) {
      const g = syntheticGraph(kind, size);
      const r = layeredLayout(g);
      checkStructure(g, r, true);
      assert.equal(r.crossings, 0, `${kind} ${size} crossings`);
      // these families are 2-4 boxes wide: the drawing must not staircase sideways as the graph grows
      assert.ok(r.width < 600, `${kind} ${size} width ${r.width}`);
    }
  }
});

test('fast mode is chosen for large graphs and keeps the structure', () => {
  const g = syntheticGraph('unet', 6000);
  const r = layeredLayout(g);
  assert.equal(r.mode, 'fast');
  checkStructure(g, r, true);
});

test('long edges bend around boxes through their dummy nodes', () => {
  // 0 → 1 → 2 → 3 and a skip 0 → 3: the skip must not pass through the centres of 1 and 2
  const g = graphOf(
    4,
    [
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 3],
    ],
    () => 80,
  );
  const r = layeredLayout(g);
  const skip = r.edgePoints[3]!;
  assert.equal(skip.length, 8);
  for (const v of [1, 2]) assert.ok(Math.abs(skip[2 * v]! - r.x[v]!) >= 40, 'skip edge clears the box');
});

test('countCrossings matches brute force', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 30 }), (segs) => {
      const upper = Int32Array.from(segs.map((s) => s[0]));
      const lower = Int32Array.from(segs.map((s) => s[1]));
      let brute = 0;
      for (let i = 0; i < segs.length; i++) for (let j = i + 1; j < segs.length; j++) if ((upper[i]! - upper[j]!) * (lower[i]! - lower[j]!) < 0) brute++;
      assert.equal(countCrossings(upper, lower, 10), brute);
    }),
  );
});

test('fast mode gives very long edges their own slots too (no side lanes), clear of every box', () => {
  // a 60-node chain with a skip from the first to the last node
  const edges: [number, number][] = [];
  for (let i = 0; i + 1 < 60; i++) edges.push([i, i + 1]);
  edges.push([0, 59]);
  const g = graphOf(60, edges, () => 100);
  for (const mode of ['fast', 'full'] as const) {
    const r = layeredLayout(g, { mode });
    checkStructure(g, r, true);
    const skip = r.edgePoints[59]!;
    // the chain is one straight column; the skip runs beside it with at least nodeSep of clearance
    for (let v = 2; v < 59; v++) assert.equal(r.x[v], r.x[1]);
    for (let k = 2; k < skip.length - 2; k += 2) assert.ok(Math.abs(skip[k]! - r.x[1]!) >= 50 + 24, `${mode}: skip point ${k / 2} clears the chain`);
    assert.ok(skip.length <= 12, `${mode}: the skip's straight run is one segment (${skip.length / 2} points)`);
  }
});

test('a layout packed for the worker transfer unpacks to the same result', async () => {
  const { packLayout, unpackLayout, transferList } = await import('../../webview/graphView/layoutJob');
  const g = syntheticGraph('unet', 400);
  const r = layeredLayout(g);
  const packed = packLayout(r);
  assert.equal(transferList(packed).length, 5);
  const back = unpackLayout(structuredClone(packed));
  assert.deepEqual(Array.from(back.x), Array.from(r.x));
  assert.deepEqual(
    back.edgePoints.map((p) => Array.from(p)),
    r.edgePoints.map((p) => Array.from(p)),
  );
  assert.equal(back.crossings, r.crossings);
});

test('full mode caps dummy nodes when a few inputs feed every layer of a deep chain', () => {
  // 3000-node chain, and a "mask" input (node 3000) feeding every 10th node: 300 edges spanning up to 3000 ranks
  const n = 3001;
  const edges: [number, number][] = [];
  for (let i = 0; i + 1 < 3000; i++) edges.push([i, i + 1]);
  for (let i = 10; i < 3000; i += 10) edges.push([3000, i]);
  const g = graphOf(n, edges, () => 80);
  const r = layeredLayout(g, { mode: 'full' });
  checkStructure(g, r, true);
  // the mask sits right above its first user; its long edges run in lanes (4 points) instead of thousands of dummies
  const longest = r.edgePoints[edges.length - 1]!;
  assert.equal(longest.length, 8);
});

test('a side chain (like an ONNX shape computation) is ranked right above its user, not at the top', () => {
  // main chain 0..9; side chain 10 → 11 → 12 feeds node 8
  const edges: [number, number][] = [];
  for (let i = 0; i < 9; i++) edges.push([i, i + 1]);
  edges.push([10, 11], [11, 12], [12, 8]);
  const r = layeredLayout(graphOf(13, edges));
  assert.deepEqual([r.rank[10], r.rank[11], r.rank[12]], [5, 6, 7]);
  assert.equal(r.rank[0], 0);
});

test('a 30k-node U-Net lays out in both modes without overflowing the stack and without crossings', () => {
  const g = syntheticGraph('unet', 30000);
  for (const mode of ['fast', 'full'] as const) {
    const r = layeredLayout(g, { mode });
    assert.equal(r.crossings, 0, `${mode}: crossings`);
    assert.equal(r.x.length, g.nodeCount);
  }
});
