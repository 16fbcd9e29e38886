// Tests of grouping by module scope: collapsed scopes become one box, edges merge, default expansion respects the budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleGraph, defaultExpanded, scopesToReveal, toLayoutGraph } from '../../src/core/graph/layout/visibleGraph';
import { scopeFrames } from '../../src/core/graph/layout/scopeFrames';
import { layeredLayout } from '../../src/core/graph/layout/layeredLayout';
import type { GraphPayload, PayloadNode } from '../../src/protocol';

function n(id: string, scope: string, fusion: number | null = null): PayloadNode {
  return {
    id,
    kind: 'op',
    op: 'nn.Conv2d',
    label: id,
    modulePath: null,
    scope,
    outputs: [{ symbolic: '[B, 8]', concrete: '[1, 8]' }],
    params: 0,
    flops: 0,
    file: null,
    line: null,
    fusion,
    detail: '',
  };
}

// x → a.0.c1 → a.0.c2 → a.1.c1 → cat(b.m, a.1.c1) → out
const payload: GraphPayload = {
  key: 'k',
  title: 't',
  file: 'f',
  paramsTotal: 0,
  flopsTotal: 0,
  stale: false,
  nodes: [n('x', ''), n('c1', 'a.0'), n('c2', 'a.0'), n('d1', 'a.1'), n('m', 'b'), n('cat', '', 0)],
  edges: [
    { source: 'x', target: 'c1', value: 'v', shape: null },
    { source: 'c1', target: 'c2', value: 'v', shape: null },
    { source: 'c2', target: 'd1', value: 'v', shape: null },
    { source: 'x', target: 'm', value: 'v', shape: null },
    { source: 'd1', target: 'cat', value: 'v', shape: null },
    { source: 'm', target: 'cat', value: 'v', shape: null },
    { source: 'c1', target: 'd1', value: 'v', shape: null },
  ],
  scopes: [
    { path: 'a', type: 'Sequential', parent: '', nodeCount: 3 },
    { path: 'a.0', type: 'Block', parent: 'a', nodeCount: 2 },
    { path: 'a.1', type: 'Block', parent: 'a', nodeCount: 1 },
    { path: 'b', type: 'Conv', parent: '', nodeCount: 1 },
  ],
  fusions: [],
};

test('everything expanded: one box per node, every edge', () => {
  const v = visibleGraph(payload, new Set(['a', 'a.0', 'a.1', 'b']));
  assert.equal(v.items.length, 6);
  assert.equal(v.edges.length, 7);
});

test('collapsed scope: members merge into one box, inner edges vanish, parallel edges merge', () => {
  const v = visibleGraph(payload, new Set(['b']));
  assert.deepEqual(
    v.items.map((i) => i.id),
    ['x', 'scope:a', 'm', 'cat'],
  );
  assert.equal(v.items[1]!.label, 'a · Sequential');
  assert.equal(v.items[1]!.sublabel, '3 ops');
  assert.deepEqual(
    v.edges.map((e) => `${v.items[e.source]!.id}>${v.items[e.target]!.id}:${e.edges.join(',')}`),
    ['x>scope:a:0', 'x>m:3', 'scope:a>cat:4', 'm>cat:5'],
  );
  // a fusion inside a collapsed group marks the group
  const withFusion = visibleGraph({ ...payload, nodes: payload.nodes.map((p) => (p.id === 'c2' ? { ...p, fusion: 0 } : p)) }, new Set());
  assert.equal(withFusion.items.find((i) => i.id === 'scope:a')!.fusion, 0);
  // an expanded outer scope with a collapsed inner one shows the inner as a box; single-op scopes (a.1, b) never become boxes
  const partly = visibleGraph(payload, new Set(['a']));
  assert.deepEqual(
    partly.items.map((i) => i.id),
    ['x', 'scope:a.0', 'd1', 'm', 'cat'],
  );
});

