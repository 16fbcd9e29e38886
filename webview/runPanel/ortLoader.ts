// Loads onnxruntime-web's wasm backend for the webview: one thread (a webview is not cross-origin isolated), no proxy worker, wasm from the extension's dist/wasm/.
import * as ort from 'onnxruntime-web/wasm';
import type { OrtModule } from '../../src/core/run/ortRunner';

let configured = false;

export function webOrt(wasmBase: string): OrtModule {
  if (!configured) {
    configured = true;
    ort.env.wasm.wasmPaths = wasmBase.endsWith('/') ? wasmBase : `${wasmBase}/`;
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.logLevel = 'error';
  }
  return ort as unknown as OrtModule;
}
