// The graph view's SVG markup: findable nodes for tests, fusion badges, shape labels, and escaping of every payload string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layeredLayout } from '../../src/core/graph/layout/layeredLayout';
import { scopeFrames } from '../../src/core/graph/layout/scopeFrames';
import { toLayoutGraph, visibleGraph } from '../../src/core/graph/layout/visibleGraph';
import type { GraphPayload, PayloadNode } from '../../src/protocol';
import { makeScene, sceneBounds } from '../../webview/graphView/scene';
import { edgePathData, nodesMarkup, sceneSvgDocument } from '../../webview/graphView/sceneMarkup';

function node(id: string, label: string, scope: string, fusion: number | null = null): PayloadNode {
  return {
    id,
    kind: 'op',
    op: `torch.${label}`,
    label,
    modulePath: null,
    scope,
    outputs: [{ symbolic: '[B, 8, H, W]', concrete: '[1, 8, 4, 4]' }],
    params: 0,
    flops: 0,
    file: '/m.py',
    line: 3,
    fusion,
    detail: '',
  };
}

const hostile = '<img src=x onerror=alert(1)>"&';
const payload: GraphPayload = {
  key: 'k',
  title: 't',
  file: '/m.py',
  paramsTotal: 0,
  flopsTotal: 0,
  stale: false,
  nodes: [node('a', 'conv', 'enc'), node('b', hostile, 'enc'), node('c', 'cat', '', 0)],
  edges: [
    { source: 'a', target: 'b', value: 'v1', shape: { symbolic: '[B, 8, H, W]', concrete: '[1, 8, 4, 4]' } },
    { source: 'b', target: 'c', value: 'v2', shape: { symbolic: hostile, concrete: hostile } },
    { source: 'a', target: 'c', value: 'v1', shape: null },
  ],
  scopes: [{ path: 'enc', type: hostile, parent: '', nodeCount: 2 }],
  fusions: [{ node: 'c', method: 'concat', inputs: [], output: null, levels: '/1 /2 /4', explanation: { en: '', 'zh-cn': '' }, params: 0, flops: 0 }],
};

function scene(expanded: Set<string>) {
  const v = visibleGraph(payload, expanded);
  const layout = layeredLayout(toLayoutGraph(v));
  return makeScene(payload, v, layout, scopeFrames(v, layout, expanded));
}

test('nodes carry stable test ids; the fusion node has its badge and method', () => {
  const markup = nodesMarkup(scene(new Set(['enc'])));
  assert.equal(markup.match(/data-testid="graph-node"/g)?.length, 2);
  assert.equal(markup.match(/data-testid="fusion-node"/g)?.length, 1);
  assert.match(markup, /data-node-id="c" data-line="3" data-fusion-method="concat"/);
  assert.match(markup, /concat · \/1 \/2 \/4/);
  const collapsed = nodesMarkup(scene(new Set()));
  assert.match(collapsed, /data-testid="graph-group" data-scope="enc"/);
});

test('payload strings never reach the markup unescaped', () => {
  for (const expanded of [new Set<string>(), new Set(['enc'])]) {
    const s = scene(expanded);
    const doc = sceneSvgDocument(s, sceneBounds(s), '', '#000');
    assert.ok(!doc.includes('<img'), 'no raw tag from the payload');
    assert.ok(!/onerror=alert\(1\)>/.test(doc));
    assert.ok(doc.includes('&lt;img') || doc.includes('&lt;im'), 'escaped text is present');
  }
});

test('fusion-bound edges are marked and shapes label edges', () => {
  const s = scene(new Set(['enc']));
  assert.deepEqual(Array.from(s.fusionEdge), [0, 1, 1]);
  const doc = sceneSvgDocument(s, sceneBounds(s), '', '#000');
  assert.match(doc, /class="g-edge-label"[^>]*>\[1, 8, 4, 4\]</);
  assert.equal(doc.match(/class="g-edge fusion-in"/g)?.length, 2);
});

test('edge paths: straight segments stay lines, bends become vertical-tangent curves', () => {
  assert.equal(edgePathData(Float64Array.of(10, 0, 10, 50)), 'M10,0L10,50');
  assert.equal(edgePathData(Float64Array.of(0, 0, 20, 40)), 'M0,0C0,20 20,20 20,40');
});

test('a tensor fanning out to several boxes is labelled once', () => {
  const s = scene(new Set(['enc']));
  // edges a→b and a→c both carry v1: only the first is labelled
  assert.deepEqual(Array.from(s.labelled), [1, 1, 0]);
});
