// Execution backends: names, thread counts, backend-aware tolerances, the protocol's backend fields, the CLI's --threads/--backend, and onnxruntime-node when installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { adapterName, backendText, backendTolerance, pageThreads, toleranceBetween, withinBackendTolerance } from '../../src/core/run/backend';
import { compareTensors } from '../../src/core/run/compareTensors';
import { nativeAvailable, loadNativeOrt, NativeBackendMissing } from '../../src/core/run/nativeOrt';
import { parseBackend, parseThreads, cliRunner } from '../../src/cli/cliBackend';
import { parseRunArgs } from '../../src/cli/runCommand';
import { isFromRunPanel, isToRunPanel } from '../../src/protocol';
import { identityModel } from '../../webview/runPanel/warmUp';
import { agreementOf } from '../../webview/runPanel/backendAgreement';

test('a page runs wasm on one thread unless cross-origin isolated, then on its cores up to the cap', () => {
  assert.equal(pageThreads(false, 16, 8), 1);
  assert.equal(pageThreads(true, 16, 8), 8);
  assert.equal(pageThreads(true, 2, 8), 2);
  assert.equal(pageThreads(true, undefined, 8), 1);
  assert.equal(pageThreads(true, 4, 0), 1);
});

test('backends are named by adapter or threads', () => {
  assert.equal(
    adapterName({ vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true }),
    'google swiftshader, software fallback adapter',
  );
  assert.equal(adapterName({ vendor: 'nvidia', architecture: 'ampere', description: 'nvidia' }), 'nvidia ampere');
  assert.equal(adapterName(undefined), 'unnamed adapter');
  assert.equal(backendText({ kind: 'webgpu', adapter: 'apple metal-3', threads: 1 }), 'WebGPU (apple metal-3)');
  assert.equal(backendText({ kind: 'wasm', adapter: '', threads: 1 }), 'wasm, 1 thread');
  assert.equal(backendText({ kind: 'native', adapter: '', threads: 2 }), 'native CPU, 2 threads');
});

test('tolerances take the backend into account: 1e-4 on CPUs, 1e-3 on WebGPU, the looser for a pair', () => {
  assert.equal(backendTolerance('wasm'), 1e-4);
  assert.equal(backendTolerance('native'), 1e-4);
  assert.equal(backendTolerance('webgpu'), 1e-3);
  assert.equal(toleranceBetween('webgpu', 'wasm'), 1e-3);
  const ref = { dtype: 'float32' as const, shape: [2], data: new Float32Array([10, -2]) };
  const gpuLike = { dtype: 'float32' as const, shape: [2], data: new Float32Array([10.005, -2]) };
  const c = compareTensors(gpuLike, ref);
  assert.ok(!withinBackendTolerance(c, 'wasm'));
  assert.ok(withinBackendTolerance(c, 'webgpu'));
  assert.ok(!withinBackendTolerance(compareTensors({ ...ref, data: new Float32Array([NaN, -2]) }, ref), 'webgpu'));
});

test('the run panel compares a model across backends by max |a − b| within the pair tolerance', () => {
  const t = (v: number[]) => ({ dtype: 'float32' as const, shape: [v.length], data: new Float32Array(v) });
  const base = { model: 'M' };
  const gpu = { ...base, backend: { kind: 'webgpu' as const, adapter: 'x', threads: 1 }, outputs: [t([1, 2.0004])] };
  const cpu = { ...base, backend: { kind: 'wasm' as const, adapter: '', threads: 1 }, outputs: [t([1, 2])] };
  const c = agreementOf(gpu, cpu)!;
  assert.ok(Math.abs(c.maxAbsDiff - 0.0004) < 1e-6);
  assert.equal(c.tolerance, 1e-3);
  assert.ok(c.within);
  assert.equal(agreementOf(gpu, { ...cpu, outputs: [t([1])] }), null);
});

test('protocol: run requests carry the execution choice, results the backend; both validated', () => {
  const run = { type: 'run', runId: 1, models: [{ name: 'M', onnx: new Uint8Array(1), outputs: [], taps: [], params: 0, flops: 0 }], inputs: [] };
  assert.ok(isToRunPanel(run));
  assert.ok(isToRunPanel({ ...run, execution: { provider: 'webgpu', maxThreads: 4 } }));
  assert.ok(!isToRunPanel({ ...run, execution: { provider: 'cuda', maxThreads: 4 } }));
  assert.ok(!isToRunPanel({ ...run, execution: { provider: 'auto', maxThreads: 0 } }));
  const model = { name: 'M', ok: true, outputs: [], layers: [], createMs: 1, runMs: 2, params: 0, flops: 0 };
  const result = (m: unknown) => ({ type: 'runResult', runId: 1, models: [m], comparisons: [] });
  assert.ok(isFromRunPanel(result(model)));
  assert.ok(isFromRunPanel(result({ ...model, backend: { kind: 'wasm', adapter: '', threads: 1, fallback: 'no adapter' } })));
  assert.ok(isFromRunPanel(result({ ...model, backend: { kind: 'webgpu', adapter: 'google swiftshader', threads: 1 } })));
  assert.ok(!isFromRunPanel(result({ ...model, backend: { kind: 'gpu', adapter: '', threads: 1 } })));
  assert.ok(!isFromRunPanel(result({ ...model, backend: { kind: 'wasm', adapter: '', threads: 0 } })));
});

test('CLI: --threads auto takes every core; --backend wasm|native', () => {
  assert.equal(parseThreads('auto'), Math.max(1, availableParallelism()));
  assert.equal(parseThreads('3'), 3);
  assert.match(String(parseThreads('0')), /integer ≥ 1 or 'auto'/);
  assert.equal(parseBackend('native'), 'native');
  assert.match(String(parseBackend('gpu')), /'wasm' or 'native'/);
  const o = parseRunArgs(['m.py', '--threads', 'auto', '--backend', 'native']);
  assert.ok(typeof o !== 'string' && o.backend === 'native' && o.threads === Math.max(1, availableParallelism()));
  assert.match(String(parseRunArgs(['m.py', '--backend', 'cuda'])), /--backend needs/);
});

test('CLI native backend: runs like wasm where onnxruntime-node is installed, a clear message where not', async () => {
  if (!nativeAvailable()) {
    assert.throws(
      () => loadNativeOrt(),
      (e: unknown) => e instanceof NativeBackendMissing && /--backend wasm/.test(e.message),
    );
    return;
  }
  const x = { dtype: 'float32' as const, shape: [1], data: new Float32Array([3.5]) };
  for (const backend of ['native', 'wasm'] as const) {
    const { runner, info } = await cliRunner(backend, 1, undefined);
    const s = await runner.createSession(identityModel(), { threads: 1 });
    const out = await s.run({ x });
    assert.equal(out.y!.data[0], 3.5);
    assert.equal(s.backend?.kind, info.kind);
    await s.dispose();
  }
});
