// Which engine ran a model (WebGPU and its adapter, wasm and its threads, onnxruntime-node's CPU), why a faster one was not used, and the tolerance each is held to.
import type { TensorComparison } from './compareTensors';

/** `webgpu`/`wasm`: onnxruntime-web; `native`: onnxruntime-node's CPU backend (CLI only). */
export type BackendKind = 'webgpu' | 'wasm' | 'native';

/** The `fusionLens.executionProvider` setting: `auto` takes WebGPU when it works and wasm otherwise. */
export type ProviderChoice = 'auto' | 'webgpu' | 'wasm';
export const PROVIDER_CHOICES: readonly ProviderChoice[] = ['auto', 'webgpu', 'wasm'];

export interface BackendInfo {
  readonly kind: BackendKind;
  /** The WebGPU adapter's name (vendor, architecture, description), empty for CPU backends. */
  readonly adapter: string;
  /** CPU threads of the wasm or native backend (1 for WebGPU: its host side runs on the page's thread). */
  readonly threads: number;
  /** Set when a faster backend was asked for (or tried) and this one ran instead: the reason, in words. */
  readonly fallback?: string;
  /** Set when the model ran without part of what was asked (e.g. per-layer summaries left out on WebGPU): why. */
  readonly note?: string;
}

/** "WebGPU (google swiftshader)", "wasm, 1 thread", "native CPU, 2 threads". */
export function backendText(b: BackendInfo): string {
  if (b.kind === 'webgpu') return `WebGPU${b.adapter ? ` (${b.adapter})` : ''}`;
  const threads = `${b.threads} thread${b.threads === 1 ? '' : 's'}`;
  return b.kind === 'wasm' ? `wasm, ${threads}` : `native CPU, ${threads}`;
}

/**
 * Relative tolerance against a float64/CPU reference (PyTorch on the CPU): max |a − b| ≤ rel × max(1, max |ref|).
 * CPU kernels (wasm, native) sum in the reference's order closely enough for 1e-4; GPU shaders reorder reductions,
 * may fuse multiply-adds and use faster exp/tanh approximations, so WebGPU is held to 1e-3.
 */
export function backendTolerance(kind: BackendKind): number {
  return kind === 'webgpu' ? 1e-3 : 1e-4;
}

/** The tolerance for comparing outputs of two backends: the looser of the two. */
export function toleranceBetween(a: BackendKind, b: BackendKind): number {
  return Math.max(backendTolerance(a), backendTolerance(b));
}

/** True when a comparison stays within the tolerance of the backend(s) that produced it (NaN never passes). */
export function withinBackendTolerance(c: TensorComparison, ...kinds: readonly BackendKind[]): boolean {
  const rel = Math.max(...kinds.map(backendTolerance));
  return c.maxAbsDiff <= rel * Math.max(1, c.maxAbsRef);
}

/** Wasm threads a page may use: all cores up to `cap` when it is cross-origin isolated (SharedArrayBuffer), else one. */
export function pageThreads(isolated: boolean, hardwareConcurrency: number | undefined, cap: number): number {
  if (!isolated) return 1;
  return Math.max(1, Math.min(Math.floor(cap) || 1, Math.floor(hardwareConcurrency ?? 1) || 1));
}

/** A one-line name for a WebGPU adapter from its `GPUAdapterInfo` fields (vendor, architecture, device, description). */
export function adapterName(
  info: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean } | undefined,
): string {
  if (!info) return 'unnamed adapter';
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  const name = unique.join(' ') || 'unnamed adapter';
  return info.isFallbackAdapter ? `${name}, software fallback adapter` : name;
}
