// Browser side of the backend harness (bundled by backendHarness.ts): runs ONNX bytes through the run panel's Backends and returns outputs and the backend used.
import { Backends, WEBGPU_FILES } from '../../webview/runPanel/backends';
import { loadWebOrt } from '../../webview/runPanel/ortLoader';
import { createOrtRunner, type OrtModule } from '../../src/core/run/ortRunner';
import type { ProviderChoice } from '../../src/core/run/backend';
import type { RunTensor } from '../../src/core/run/runner';

interface Feed {
  readonly name: string;
  readonly dtype: 'float32' | 'int64' | 'bool';
  readonly shape: number[];
  readonly url: string;
}

const logs: string[] = [];
const backends = new Backends(`${location.origin}/wasm/`, (level, m) => logs.push(`${level}: ${m}`));

async function runCase(onnxUrl: string, feeds: Feed[], choice: ProviderChoice, maxThreads: number): Promise<unknown> {
  const bytes = new Uint8Array(await (await fetch(onnxUrl)).arrayBuffer());
  const tensors: Record<string, RunTensor> = {};
  for (const f of feeds) {
    const buf = await (await fetch(f.url)).arrayBuffer();
    tensors[f.name] = {
      dtype: f.dtype,
      shape: f.shape,
      data: f.dtype === 'int64' ? new BigInt64Array(buf) : f.dtype === 'bool' ? new Uint8Array(buf) : new Float32Array(buf),
    };
  }
  const session = await backends.runner(choice, maxThreads).createSession(bytes);
  try {
    // a session without the summaries has no gate input
    const out = await session.run(Object.fromEntries(Object.entries(tensors).filter(([k]) => session.inputNames.includes(k))));
    return {
      backend: session.backend ?? null,
      createMs: session.sessionCreateMs,
      runMs: session.lastRunMs,
      outputs: Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data as ArrayLike<number | bigint>, Number) }])),
    };
  } finally {
    await session.dispose();
  }
}

/**
 * The wasm path before and after the backend choice, in one page at one thread: the runner the panel used to build
 * (createOrtRunner over loadWebOrt) against `auto` without an adapter (wasm, with the fallback wrapper). Runs alternate.
 */
async function abRun(onnxUrl: string, feeds: Feed[], rounds: number): Promise<unknown> {
  const bytes = new Uint8Array(await (await fetch(onnxUrl)).arrayBuffer());
  const tensors: Record<string, RunTensor> = {};
  for (const f of feeds) tensors[f.name] = { dtype: 'float32', shape: f.shape, data: new Float32Array(await (await fetch(f.url)).arrayBuffer()) };
  const before = await createOrtRunner(await loadWebOrt(`${location.origin}/wasm/`, () => undefined, 1)).createSession(bytes);
  const after = await backends.runner('auto', 1).createSession(bytes);
  const times: { before: number[]; after: number[] } = { before: [], after: [] };
  await before.run(tensors);
  await after.run(tensors);
  for (let i = 0; i < rounds; i++) {
    await before.run(tensors);
    times.before.push(before.lastRunMs!);
    await after.run(tensors);
    times.after.push(after.lastRunMs!);
  }
  await before.dispose();
  await after.dispose();
  return { times, backend: after.backend };
}

/**
 * The two wasm binaries on the CPU at one thread, alternating: the wasm-only build the panel uses (ort-wasm-simd-threaded.wasm)
 * against the WebGPU build's asyncify binary running the same model on its wasm provider — whether one binary could serve both.
 */
async function buildAbRun(onnxUrl: string, feeds: Feed[], rounds: number): Promise<unknown> {
  const bytes = new Uint8Array(await (await fetch(onnxUrl)).arrayBuffer());
  const tensors: Record<string, RunTensor> = {};
  for (const f of feeds) tensors[f.name] = { dtype: 'float32', shape: f.shape, data: new Float32Array(await (await fetch(f.url)).arrayBuffer()) };
  const base = `${location.origin}/wasm/`;
  const t0 = performance.now();
  const plainOrt = await loadWebOrt(base, () => undefined, 1);
  const plain = await createOrtRunner(plainOrt).createSession(bytes);
  const plainStart = performance.now() - t0;
  const t1 = performance.now();
  const gpuOrt = (await import(/* webpackIgnore: true */ `${base}${WEBGPU_FILES.module}`)) as OrtModule;
  gpuOrt.env.wasm.wasmPaths = base;
  gpuOrt.env.wasm.numThreads = 1;
  gpuOrt.env.wasm.proxy = false;
  gpuOrt.env.wasm.wasmBinary = new Uint8Array(await (await fetch(`${base}${WEBGPU_FILES.wasm}`)).arrayBuffer());
  const asyncify = await createOrtRunner(gpuOrt, { provider: 'wasm' }).createSession(bytes);
  const asyncifyStart = performance.now() - t1;
  const times: { plain: number[]; asyncify: number[] } = { plain: [], asyncify: [] };
  await plain.run(tensors);
  await asyncify.run(tensors);
  for (let i = 0; i < rounds; i++) {
    await plain.run(tensors);
    times.plain.push(plain.lastRunMs!);
    await asyncify.run(tensors);
    times.asyncify.push(asyncify.lastRunMs!);
  }
  await plain.dispose();
  await asyncify.dispose();
  return { times, startMs: { plain: plainStart, asyncify: asyncifyStart } };
}

Object.assign(globalThis, {
  harness: { runCase, abRun, buildAbRun, logs, isolated: () => crossOriginIsolated, cores: () => navigator.hardwareConcurrency },
});