test('default expansion stays within the budget, outer scopes first', () => {
  assert.deepEqual([...defaultExpanded(payload, 100)].sort(), ['a', 'a.0', 'a.1', 'b']);
  const small = defaultExpanded(payload, 4);
  // root shows x, cat, a, b (4); opening b keeps 4 boxes, opening a would make 5
  assert.deepEqual([...small], ['b']);
  for (const budget of [1, 2, 3, 4, 5, 6, 7]) {
    const e = defaultExpanded(payload, budget);
    const count = visibleGraph(payload, e).items.length;
    assert.ok(count <= Math.max(budget, 4), `budget ${budget}: ${count}`);
  }
  assert.deepEqual(scopesToReveal('a.0', new Set(['b'])), ['a', 'a.0']);
});

test('frames enclose the members of expanded scopes', () => {
  const expanded = new Set(['a', 'a.0', 'a.1', 'b']);
  const v = visibleGraph(payload, expanded);
  const layout = layeredLayout(toLayoutGraph(v));
  const frames = scopeFrames(v, layout, expanded);
  // scopes with one visible member get no frame
  assert.deepEqual(
    frames.map((f) => f.scope),
    ['a', 'a.0'],
  );
  const a = frames[0]!;
  for (const id of ['c1', 'c2', 'd1']) {
    const i = v.items.findIndex((it) => it.id === id);
    assert.ok(layout.x[i]! - v.items[i]!.width / 2 >= a.x && layout.x[i]! + v.items[i]!.width / 2 <= a.x + a.width);
    assert.ok(layout.y[i]! >= a.y && layout.y[i]! <= a.y + a.height);
  }
  const a0 = frames[1]!;
  assert.ok(a0.x > a.x && a0.width < a.width, 'inner frame sits inside the outer one');
});

test('a scope that only wraps another is framed once, and nested frames leave room for titles', () => {
  const nested: GraphPayload = {
    ...payload,
    nodes: [n('x', ''), n('c1', 'p.q'), n('c2', 'p.q'), n('c3', 'p')],
    edges: [
      { source: 'x', target: 'c1', value: 'v', shape: null },
      { source: 'c1', target: 'c2', value: 'v', shape: null },
      { source: 'c2', target: 'c3', value: 'v', shape: null },
    ],
    scopes: [
      { path: 'p', type: 'Up', parent: '', nodeCount: 3 },
      { path: 'p.q', type: 'DoubleConv', parent: 'p', nodeCount: 2 },
      { path: 'p.q.r', type: 'Sequential', parent: 'p.q', nodeCount: 0 },
    ],
  };
  const expanded = new Set(['p', 'p.q']);
  const v = visibleGraph(nested, expanded);
  const layout = layeredLayout(toLayoutGraph(v));
  const frames = scopeFrames(v, layout, expanded);
  assert.deepEqual(
    frames.map((f) => [f.scope, f.depth]),
    [
      ['p', 0],
      ['p.q', 1],
    ],
  );
  assert.ok(frames[1]!.y - frames[0]!.y >= 14, 'the outer title sits above the inner one');
  // without c3, p frames exactly what p.q frames: only p is drawn
  const only = { ...nested, nodes: nested.nodes.slice(0, 3), edges: nested.edges.slice(0, 2) };
  const v2 = visibleGraph(only, expanded);
  assert.deepEqual(
    scopeFrames(v2, layeredLayout(toLayoutGraph(v2)), expanded).map((f) => f.scope),
    ['p'],
  );
});

test('ONNX Constant nodes without inputs fold into their users', () => {
  const withConst: GraphPayload = {
    ...payload,
    nodes: [...payload.nodes, { ...n('k', ''), label: 'Constant', op: 'onnx.Constant' }],
    edges: [...payload.edges, { source: 'k', target: 'cat', value: 'kv', shape: null }],
  };
  const v = visibleGraph(withConst, new Set(['a', 'a.0', 'a.1', 'b']));
  assert.equal(v.items.length, 6);
  assert.equal(v.itemOfNode[6], -1);
  assert.equal(v.edges.length, 7, 'the constant edge is not drawn');
});
