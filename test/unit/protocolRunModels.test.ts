// The run panel's pipeline under Node: real ONNX runs through the shared Runner, stats, taps, comparisons, failures, cancel, and a runResult the host validator accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { modelProtoType } from '../../src/core/onnx/onnxSchema';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import { readSafetensors } from '../../src/core/weights/readSafetensors';
import { isFromRunPanel, type RunModel } from '../../src/protocol';
import { runModels, steadyState } from '../../webview/runPanel/runModels';
import { seededTensor, tensorFor } from '../../webview/runPanel/seededInputs';
import { heatmap, rampColor } from '../../webview/runPanel/featureMap';
import { Rng } from '../../src/core/weights/rng';
import { sharedPath, sharedSkip } from '../support/shared.mjs';

const ORACLE = sharedPath('oracle');
const noHooks = { progress: () => undefined, cancelled: () => false };

/** y = relu(g), g = x · W + b; `g` is also a graph output so it can be tapped. */
function tappedModel(): Uint8Array {
  const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  return modelProtoType()
    .encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'tapped',
        input: [vi('x', [3, 2])],
        output: [vi('y', [3, 2]), vi('g', [3, 2])],
        initializer: [
          { name: 'W', dims: [2, 2], dataType: 1, floatData: [1, -1, 2, 0] },
          { name: 'b', dims: [2], dataType: 1, floatData: [0.5, -0.5] },
        ],
        node: [
          { opType: 'Gemm', input: ['x', 'W', 'b'], output: ['g'] },
          { opType: 'Relu', input: ['g'], output: ['y'] },
        ],
      },
    })
    .finish();
}

test(
  'oracle model: outputs match PyTorch, comparisons of identical models are exact, a broken model fails alone',
  { skip: sharedSkip('oracle', 'onnx', 'double_conv.onnx') },
  async () => {
    const runner = createOrtRunner(await loadNodeOrt());
    const onnx = new Uint8Array(readFileSync(`${ORACLE}/onnx/double_conv.onnx`));
    const io = readSafetensors(new Uint8Array(readFileSync(`${ORACLE}/io/double_conv.safetensors`)));
    const x = io.tensors.get('input.0')!;
    const expected = io.tensors.get('output.0')!;
    const raw = new Uint8Array((x.data as Float32Array).buffer, (x.data as Float32Array).byteOffset, (x.data as Float32Array).byteLength);
    const input = { name: 'x', dims: [...x.shape], dtype: 'float32' as const, source: { kind: 'data' as const, data: raw } };
    const tensor = tensorFor(input, 0)!;
    const model = (name: string, bytes: Uint8Array): RunModel => ({ name, onnx: bytes, outputs: [], taps: [], params: 824, flops: 1 });
    const phases: string[] = [];
    const { result } = await runModels(7, [model('A', onnx), model('broken', new Uint8Array([1, 2, 3])), model('B', onnx)], [{ name: 'x', tensor }], runner, {
      progress: (_m, p) => phases.push(p),
      cancelled: () => false,
    });
    assert.deepEqual(
      result.models.map((m) => [m.name, m.ok]),
      [
        ['A', true],
        ['broken', false],
        ['B', true],
      ],
    );
    assert.ok(result.models[1]!.error);
    const out = result.models[0]!.outputs[0]!;
    assert.deepEqual(out.stats.dims, [...expected.shape]);
    const exp = expected.data as Float32Array;
    let mean = 0;
    for (const v of exp) mean += v;
    mean /= exp.length;
    assert.ok(Math.abs(out.stats.mean - mean) < 1e-4, `mean ${out.stats.mean} vs ${mean}`);
    assert.ok(Math.abs(out.preview[0]! - exp[0]!) < 1e-4);
    assert.equal(result.comparisons.length, 1);
    assert.equal(result.comparisons[0]!.maxAbsDiff, 0);
    assert.ok(Math.abs(result.comparisons[0]!.cosine - 1) < 1e-9);
    assert.ok(result.models[0]!.createMs > 0 && result.models[0]!.runMs > 0);
    assert.ok(phases.includes('creating-session') && phases.includes('running'));
    // what the panel posts passes the host's validator after a JSON trip (NaN becomes null)
    assert.ok(isFromRunPanel(JSON.parse(JSON.stringify({ type: 'runResult', ...result }))));
  },
);

