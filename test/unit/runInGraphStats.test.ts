// Per-layer statistics and feature maps computed inside the exported ONNX graph agree with tensorStats/heatmap of the whole tensor, and a panel run no longer fetches whole activations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelGraph } from '../../src/core/graph/modelGraph';
import { exportOnnx } from '../../src/core/onnx/encodeOnnx';
import { featureMapShape } from '../../src/core/ops/lowerStats';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import type { Runner, RunTensor } from '../../src/core/run/runner';
import { statsFromVector, tensorStats, type TensorStats } from '../../src/core/run/tensorStats';
import { layerStats, layerValueIds, summaryGateFeed } from '../../src/core/run/layerStats';
import { initStateDict } from '../../src/core/weights';
import { Rng } from '../../src/core/weights/rng';
import { prepareRun } from '../../src/extension/service/engineRun';
import { isToRunPanel, type RunModel } from '../../src/protocol';
import { heatmap } from '../../webview/runPanel/featureMap';
import { runModels, steadyState } from '../../webview/runPanel/runModels';
import { analyzePy, ready } from '../support/fusionEngine';

const noHooks = { progress: () => undefined, cancelled: () => false };

/** Small models whose layers cover the cases: convs and fusion, a large mean, ints, NaN/±Inf, a prime-sized tensor. */
const SOURCE = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Odd(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, padding=1)
        self.fc = nn.Linear(6 * 5 * 7, 13)

    def forward(self, x):
        a = self.conv(x)
        shifted = a * 0.5 + 4.0
        logs = torch.log(x)
        ratio = x / (x - x)
        idx = torch.argmax(a, dim=1)
        flat = torch.relu(a).flatten(1)
        y = self.fc(flat)
        z = y * idx.float().mean() + logs.sum() * 0.0 + ratio.sum() * 0.0 + shifted.mean()
        return torch.cat([y, z], dim=1)
