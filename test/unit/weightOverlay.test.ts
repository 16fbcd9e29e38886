// Weights on the graph: parameters placed on the nodes of their module, a layer's change over its parameters together
// (buffers listed, not counted), unplaced entries named; and from two real checkpoints, the layers ordered as trained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { changeOverlay, weightsOverlay } from '../../src/core/graph/weightOverlay';
import { isFromRunPanel, isToGraphView, isWeightOverlay } from '../../src/protocol';
import { readWeightsFile } from '../../src/core/weights/readWeightsFile';
import { toFloat32 } from '../../src/core/weights/toFloat32';
import { weightChanges } from '../../src/core/weights/weightChange';
import type { StateDict } from '../../src/core/weights/stateTensor';

const nodes = [
  { id: 'n0', modulePath: null },
  { id: 'n1', modulePath: 'conv' },
  { id: 'n2', modulePath: 'bn' },
  { id: 'n3', modulePath: 'conv' }, // the same module called twice
  { id: 'n4', modulePath: 'fc' },
];

test('a layer value is ‖Δ‖/‖a‖ over its parameters together; buffers listed but not counted; unplaced named', () => {
  const o = changeOverlay(
    nodes,
    [
      { name: 'conv.weight', relative: 0.5, diff: 3, norm: 6 },
      { name: 'conv.bias', relative: 2, diff: 4, norm: 2 },
      { name: 'bn.weight', relative: 0.1, diff: 0.1, norm: 1 },
      { name: 'bn.running_mean', relative: 9, diff: 9, norm: 1, buffer: true },
      { name: 'scale', relative: 0.3 },
      { name: 'head.weight', relative: 0.3 },
    ],
    'a → b',
  );
  const byNode = new Map(o.nodes.map((n) => [n.node, n]));
  assert.deepEqual([...byNode.keys()], ['n1', 'n2', 'n3']);
  assert.ok(Math.abs(byNode.get('n1')!.value! - 5 / Math.hypot(6, 2)) < 1e-12);
  assert.equal(byNode.get('n3')!.value, byNode.get('n1')!.value);
  assert.ok(Math.abs(byNode.get('n2')!.value! - 0.1) < 1e-12);
  assert.deepEqual(
    byNode.get('n2')!.params.map((p) => p.name),
    ['bn.weight', 'bn.running_mean'],
  );
  assert.equal(o.max, byNode.get('n1')!.value);
  assert.deepEqual(o.unplaced, ['scale', 'head.weight']);
});

test('a weights overlay carries the tensors per node and no values', () => {
  const o = weightsOverlay(nodes, [{ name: 'fc.weight', shape: [10, 8], dtype: 'float32', stats: { mean: 0, std: 1, min: -2, max: 2 } }], 'w.pth');
  assert.equal(o.kind, 'weights');
  assert.deepEqual(o.nodes, [
    { node: 'n4', value: null, params: [{ name: 'fc.weight', shape: [10, 8], dtype: 'float32', stats: { mean: 0, std: 1, min: -2, max: 2 } }] },
  ]);
});

test('epoch 10 → epoch 50 of TinyResNet: the classifier moved most, the stem least (as the fixture was made)', () => {
  const sd = (name: string): StateDict => {
    const f = readWeightsFile(readFileSync(resolve(__dirname, '../fixtures/checkpoints', name)), name);
    return new Map([...f.tensors].map(([k, t]) => [k, toFloat32(t)]));
  };
  const changes = weightChanges(sd('resnet_e10.pth'), sd('resnet_e50.pth'));
  const graphNodes = ['stem', 'bn', 'layer1.0.conv1', 'refine', 'fc'].map((m, i) => ({ id: `n${i}`, modulePath: m }));
  const o = changeOverlay(
    graphNodes,
    changes.map((c) => ({ ...c, buffer: /running_|num_batches/.test(c.name) })),
    'e10 → e50',
  );
  const value = (m: string) => o.nodes.find((n) => n.node === graphNodes.find((g) => g.modulePath === m)!.id)!.value!;
  assert.ok(Math.abs(value('stem') - 0.01) < 1e-4, `stem ${value('stem')}`);
  assert.ok(Math.abs(value('layer1.0.conv1') - 0.05) < 1e-4);
  assert.ok(Math.abs(value('refine') - 0.2) < 1e-3);
  assert.ok(Math.abs(value('fc') - 0.5) < 1e-3, `fc ${value('fc')}`);
  assert.equal(o.max, value('fc'));
});

test('the graph message carries an overlay only when it is well formed; the run panel asks for the graph by model name', () => {
  const o = changeOverlay(nodes, [{ name: 'conv.weight', relative: 0.5, diff: 1, norm: 2 }], 'a → b');
  const graph = (overlay: unknown) => ({ type: 'graph', payload: null, overlay });
  assert.equal(isToGraphView(graph(o)), true);
  assert.equal(isWeightOverlay(weightsOverlay(nodes, [{ name: 'fc.weight', shape: [2, 2], dtype: 'float16' }], 'w')), true);
  assert.equal(isToGraphView(graph({ ...o, kind: 'heat' })), false);
  assert.equal(isToGraphView(graph({ ...o, nodes: [{ node: 'n1', value: 'big', params: [] }] })), false);
  assert.equal(isToGraphView(graph({ ...o, nodes: [{ node: 'n1', value: 1, params: [{ name: 7 }] }] })), false);
  assert.equal(isFromRunPanel({ type: 'showOnGraph', model: 'TinyResNet @ e50.pth' }), true);
  assert.equal(isFromRunPanel({ type: 'showOnGraph', model: 3 }), false);
});