test('taps give per-layer stats and fusion heatmaps; different models compare by shape', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const x = { dtype: 'float32' as const, shape: [3, 2], data: new Float32Array([1, 1, -1, 0, 0, 2]) };
  const tapped: RunModel = {
    name: 'T',
    onnx: tappedModel(),
    outputs: ['y'],
    taps: [{ output: 'g', node: 'n1', label: 'gemm', role: 'fusion-output', fusion: 0, level: 'L1' }],
    params: 6,
    flops: 12,
  };
  const plain: RunModel = { ...tapped, name: 'P', outputs: [], taps: [] };
  const { result, featureMaps } = await runModels(1, [tapped, plain], [{ name: 'x', tensor: x }], runner, noHooks);
  const t = result.models[0]!;
  assert.deepEqual(
    t.outputs.map((o) => o.name),
    ['y'],
  );
  // g = [[3.5, -1.5], [-0.5, 0.5], [4.5, -0.5]]
  assert.deepEqual(
    t.layers.map((l) => [l.output, l.stats.min, l.stats.max]),
    [['g', -1.5, 4.5]],
  );
  assert.equal(featureMaps.length, 1);
  assert.deepEqual([featureMaps[0]!.map.height, featureMaps[0]!.map.width], [1, 2]);
  // P has no declared outputs: every session output is reported, so its first output is y again
  const p = result.models[1]!;
  assert.deepEqual(
    p.outputs.map((o) => o.name),
    ['y', 'g'],
  );
  assert.deepEqual(
    result.comparisons.map((c) => [c.a, c.b, c.output, c.maxAbsDiff]),
    [['T', 'P', 0, 0]],
  );
});

test('a model with external data files fails alone with a clear message', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const x = { dtype: 'float32' as const, shape: [3, 2], data: new Float32Array(6) };
  const m: RunModel = { name: 'T', onnx: tappedModel(), outputs: ['y'], taps: [], params: 0, flops: 0 };
  const { result } = await runModels(
    3,
    [{ ...m, name: 'E', externalData: [{ path: 'w.bin', data: new Uint8Array(4) }] }, m],
    [{ name: 'x', tensor: x }],
    runner,
    noHooks,
  );
  assert.deepEqual(
    result.models.map((r) => [r.name, r.ok]),
    [
      ['E', false],
      ['T', true],
    ],
  );
  assert.match(result.models[0]!.error!, /external data/);
});

test('cancel stops before the next model', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const x = { dtype: 'float32' as const, shape: [3, 2], data: new Float32Array(6) };
  const m: RunModel = { name: 'T', onnx: tappedModel(), outputs: ['y'], taps: [], params: 0, flops: 0 };
  let calls = 0;
  // asked before T's session, after it, then before U
  const { result } = await runModels(2, [m, { ...m, name: 'U' }], [{ name: 'x', tensor: x }], runner, {
    progress: () => undefined,
    cancelled: () => calls++ > 1,
  });
  assert.equal(result.cancelled, true);
  assert.deepEqual(
    result.models.map((r) => r.name),
    ['T'],
  );
});

test('cancel while a session is being created: it is released without running, and every session created is disposed', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const x = { dtype: 'float32' as const, shape: [3, 2], data: new Float32Array(6) };
  const m: RunModel = { name: 'T', onnx: tappedModel(), outputs: ['y'], taps: [], params: 0, flops: 0 };
  let cancelled = false;
  const live = new Set<object>();
  let runs = 0;
  const spy: typeof runner = {
    async createSession(bytes, o) {
      const s = await runner.createSession(bytes, o);
      const handle = {};
      live.add(handle);
      cancelled = true; // the user pressed Cancel while this session was created
      return {
        ...s,
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        sessionCreateMs: s.sessionCreateMs,
        lastRunMs: null,
        run: (f, outs) => (runs++, s.run(f, outs)),
        dispose: async () => (live.delete(handle), s.dispose()),
      };
    },
  };
  const { result } = await runModels(3, [m, { ...m, name: 'U' }], [{ name: 'x', tensor: x }], spy, { progress: () => undefined, cancelled: () => cancelled });
  assert.equal(result.cancelled, true);
  assert.deepEqual(result.models, []);
  assert.equal(runs, 0, 'no run after the cancel');
  assert.equal(live.size, 0, 'no session left open');
});

test('seeded inputs use the CLI streams and look standard normal', () => {
  const t = seededTensor([2, 3, 32, 32], 42, 1);
  const rng = new Rng(42, 'input.1');
  assert.equal((t.data as Float32Array)[0], Math.fround(rng.normal()));
  let s = 0;
  let s2 = 0;
  for (const v of t.data as Float32Array) {
    s += v;
    s2 += v * v;
  }
  const n = t.data.length;
  assert.ok(Math.abs(s / n) < 0.05 && Math.abs(s2 / n - 1) < 0.05);
  assert.notEqual((seededTensor([4], 42, 0).data as Float32Array)[0], (seededTensor([4], 43, 0).data as Float32Array)[0]);
  assert.throws(() => tensorFor({ name: 'x', dims: [2, 2], dtype: 'float32', source: { kind: 'data', data: new Uint8Array(12) } }, 0), /16 needed/);
});

