// The WebGPU session's graph without the in-graph summaries: the gate and everything behind it removed, the model's outputs unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { exportOnnx } from '../../src/core/onnx/encodeOnnx';
import { decodeOnnx } from '../../src/core/onnx/decodeOnnx';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import { layerValueIds, summaryGateFeed } from '../../src/core/run/layerStats';
import { stripSummaries } from '../../src/core/run/stripSummaries';
import { initStateDict } from '../../src/core/weights';
import { analyzePy, ready } from '../support/fusionEngine';

test('stripSummaries leaves the model alone: same outputs, no gate, no float64 summary nodes', async () => {
  await ready;
  const { graph } = analyzePy(join(__dirname, '../../examples/fusion_cnn.py'), 'FusionModel()', [{ name: 'x', shape: [1, 3, 32, 32] }]);
  const inputs = new Set(graph.inputs.map((i) => i.value));
  const statsOutputs = layerValueIds(graph).filter((v) => !graph.outputs.includes(v) && !inputs.has(v));
  const full = exportOnnx(graph, { weights: initStateDict(graph.stateDict, 0), statsOutputs });
  assert.ok(full.summaryGate);
  const plain = stripSummaries(full.bytes)!;
  assert.ok(plain && plain.length < full.bytes.length);
  const decoded = decodeOnnx(plain, 'plain.onnx').graph;
  assert.deepEqual(
    decoded.inputs.map((i) => i.name),
    ['input.0'],
  );
  assert.equal(decoded.outputs.length, full.outputNames.length);
  assert.ok(!decoded.nodes.some((n) => n.op === 'If' || n.op === 'Cast'), 'no summary node is left');
  const runner = createOrtRunner(await loadNodeOrt());
  const x = { dtype: 'float32' as const, shape: [1, 3, 32, 32], data: Float32Array.from({ length: 3072 }, (_, i) => Math.sin(i)) };
  const a = await runner.createSession(full.bytes);
  const b = await runner.createSession(plain);
  assert.deepEqual(b.inputNames, ['input.0']);
  const ra = await a.run({ 'input.0': x, ...summaryGateFeed(a.inputNames, true) }, full.outputNames);
  const rb = await b.run({ 'input.0': x });
  for (const n of full.outputNames) assert.deepEqual(Array.from(rb[n]!.data as Float32Array), Array.from(ra[n]!.data as Float32Array));
  await a.dispose();
  await b.dispose();
  // a model without summaries is left as it is
  assert.equal(stripSummaries(exportOnnx(graph, { weights: initStateDict(graph.stateDict, 0) }).bytes), null);
});
