// A Runner over onnxruntime-web's wasm (or WebGPU) backend; the caller passes the loaded `ort` module (Node build or webview build).
import type * as Ort from 'onnxruntime-web';
import type { DType } from '../shape/shape';
import type { BackendInfo } from './backend';
import type { RunArray, Runner, RunnerSession, RunTensor, SessionOptions } from './runner';

export type OrtModule = typeof Ort;

const ORT_TYPES: Partial<Record<DType, Ort.Tensor.Type>> = {
  float32: 'float32',
  float64: 'float64',
  float16: 'float16',
  int64: 'int64',
  int32: 'int32',
  int16: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
};

function dtypeOfOrt(t: string): DType {
  for (const [k, v] of Object.entries(ORT_TYPES)) if (v === t) return k as DType;
  throw new Error(`onnxruntime returned a tensor of type ${t}, which Fusion Lens does not handle`);
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Thread count each ort module started its wasm with (set by the first session). */
const startedThreads = new WeakMap<OrtModule, number>();

/**
 * onnxruntime-web reads `env.wasm.numThreads` once, when its wasm starts, and ignores per-session
 * thread options; so the first session fixes the count and a later, different request is an error
 * rather than a silently wrong measurement.
 */
function ensureThreads(ort: OrtModule, requested: number | undefined): void {
  const started = startedThreads.get(ort);
  if (started === undefined) {
    if (requested !== undefined) ort.env.wasm.numThreads = Math.max(1, Math.floor(requested));
    startedThreads.set(ort, ort.env.wasm.numThreads ?? 1);
  } else if (requested !== undefined && Math.max(1, Math.floor(requested)) !== started) {
    throw new Error(`onnxruntime-web already runs with ${started} thread(s) in this process; ${requested} needs a new process`);
  }
}

export interface OrtRunnerOptions {
  /**
   * The execution provider: onnxruntime-web's `wasm` (default) or `webgpu` (the module must be a build with WebGPU),
   * or onnxruntime-node's `cpu` (the module is onnxruntime-node; `threads` sets its intra-op threads per session).
   */
  readonly provider?: 'wasm' | 'webgpu' | 'cpu';
  /** Reported as each session's `backend`. */
  readonly backend?: BackendInfo;
}

export function createOrtRunner(ort: OrtModule, runnerOptions: OrtRunnerOptions = {}): Runner {
  const provider = runnerOptions.provider ?? 'wasm';
  return {
    async createSession(onnxBytes: Uint8Array, options: SessionOptions = {}): Promise<RunnerSession> {
      if (provider === 'wasm') ensureThreads(ort, options.threads);
      const t0 = now();
      const native =
        provider === 'cpu' && options.threads !== undefined ? { intraOpNumThreads: Math.max(1, Math.floor(options.threads)), interOpNumThreads: 1 } : {};
      // WebGPU names the CPU (wasm) provider too: nodes it does not take (float64 math, inside If branches as well) go there
      const providers = provider === 'webgpu' ? ['webgpu', 'wasm'] : [provider];
      // severity 3 (errors): the optimizer's notes (e.g. initializers only an If branch reads, folded away) are not the user's concern
      const session = await ort.InferenceSession.create(onnxBytes, {
        executionProviders: providers,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        ...native,
      });
      const sessionCreateMs = now() - t0;
      let lastRunMs: number | null = null;
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        sessionCreateMs,
        ...(runnerOptions.backend ? { backend: runnerOptions.backend } : {}),
        get lastRunMs() {
          return lastRunMs;
        },
        async run(feeds, outputs) {
          const ortFeeds: Record<string, Ort.Tensor> = {};
          for (const [name, t] of Object.entries(feeds)) {
            const type = ORT_TYPES[t.dtype];
            if (!type) throw new Error(`input '${name}': dtype ${t.dtype} cannot be fed to onnxruntime-web`);
            ortFeeds[name] = new ort.Tensor(type, t.data as Float32Array, [...t.shape]);
          }
          const t1 = now();
          const result = outputs ? await session.run(ortFeeds, [...outputs]) : await session.run(ortFeeds);
          lastRunMs = now() - t1;
          const out: Record<string, RunTensor> = {};
          for (const [name, v] of Object.entries(result)) {
            out[name] = { dtype: dtypeOfOrt(v.type), shape: [...v.dims], data: v.data as RunArray };
          }
          return out;
        },
        async dispose() {
          await session.release();
        },
      };
    },
  };
}
