// One corrupt-binary fuzz case: decode .onnx, .safetensors or torch .pt bytes; it must decode or fail with the reader's own clear error, within time and memory bounds.
import { decodeOnnx } from '../../src/core/onnx/decodeOnnx';
import { OnnxFormatError } from '../../src/core/onnx/onnxProto';
import { readSafetensors, SafetensorsError } from '../../src/core/weights/readSafetensors';
import { readCheckpoint } from '../../src/core/weights/checkpoint/readCheckpoint';
import { CheckpointError } from '../../src/core/weights/checkpoint/readTorchFile';
import { DEFAULT_PICKLE_LIMITS } from '../../src/core/weights/checkpoint/pickleMachine';
import { PropertyViolation } from './sourceCase';

export type BinaryKind = 'onnx' | 'safetensors' | 'pt';

export interface BinaryLimits {
  /** Wall time for one decode (a second timing after an overrun must also be over it). */
  readonly maxMs: number;
  /** Bytes a case may allocate (heap + array buffers) beyond `perInputByte` × its input size. */
  readonly maxBytes: number;
  readonly perInputByte: number;
}

export interface BinaryOutcome {
  readonly decoded: boolean;
  /** Error class and message head when refused. */
  readonly error: string | null;
  readonly ms: number;
  /** Growth of heapUsed + arrayBuffers across the case (garbage included unless a GC ran). */
  readonly allocated: number;
}

/** The limits the decoders are given in the fuzz run; an "oversized" case exceeds maxBytes on purpose. */
export const ONNX_FUZZ_MAX_BYTES = 1 << 20;

function decode(kind: BinaryKind, bytes: Uint8Array): void {
  if (kind === 'onnx') decodeOnnx(bytes, 'fuzz.onnx', { maxBytes: ONNX_FUZZ_MAX_BYTES });
  else if (kind === 'safetensors') readSafetensors(bytes, 'fuzz.safetensors');
  else readCheckpoint(bytes, 'fuzz.pt', { limits: PT_FUZZ_LIMITS });
}

/** The checkpoint reader's limits in the fuzz run: the defaults, with the inflate budget scaled to small seeds. */
export const PT_FUZZ_LIMITS = {
  pickle: DEFAULT_PICKLE_LIMITS,
  zip: { maxEntries: 10_000, maxInflated: 32 << 20, maxRatio: 1100 },
  maxPickleBytes: 16 << 20,
};

const gc = (globalThis as { gc?: () => void }).gc;
let sinceGc = 0;

function measureOnce(kind: BinaryKind, bytes: Uint8Array): BinaryOutcome {
  // A full GC now and then keeps garbage of earlier cases from being counted against this one.
  if (++sinceGc >= 64) {
    sinceGc = 0;
    gc?.();
  }
  const before = process.memoryUsage();
  const t0 = performance.now();
  let error: unknown = null;
  try {
    decode(kind, bytes);
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  const allocated = Math.max(0, after.heapUsed - before.heapUsed) + Math.max(0, after.arrayBuffers - before.arrayBuffers);
  if (error === null) return { decoded: true, error: null, ms, allocated };
  const clear =
    kind === 'onnx' ? error instanceof OnnxFormatError : kind === 'safetensors' ? error instanceof SafetensorsError : error instanceof CheckpointError;
  if (!clear || !(error as Error).message) {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new PropertyViolation(`${kind} decode threw an unclear error (${what.slice(0, 300)})`);
  }
  return { decoded: false, error: `${(error as Error).name}: ${(error as Error).message.slice(0, 120)}`, ms, allocated };
}

/** Decodes once (twice when the first timing or allocation is over a limit: noise must not count as a failure). */
export function runBinaryCase(kind: BinaryKind, bytes: Uint8Array, limits: BinaryLimits): BinaryOutcome {
  const memLimit = limits.maxBytes + limits.perInputByte * bytes.length;
  let r = measureOnce(kind, bytes);
  if (r.ms > limits.maxMs || r.allocated > memLimit) r = measureOnce(kind, bytes);
  if (r.ms > limits.maxMs) throw new PropertyViolation(`${kind} decode of ${bytes.length} bytes took ${r.ms.toFixed(0)} ms, above ${limits.maxMs} ms`);
  if (r.allocated > memLimit) throw new PropertyViolation(`${kind} decode of ${bytes.length} bytes allocated ${r.allocated} bytes, above ${memLimit}`);
  return r;
}