test('heatmaps average |x| over channels and block-average large maps', () => {
  // [1, 2, 2, 2]: channel 0 = [1, -2, 3, 0], channel 1 = [1, 2, -1, 0] → mean |x| = [1, 2, 2, 0]
  const m = heatmap(Float32Array.from([1, -2, 3, 0, 1, 2, -1, 0]), [1, 2, 2, 2])!;
  assert.deepEqual([m.width, m.height, m.min, m.max], [2, 2, 0, 2]);
  assert.deepEqual(Array.from(m.values), [0.5, 1, 1, 0]);
  const big = heatmap(new Float32Array(1 * 1 * 200 * 130).fill(1), [1, 1, 200, 130], 64)!;
  assert.ok(big.width <= 64 && big.height <= 64);
  assert.equal(heatmap(new Float32Array(1), [1, 1, 1, 1, 1]), null);
  assert.deepEqual(rampColor(0), [68, 1, 84]);
  assert.deepEqual(rampColor(1), [253, 231, 37]);
});

test('the hand-encoded warm-up model is valid ONNX that onnxruntime runs', async () => {
  const { identityModel, warmUp } = await import('../../webview/runPanel/warmUp');
  const runner = createOrtRunner(await loadNodeOrt());
  const s = await runner.createSession(identityModel());
  const out = await s.run({ x: { dtype: 'float32', shape: [1], data: Float32Array.of(2.5) } });
  assert.equal((out.y!.data as Float32Array)[0], 2.5);
  await s.dispose();
  assert.ok((await warmUp(runner)) > 0);
  assert.equal(await warmUp(runner), 0);
});

test('a model with undeclared taps fetches only its own outputs; steadyState times one session (cold run + N warm runs)', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const x = { name: 'x', tensor: { dtype: 'float32' as const, shape: [3, 2], data: Float32Array.from([1, 2, -3, 4, 0.5, -1]) } };
  const model: RunModel = { name: 'T', onnx: tappedModel(), outputs: ['y'], taps: [], params: 6, flops: 1 };
  const seen: (readonly string[] | undefined)[] = [];
  const spy: typeof runner = {
    async createSession(bytes, o) {
      const s = await runner.createSession(bytes, o);
      return {
        ...s,
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        sessionCreateMs: s.sessionCreateMs,
        get lastRunMs() {
          return s.lastRunMs;
        },
        run: (f, outs) => (seen.push(outs), s.run(f, outs)),
        dispose: () => s.dispose(),
      };
    },
  };
  const { result } = await runModels(1, [model], [x], spy, noHooks);
  assert.equal(result.models[0]!.ok, true);
  assert.deepEqual(seen, [['y']], 'the tap output g is not fetched when the request lists no taps');
  seen.length = 0;
  const timed = await steadyState([model], [x], spy, 3, () => false);
  assert.equal(timed.length, 1);
  assert.equal(timed[0]!.warmMs.length, 3);
  assert.ok(timed[0]!.warmMs.includes(timed[0]!.medianMs));
  assert.deepEqual(seen, [['y'], ['y'], ['y'], ['y']], 'one cold run and three warm runs, outputs only');
});

test('a cancel that comes while the last model runs marks the run cancelled and keeps the finished results', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const x = { dtype: 'float32' as const, shape: [3, 2], data: new Float32Array(6) };
  const m: RunModel = { name: 'T', onnx: tappedModel(), outputs: ['y'], taps: [], params: 0, flops: 0 };
  let calls = 0;
  // asked before the session, after it, and once more after the run
  const { result } = await runModels(4, [m], [{ name: 'x', tensor: x }], runner, { progress: () => undefined, cancelled: () => calls++ > 1 });
  assert.equal(result.cancelled, true);
  assert.deepEqual(
    result.models.map((r) => [r.name, r.ok]),
    [['T', true]],
  );
});

test('a cancel delivered as an event (a host message) between models is seen before the next model starts', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const x = { dtype: 'float32' as const, shape: [3, 2], data: new Float32Array(6) };
  const m: RunModel = { name: 'T', onnx: tappedModel(), outputs: ['y'], taps: [], params: 0, flops: 0 };
  let cancelled = false;
  // the message arrives as a macrotask while the first model runs, as a webview 'message' event does
  const spy: typeof runner = {
    async createSession(bytes, o) {
      const s = await runner.createSession(bytes, o);
      return {
        ...s,
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        sessionCreateMs: s.sessionCreateMs,
        lastRunMs: 1,
        run: (f, outs) => (setTimeout(() => (cancelled = true), 0), s.run(f, outs)),
        dispose: () => s.dispose(),
      };
    },
  };
  const { result } = await runModels(5, [m, { ...m, name: 'U' }], [{ name: 'x', tensor: x }], spy, { progress: () => undefined, cancelled: () => cancelled });
  assert.equal(result.cancelled, true);
  assert.deepEqual(
    result.models.map((r) => r.name),
    ['T'],
  );
});
