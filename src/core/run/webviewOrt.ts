// Configures onnxruntime-web's wasm-only build for a VS Code webview: wasm files shipped in the extension, one thread, no proxy worker.
import type { OrtModule } from './ortRunner';

/**
 * Webviews are not cross-origin isolated (no SharedArrayBuffer), so the runtime must run on one
 * thread without its proxy worker; the wasm and its loader come from the extension's dist/wasm/
 * (`wasmBaseUri`, a webview resource URI ending in `/`). Call before the first session; the caller
 * imports `onnxruntime-web/wasm` and passes the module, then hands it to createOrtRunner.
 */
export function configureWebviewOrt(ort: OrtModule, wasmBaseUri: string): OrtModule {
  ort.env.wasm.wasmPaths = wasmBaseUri.endsWith('/') ? wasmBaseUri : `${wasmBaseUri}/`;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  return ort;
}
