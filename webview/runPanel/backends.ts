// Chooses the engine of each model in the run panel: WebGPU (its onnxruntime-web build imported only when asked for) or wasm with the threads the page allows, falling back per model with the reason.
import { adapterName, pageThreads, type BackendInfo, type ProviderChoice } from '../../src/core/run/backend';
import { createOrtRunner, type OrtModule } from '../../src/core/run/ortRunner';
import { stripSummaries } from '../../src/core/run/stripSummaries';
import type { Runner, RunnerSession, SessionOptions } from '../../src/core/run/runner';
import { loadWebOrt } from './ortLoader';
import { identityModel } from './warmUp';

/** The onnxruntime-web build with the WebGPU backend and its wasm, shipped in dist/wasm/ next to the wasm-only files. */
export const WEBGPU_FILES = { module: 'ort.webgpu.min.mjs', wasm: 'ort-wasm-simd-threaded.asyncify.wasm' } as const;

/** The few WebGPU names used here (the DOM lib of this TypeScript has no WebGPU types). */
interface GpuAdapterLike {
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  readonly features: unknown;
  readonly limits: unknown;
  requestDevice(): Promise<unknown>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

type Gpu = { readonly runner: Runner; readonly info: BackendInfo } | { readonly reason: string };

export interface Engine {
  readonly runner: Runner;
  readonly info: BackendInfo;
}

/** An error's text; onnxruntime's native messages lose their source path and C++ signature (`file.cc:254 bool …() const … was false.`). */
const message = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).replace(/ERROR_MESSAGE:\s*\S+\.cc:\d+ [^\n]*? was false\.\s*/, 'ERROR_MESSAGE: ').trim();

export class Backends {
  private gpu: Promise<Gpu> | null = null;
  private wasmEngine: Promise<Engine> | null = null;
  private readonly logged = new Set<string>();

  constructor(
    private readonly wasmBase: string,
    private readonly log: (level: 'info' | 'warn', msg: string) => void,
  ) {}

  private get base(): string {
    return this.wasmBase.endsWith('/') ? this.wasmBase : `${this.wasmBase}/`;
  }

  /** The wasm engine; its thread count is fixed by the first call (onnxruntime-web starts its wasm once). */
  wasm(maxThreads: number): Promise<Engine> {
    this.wasmEngine ??= (async () => {
      const isolated = typeof crossOriginIsolated === 'boolean' && crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';
      const threads = pageThreads(isolated, navigator.hardwareConcurrency, maxThreads);
      const ort = await loadWebOrt(this.wasmBase, (m) => this.log('warn', m), threads);
      const info: BackendInfo = { kind: 'wasm', adapter: '', threads: ort.env.wasm.numThreads ?? threads };
      this.log(
        'info',
        `wasm backend: ${info.threads} thread(s) (crossOriginIsolated ${String(isolated)}, hardwareConcurrency ${navigator.hardwareConcurrency}, cap ${maxThreads})`,
      );
      return { runner: createOrtRunner(ort, { provider: 'wasm', backend: info }), info };
    })();
    const p = this.wasmEngine;
    p.catch(() => {
      if (this.wasmEngine === p) this.wasmEngine = null;
    });
    return p;
  }

  /** The WebGPU engine, or why there is none: asks for an adapter first and imports the WebGPU build only when there is one. */
  webgpu(): Promise<Gpu> {
    this.gpu ??= (async (): Promise<Gpu> => {
      const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
      if (!gpu) return { reason: 'this webview has no navigator.gpu (WebGPU is switched off or not supported here)' };
      let adapter: GpuAdapterLike | null;
      try {
        adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      } catch (e) {
        return { reason: `requesting a WebGPU adapter failed: ${message(e)}` };
      }
      if (!adapter) return { reason: 'navigator.gpu.requestAdapter() found no adapter (no usable GPU, or WebGPU is blocked for it)' };
      const info: BackendInfo = { kind: 'webgpu', adapter: adapterName(adapter.info), threads: 1 };
      try {
        const t0 = performance.now();
        const ort = (await import(/* webpackIgnore: true */ `${this.base}${WEBGPU_FILES.module}`)) as OrtModule;
        ort.env.wasm.wasmPaths = this.base;
        ort.env.wasm.numThreads = 1;
        ort.env.wasm.proxy = false;
        ort.env.logLevel = 'error';
        ort.env.webgpu.adapter = adapter as never;
        ort.env.wasm.wasmBinary = await fetchBytes(`${this.base}${WEBGPU_FILES.wasm}`);
        const runner = createOrtRunner(ort, { provider: 'webgpu', backend: info });
        // a one-node session starts the runtime and the GPU device, so a model's session time is its own
        try {
          await (await runner.createSession(identityModel())).dispose();
        } catch (e) {
          return { reason: `onnxruntime-web could not start on the WebGPU adapter (${info.adapter}): ${message(e)}` };
        }
        this.log('info', `WebGPU backend started in ${Math.round(performance.now() - t0)} ms; adapter: ${info.adapter}`);
        return { runner, info };
      } catch (e) {
        return { reason: `the WebGPU build of onnxruntime-web did not load: ${message(e)}` };
      }
    })();
    return this.gpu;
  }

