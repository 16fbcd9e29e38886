// Estimates the memory of a forward pass (weights + activations) before it starts, and refuses runs above a limit.
import type { ModelGraph } from '../graph/modelGraph';
import { numel, type DType } from '../shape/shape';

export interface MemoryEstimate {
  readonly inputBytes: number;
  readonly weightBytes: number;
  /** Every intermediate tensor at once: an upper bound, since the runtime reuses buffers. */
  readonly activationBytes: number;
  /** inputs + activations + weights twice (the model bytes and the runtime's own copy). */
  readonly totalBytes: number;
  /** Values whose size is unknown (not counted). */
  readonly unknownValues: number;
}

export const DEFAULT_MEMORY_LIMIT_BYTES = 2 * 1024 ** 3;

function bytesPer(dtype: DType): number {
  return dtype === 'float64' || dtype === 'int64'
    ? 8
    : dtype === 'float32' || dtype === 'int32'
      ? 4
      : dtype === 'bool' || dtype === 'int8' || dtype === 'uint8'
        ? 1
        : 2;
}

export function estimateRunMemory(graph: ModelGraph): MemoryEstimate {
  let inputBytes = 0;
  let activationBytes = 0;
  let unknownValues = 0;
  for (const v of graph.values.values()) {
    if (v.source === 'param' || v.source === 'buffer') continue;
    const n = v.shape ? numel(v.shape) : null;
    if (n === null) {
      unknownValues++;
      continue;
    }
    if (v.source === 'input') inputBytes += n * bytesPer(v.dtype);
    else activationBytes += n * bytesPer(v.dtype);
  }
  let weightBytes = 0;
  for (const e of graph.stateDict) if (!e.aliasOf) weightBytes += e.shape.reduce((a, b) => a * b, 1) * bytesPer(e.dtype);
  return { inputBytes, weightBytes, activationBytes, totalBytes: inputBytes + activationBytes + 2 * weightBytes, unknownValues };
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

export class MemoryLimitError extends Error {
  constructor(
    readonly estimate: MemoryEstimate,
    readonly limitBytes: number,
  ) {
    super(
      `refusing to run: estimated memory ${formatBytes(estimate.totalBytes)} (weights ${formatBytes(estimate.weightBytes)}, ` +
        `activations ${formatBytes(estimate.activationBytes)}, inputs ${formatBytes(estimate.inputBytes)}) exceeds the limit of ${formatBytes(limitBytes)}`,
    );
    this.name = 'MemoryLimitError';
  }
}

/** Throws MemoryLimitError when the estimate is above `limitBytes`; returns the estimate otherwise. */
export function checkRunMemory(graph: ModelGraph, limitBytes = DEFAULT_MEMORY_LIMIT_BYTES): MemoryEstimate {
  const est = estimateRunMemory(graph);
  if (est.totalBytes > limitBytes) throw new MemoryLimitError(est, limitBytes);
  return est;
}

/**
 * A weights file is read whole before any check of its contents, so its size alone is capped: a file larger than the
 * memory limit cannot run anyway (the guard counts weights twice). Throws with the sizes and the setting to change.
 */
export function checkWeightsFileSize(sizeBytes: number, limitBytes: number, name: string): void {
  if (sizeBytes > limitBytes) {
    throw new Error(
      `refusing to read ${name}: the file is ${formatBytes(sizeBytes)}, above the memory limit of ${formatBytes(limitBytes)} (setting fusionLens.memoryLimitMB)`,
    );
  }
}
