// The runner contract: create a session from ONNX bytes, run it on named tensors, report timings. Same in Node and in a webview.
import type { DType } from '../shape/shape';
import type { BackendInfo } from './backend';

export type RunArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

/** A tensor crossing the runner boundary (the same fields as the weights module's TensorData). */
export interface RunTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: RunArray;
}

export interface SessionOptions {
  /**
   * Wasm threads; 1 in a webview (not cross-origin isolated). onnxruntime-web fixes the count when
   * its wasm starts (the first session), so later sessions must ask for the same count or none.
   */
  readonly threads?: number;
}

export interface RunnerSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Wall time of session creation (parse, optimise, allocate), in ms. */
  readonly sessionCreateMs: number;
  /** Wall time of the most recent `run`, in ms; null before the first run. */
  readonly lastRunMs: number | null;
  /** The engine the session runs on, when the runner knows it (and why a faster one was not used). */
  readonly backend?: BackendInfo;
  /** Runs the model; `outputs` selects outputs by name (default: all). */
  run(feeds: Readonly<Record<string, RunTensor>>, outputs?: readonly string[]): Promise<Record<string, RunTensor>>;
  dispose(): Promise<void>;
}

export interface Runner {
  createSession(onnxBytes: Uint8Array, options?: SessionOptions): Promise<RunnerSession>;
}