`;

function oddGraph(): ModelGraph {
  const dir = mkdtempSync(join(tmpdir(), 'fl-stats-'));
  const file = join(dir, 'odd.py');
  writeFileSync(file, SOURCE);
  return analyzePy(file, 'Odd()', [{ name: 'x', shape: [2, 3, 5, 7] }]).graph;
}

function close(a: number, b: number, rel = 1e-4): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
}

function assertStatsClose(actual: TensorStats, expected: TensorStats, what: string): void {
  assert.equal(actual.count, expected.count, `${what}: count`);
  assert.equal(actual.nonFinite, expected.nonFinite, `${what}: nonFinite`);
  for (const k of ['mean', 'std', 'min', 'max'] as const) {
    assert.ok(close(actual[k], expected[k]), `${what}: ${k} ${actual[k]} vs ${expected[k]}`);
  }
}

let ortRunner: Promise<Runner> | null = null;
const runner = (): Promise<Runner> => (ortRunner ??= loadNodeOrt().then(createOrtRunner));

/** Inputs with negatives, zeros and a spread of values, so log/divide produce NaN, -Inf and ±Inf. */
function oddInput(): RunTensor {
  const rng = new Rng(5, 'stats');
  const data = Float32Array.from({ length: 2 * 3 * 5 * 7 }, (_, i) => (i % 11 === 0 ? 0 : rng.normal() * 3));
  return { dtype: 'float32', shape: [2, 3, 5, 7], data };
}

for (const statsDtype of ['float32', 'float64'] as const)
  test(`in-graph statistics (${statsDtype}) of every layer equal tensorStats of the whole tensor (ints, NaN/±Inf, large means, prime sizes)`, async () => {
    await ready;
    const graph = oddGraph();
    const values = layerValueIds(graph).filter((v) => !graph.outputs.includes(v));
    const weights = initStateDict(graph.stateDict, 3);
    // one export exposes both, so both come from the same forward pass
    const exported = exportOnnx(graph, { weights, extraOutputs: values, statsOutputs: values, mapOutputs: values, statsDtype });
    const session = await (await runner()).createSession(exported.bytes);
    try {
      assert.deepEqual(session.inputNames, ['input.0', 'summaries']);
      const out = await session.run({ 'input.0': oddInput(), ...summaryGateFeed(session.inputNames, true) });
      let nonFiniteLayers = 0;
      let intLayers = 0;
      for (const v of values) {
        const full = out[exported.extraOutputs.get(v)!]!;
        const stats = exported.statsOutputs.get(v)!;
        const vector = out[stats.name]!;
        assert.equal(vector.dtype, statsDtype);
        assert.deepEqual(vector.shape, [6]);
        assert.deepEqual([...stats.dims], [...full.shape], `${v}: dims`);
        const expected = tensorStats(full.data);
        assertStatsClose(
          statsFromVector(vector.data, stats.dims),
          expected,
          `${v} ${graph.values.get(v)?.name ?? ''} [${full.shape.join(', ')}] ${full.dtype}`,
        );
        if (expected.nonFinite > 0) nonFiniteLayers++;
        if (full.dtype === 'int64') intLayers++;
        // the feature map: what heatmap() draws from the reduced tensor equals what it draws from the whole one
        const map = exported.mapOutputs.get(v);
        assert.equal(map !== undefined, featureMapShape(full.shape) !== null, `${v}: map presence`);
        if (!map) continue;
        const reduced = out[map.name]!;
        assert.deepEqual(reduced.shape, featureMapShape(full.shape));
        assert.ok(reduced.data.length <= full.data.length);
        const a = heatmap(reduced.data, reduced.shape);
        const b = heatmap(full.data, full.shape);
        assert.equal(a === null, b === null, `${v}: heatmap presence`);
        if (!a || !b) continue;
        assert.deepEqual([a.width, a.height], [b.width, b.height]);
        assert.ok(close(a.min, b.min) && close(a.max, b.max), `${v}: heatmap range ${a.min}…${a.max} vs ${b.min}…${b.max}`);
        for (let i = 0; i < a.values.length; i++) assert.ok(Math.abs(a.values[i]! - b.values[i]!) < 1e-4, `${v}: heatmap value ${i}`);
      }
      assert.ok(nonFiniteLayers >= 2, `the model has layers with NaN/Inf (${nonFiniteLayers})`);
      assert.ok(intLayers >= 1, 'the model has an int64 layer');
    } finally {
      await session.dispose();
    }
  });

test('the CLI path: layerStats from in-graph statistics matches whole tensors; model outputs keep exact stats', async () => {
  await ready;
  const graph = oddGraph();
  const values = layerValueIds(graph);
  const weights = initStateDict(graph.stateDict, 4);
  const summarised = values.filter((v) => !graph.outputs.includes(v) && !graph.inputs.some((i) => i.value === v));
  const inGraph = exportOnnx(graph, { weights, statsOutputs: summarised });
  const whole = exportOnnx(graph, { weights, extraOutputs: values });
  const r = await runner();
  const run = async (bytes: Uint8Array): Promise<Record<string, RunTensor>> => {
    const s = await r.createSession(bytes);
    try {
      return await s.run({ 'input.0': oddInput(), ...summaryGateFeed(s.inputNames, true) });
    } finally {
      await s.dispose();
    }
  };
  const outA = await run(inGraph.bytes);
  const outB = await run(whole.bytes);
  const taps = new Map<string, { output: string; dims?: readonly number[] }>();
  for (const [v, s] of inGraph.statsOutputs) taps.set(v, { output: s.name, dims: s.dims });
  graph.outputs.forEach((v, i) => taps.set(v, { output: inGraph.outputNames[i]! }));
  const a = layerStats(graph, taps, outA);
  const b = layerStats(graph, new Map([...whole.extraOutputs].map(([v, o]) => [v, { output: o }])), outB);
  assert.deepEqual(
    a.map((l) => [l.value, l.node, l.op, l.where, l.shape]),
    b.map((l) => [l.value, l.node, l.op, l.where, l.shape]),
  );
  a.forEach((l, i) => assertStatsClose(l.stats, b[i]!.stats, l.value));
  // no whole activation was exposed: every output is a model output or a 6-value statistics vector
  for (const [name, t] of Object.entries(outA)) assert.ok(inGraph.outputNames.includes(name) || t.data.length === 6, name);
});

test('a panel run of FusionModel fetches statistics and channel-mean maps, not activations, and shows what the whole tensors give', async () => {
  await ready;
  const { graph } = analyzePy(join(__dirname, '../../examples/fusion_cnn.py'), 'FusionModel()', [{ name: 'x', shape: [2, 3, 32, 32] }]);
  const prepared = prepareRun(graph, { kind: 'seeded', seed: 0 }, 1024 ** 3);
  const summarised = prepared.taps.filter((t) => t.summary);
  assert.ok(summarised.length >= 10 && summarised.some((t) => t.summary?.map !== undefined), 'layer and fusion taps are summarised in the graph');
  for (const t of prepared.taps) if (!t.summary) assert.ok(prepared.outputs.includes(t.output), `${t.output}: only model outputs are fetched whole`);

  // record what the panel's runner fetches
  const base = await runner();
  const fetched: { name: string; numel: number }[] = [];
  const recording: Runner = {
    async createSession(bytes, options) {
      const s = await base.createSession(bytes, options);
      return {
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        sessionCreateMs: s.sessionCreateMs,
        get lastRunMs() {
          return s.lastRunMs;
        },
        async run(feeds, outputs) {
          const out = await s.run(feeds, outputs);
          for (const [name, t] of Object.entries(out)) fetched.push({ name, numel: t.data.length });
          return out;
        },
        dispose: () => s.dispose(),
      };
    },
  };
  const x: RunTensor = { dtype: 'float32', shape: [2, 3, 32, 32], data: Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.37)) };
  const model: RunModel = { name: 'FusionModel', onnx: prepared.onnx, outputs: prepared.outputs, taps: prepared.taps, params: 0, flops: 0 };
  const { result, featureMaps } = await runModels(1, [model], [{ name: 'x', tensor: x }], recording, noHooks);
  const m = result.models[0]!;
  assert.ok(m.ok, m.error);
  assert.ok(
    isToRunPanel(JSON.parse(JSON.stringify({ type: 'run', runId: 1, models: [{ ...model, onnx: 'AA==' }], inputs: [] }))),
    'taps with summaries pass the validator',
  );
  const maps = new Set(summarised.flatMap((t) => (t.summary?.map !== undefined ? [t.summary.map] : [])));
  for (const f of fetched) {
    if (prepared.outputs.includes(f.name)) continue;
    if (maps.has(f.name)) assert.ok(f.numel <= 32 * 32, `${f.name}: a map of batch item 0 (${f.numel} values)`);
    else assert.equal(f.numel, 6, `${f.name}: a statistics vector`);
  }

  // the same panel run on the whole tensors (the former way: taps exposed as outputs, summarised in JS)
  const values = [...new Set(summarised.map((t) => t.output.replace(/^stats\./, '')))];
  const legacy = exportOnnx(graph, { weights: initStateDict(graph.stateDict, 0), extraOutputs: values });
  const legacyModel: RunModel = {
    ...model,
    onnx: legacy.bytes,
    taps: prepared.taps.map(({ summary, ...t }) => (summary ? { ...t, output: legacy.extraOutputs.get(t.output.replace(/^stats\./, ''))! } : t)),
  };
  const whole = await runModels(2, [legacyModel], [{ name: 'x', tensor: x }], base, noHooks);
  const w = whole.result.models[0]!;
  assert.equal(m.layers.length, w.layers.length);
  m.layers.forEach((l, i) => {
    const e = w.layers[i]!;
    assert.deepEqual([l.label, l.role, l.node, l.stats.dims], [e.label, e.role, e.node, e.stats.dims]);
    assertStatsClose({ ...l.stats, count: 0 }, { ...e.stats, count: 0 }, l.label);
  });
  assert.equal(featureMaps.length, whole.featureMaps.length);
  assert.ok(featureMaps.length >= 4, 'FusionModel has three fusion inputs and one output');
  featureMaps.forEach((f, i) => {
    const e = whole.featureMaps[i]!;
    assert.deepEqual([f.label, f.role, f.level, f.dims, f.map.width, f.map.height], [e.label, e.role, e.level, e.dims, e.map.width, e.map.height]);
    for (let j = 0; j < f.map.values.length; j++) assert.ok(Math.abs(f.map.values[j]! - e.map.values[j]!) < 1e-4, `${f.label}: pixel ${j}`);
  });
});

test('with the summary gate off the session runs the model alone: same outputs, no statistics (steady-state timing)', async () => {
  await ready;
  const graph = oddGraph();
  const values = layerValueIds(graph).filter((v) => !graph.outputs.includes(v));
  const exported = exportOnnx(graph, { weights: initStateDict(graph.stateDict, 3), statsOutputs: values, mapOutputs: values });
  assert.equal(exported.summaryGate, 'summaries');
  assert.equal(exportOnnx(graph, { weights: initStateDict(graph.stateDict, 3) }).summaryGate, null);
  const r = await runner();
  const session = await r.createSession(exported.bytes);
  try {
    const on = await session.run({ 'input.0': oddInput(), ...summaryGateFeed(session.inputNames, true) });
    const off = await session.run({ 'input.0': oddInput(), ...summaryGateFeed(session.inputNames, false) });
    assert.deepEqual(Array.from(off['output.0']!.data as Float32Array), Array.from(on['output.0']!.data as Float32Array));
    for (const s of exported.statsOutputs.values()) assert.ok(Array.from(off[s.name]!.data as Float64Array).every(Number.isNaN), s.name);
  } finally {
    await session.dispose();
  }
  // the panel's steady-state measure feeds the gate off
  const model: RunModel = { name: 'Odd', onnx: exported.bytes, outputs: exported.outputNames, taps: [], params: 0, flops: 0 };
  const [st] = await steadyState([model], [{ name: 'x', tensor: oddInput() }], r, 2, () => false);
  assert.equal(st?.warmMs.length, 2);
});
