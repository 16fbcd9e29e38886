// Browser side of the backend harness (bundled by backendHarness.ts): runs ONNX bytes through the run panel's Backends and returns outputs and the backend used.
import { Backends } from '../../webview/runPanel/backends';
import { loadWebOrt } from '../../webview/runPanel/ortLoader';
import { createOrtRunner } from '../../src/core/run/ortRunner';
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

Object.assign(globalThis, {
  harness: { runCase, abRun, logs, isolated: () => crossOriginIsolated, cores: () => navigator.hardwareConcurrency },
});
