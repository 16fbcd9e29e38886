// Loads onnxruntime-node (an optional dependency) for the CLI's native CPU backend, with a clear message when it is not installed.
import type { OrtModule } from './ortRunner';

export class NativeBackendMissing extends Error {
  constructor(cause: string) {
    super(
      `--backend native needs the optional package onnxruntime-node, which is not installed here (${cause}). ` +
        'Install it beside fusion-lens (npm install onnxruntime-node; set ONNXRUNTIME_NODE_INSTALL=skip where only the npm registry is reachable), ' +
        'or use --backend wasm.',
    );
    this.name = 'NativeBackendMissing';
  }
}

let loaded: OrtModule | null = null;

/** onnxruntime-node's module (same API as onnxruntime-web: InferenceSession, Tensor, env); throws NativeBackendMissing when absent. */
export function loadNativeOrt(): OrtModule {
  if (loaded) return loaded;
  try {
    // a plain require kept out of the bundle (esbuild marks it external): the package holds a native .node binding
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('onnxruntime-node') as OrtModule;
  } catch (e) {
    throw new NativeBackendMissing(e instanceof Error ? e.message.split('\n')[0]! : String(e));
  }
  return loaded;
}

/** True when onnxruntime-node can be loaded. */
export function nativeAvailable(): boolean {
  try {
    loadNativeOrt();
    return true;
  } catch {
    return false;
  }
}
