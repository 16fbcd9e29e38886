// Loads onnxruntime-web for Node (CLI, tests, extension host): its Node build runs the same wasm backend with worker threads.
import type { OrtModule } from './ortRunner';

export interface NodeOrtOptions {
  /** Default wasm thread count (a session's `threads` option may set it before the first session; default: 2, or 1 on one core). */
  readonly threads?: number;
  /** Folder holding `ort-wasm-simd-threaded.wasm/.mjs` when bundled (e.g. the CLI's dist/wasm/). */
  readonly wasmDir?: string;
}

let loaded: Promise<OrtModule> | null = null;

/**
 * `onnxruntime-web/wasm` cannot start its worker threads under Node (it fetches its own script
 * over a file: URL), so Node uses the package's `node` export, which is the same wasm build.
 */
export function loadNodeOrt(options: NodeOrtOptions = {}): Promise<OrtModule> {
  loaded ??= (async () => {
    // require (not import): bundled into the CommonJS CLI/extension, the ESM build would lose import.meta.url.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require('onnxruntime-web') as OrtModule;
    const os = await import('node:os');
    ort.env.wasm.numThreads = options.threads ?? Math.max(1, Math.min(2, os.availableParallelism()));
    if (options.wasmDir) ort.env.wasm.wasmPaths = options.wasmDir.endsWith('/') ? options.wasmDir : `${options.wasmDir}/`;
    ort.env.logLevel = 'error';
    return ort;
  })();
  return loaded;
}
