// The CLI's engines: onnxruntime-web's wasm (default) or onnxruntime-node's native CPU backend (optional dependency), and `--threads auto`.
import { availableParallelism } from 'node:os';
import type { BackendInfo } from '../core/run/backend';
import { loadNativeOrt } from '../core/run/nativeOrt';
import { loadNodeOrt } from '../core/run/nodeOrt';
import { createOrtRunner } from '../core/run/ortRunner';
import type { Runner } from '../core/run/runner';

export type CliBackend = 'wasm' | 'native';

/** `--threads N` or `--threads auto` (every core this process may use). */
export function parseThreads(v: string): number | string {
  if (v === 'auto') return Math.max(1, availableParallelism());
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 1 ? n : `--threads needs an integer ≥ 1 or 'auto', got '${v}'`;
}

export function parseBackend(v: string): CliBackend | string {
  return v === 'wasm' || v === 'native' ? v : `--backend needs 'wasm' or 'native', got '${v}'`;
}

/** A runner on the chosen backend; `native` throws NativeBackendMissing (a clear message) when onnxruntime-node is absent. */
export async function cliRunner(backend: CliBackend, threads: number, wasmDir: string | undefined): Promise<{ runner: Runner; info: BackendInfo }> {
  if (backend === 'native') {
    const info: BackendInfo = { kind: 'native', adapter: '', threads };
    return { runner: createOrtRunner(loadNativeOrt(), { provider: 'cpu', backend: info }), info };
  }
  const info: BackendInfo = { kind: 'wasm', adapter: '', threads };
  return { runner: createOrtRunner(await loadNodeOrt({ wasmDir, threads }), { provider: 'wasm', backend: info }), info };
}
