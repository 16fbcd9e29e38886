// Loads onnxruntime-web's wasm-only build for the webview: the threads the page allows (one unless cross-origin isolated), no proxy worker, wasm from the extension's dist/wasm/.
import * as ort from 'onnxruntime-web/wasm';
import type { OrtModule } from '../../src/core/run/ortRunner';

const WASM_FILE = 'ort-wasm-simd-threaded.wasm';
let loading: Promise<OrtModule> | null = null;

/**
 * The wasm binary is fetched here and handed over as bytes: the webview's resource server need not serve it
 * with the `application/wasm` type that streaming compilation insists on. `wasmPaths` stays set as the fallback.
 */
export function loadWebOrt(wasmBase: string, log: (msg: string) => void, threads = 1): Promise<OrtModule> {
  loading ??= (async () => {
    const base = wasmBase.endsWith('/') ? wasmBase : `${wasmBase}/`;
    ort.env.wasm.wasmPaths = base;
    // the first call fixes the count: onnxruntime-web starts its wasm once
    ort.env.wasm.numThreads = Math.max(1, Math.floor(threads));
    ort.env.wasm.proxy = false;
    ort.env.logLevel = 'error';
    try {
      const res = await fetch(`${base}${WASM_FILE}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      ort.env.wasm.wasmBinary = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      log(`could not prefetch ${WASM_FILE} (${err instanceof Error ? err.message : String(err)}); onnxruntime-web will load it itself`);
    }
    return ort as unknown as OrtModule;
  })();
  return loading;
}