  /**
   * A runner that puts each model on the chosen backend. `auto`: WebGPU when an adapter exists and the session can be
   * created and run on it, else wasm, with the reason in the session's `backend.fallback` (and the log). `webgpu`: no
   * fallback, the model fails with the reason. `wasm`: wasm only (the WebGPU build is never loaded).
   */
  runner(choice: ProviderChoice, maxThreads: number): Runner {
    return {
      createSession: async (bytes: Uint8Array, options?: SessionOptions): Promise<RunnerSession> => {
        let why: string | undefined;
        if (choice !== 'wasm') {
          const gpu = await this.webgpu();
          if ('runner' in gpu) {
            try {
              const s = await gpu.runner.createSession(bytes);
              return choice === 'auto' ? this.guard(s, bytes, maxThreads, options) : s;
            } catch (e) {
              why = `WebGPU could not create the session: ${message(e)}${float64Hint(e)}`;
            }
            // asked for WebGPU: the model alone (no per-layer summaries) may still run there
            const plain = choice === 'webgpu' ? stripSummaries(bytes) : null;
            if (plain) {
              const s = await gpu.runner.createSession(plain);
              return withBackend(s, { ...gpu.info, note: `per-layer summaries left out: ${why}` });
            }
          } else {
            why = `WebGPU unavailable: ${gpu.reason}`;
          }
          if (choice === 'webgpu') throw new Error(`${why} (setting fusionLens.executionProvider is "webgpu"; "auto" falls back to wasm)`);
          // the same reason for every model of every run is logged once (the cards show it each time)
          if (!this.logged.has(why)) this.log('warn', `${why}; running on wasm`);
          this.logged.add(why);
        }
        const wasm = await this.wasm(maxThreads);
        const s = await wasm.runner.createSession(bytes, options);
        return why ? withBackend(s, { ...wasm.info, fallback: why }) : s;
      },
    };
  }

  /** A WebGPU session whose failed run (an op error, a lost device) moves the model to wasm and runs it there. */
  private guard(gpuSession: RunnerSession, bytes: Uint8Array, maxThreads: number, options?: SessionOptions): RunnerSession {
    let current = gpuSession;
    let fallback: string | undefined;
    const log = this.log;
    const wasm = (): Promise<Engine> => this.wasm(maxThreads);
    return {
      inputNames: gpuSession.inputNames,
      outputNames: gpuSession.outputNames,
      get sessionCreateMs() {
        return current.sessionCreateMs;
      },
      get lastRunMs() {
        return current.lastRunMs;
      },
      get backend() {
        const b = current.backend;
        return b && fallback ? { ...b, fallback } : b;
      },
      async run(feeds, outputs) {
        try {
          return await current.run(feeds, outputs);
        } catch (e) {
          if (fallback) throw e;
          fallback = `WebGPU run failed: ${message(e)}`;
          log('warn', `${fallback}; running on wasm`);
          const old = current;
          current = await (await wasm()).runner.createSession(bytes, options);
          await old.dispose().catch(() => undefined);
          return current.run(feeds, outputs);
        }
      },
      dispose: () => current.dispose(),
    };
  }

  /** One engine per backend the choice allows, for timing each: WebGPU first when it is there, then wasm. */
  async engines(choice: ProviderChoice, maxThreads: number): Promise<{ engines: Engine[]; gpuReason: string | null }> {
    const engines: Engine[] = [];
    let gpuReason: string | null = null;
    if (choice !== 'wasm') {
      const gpu = await this.webgpu();
      // timing runs the model alone (summaries off), so the WebGPU session may leave the summaries out of the graph
      if ('runner' in gpu)
        engines.push({ info: gpu.info, runner: { createSession: (bytes, o) => gpu.runner.createSession(stripSummaries(bytes) ?? bytes, o) } });
      else gpuReason = gpu.reason;
    }
    engines.push(await this.wasm(maxThreads));
    return { engines, gpuReason };
  }
}

function withBackend(s: RunnerSession, backend: BackendInfo): RunnerSession {
  return {
    inputNames: s.inputNames,
    outputNames: s.outputNames,
    sessionCreateMs: s.sessionCreateMs,
    backend,
    get lastRunMs() {
      return s.lastRunMs;
    },
    run: (feeds, outputs) => s.run(feeds, outputs),
    dispose: () => s.dispose(),
  };
}

/** onnxruntime-web 1.30's WebGPU build has no float64 CPU kernels (the in-graph summaries are float32 for this reason; a model's own float64 math is not). */
function float64Hint(e: unknown): string {
  return /double|float64/i.test(message(e)) ? ' (the model computes in float64, which the WebGPU build of onnxruntime-web cannot run)' : '';
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.split('/').pop()}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
