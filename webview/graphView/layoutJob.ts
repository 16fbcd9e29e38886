// Messages between the graph view and its layout worker, and the packing of a layout result into a few transferable arrays.
import type { LayoutMode, LayoutResult } from '../../src/core/graph/layout/layoutTypes';

export interface LayoutRequest {
  readonly type: 'layout';
  readonly jobId: number;
  readonly nodeCount: number;
  readonly widths: Float64Array;
  readonly heights: Float64Array;
  readonly sources: Int32Array;
  readonly targets: Int32Array;
  readonly mode?: LayoutMode;
}

export interface PackedLayout {
  readonly mode: LayoutMode;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rank: Int32Array;
  readonly width: number;
  readonly height: number;
  readonly crossings: number;
  /** Edge i's points are coords[offsets[i] .. offsets[i+1]). */
  readonly offsets: Int32Array;
  readonly coords: Float64Array;
}

export type LayoutReply =
  | { readonly type: 'progress'; readonly jobId: number; readonly phase: string; readonly fraction: number }
  | { readonly type: 'done'; readonly jobId: number; readonly result: PackedLayout; readonly ms: number }
  | { readonly type: 'error'; readonly jobId: number; readonly message: string };

export function packLayout(r: LayoutResult): PackedLayout {
  const offsets = new Int32Array(r.edgePoints.length + 1);
  r.edgePoints.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const coords = new Float64Array(offsets[r.edgePoints.length]!);
  r.edgePoints.forEach((p, i) => coords.set(p, offsets[i]!));
  return { mode: r.mode, x: r.x, y: r.y, rank: r.rank, width: r.width, height: r.height, crossings: r.crossings, offsets, coords };
}

export function unpackLayout(p: PackedLayout): LayoutResult {
  const edgePoints: Float64Array[] = [];
  for (let i = 0; i + 1 < p.offsets.length; i++) edgePoints.push(p.coords.subarray(p.offsets[i]!, p.offsets[i + 1]!));
  return { mode: p.mode, x: p.x, y: p.y, rank: p.rank, width: p.width, height: p.height, crossings: p.crossings, edgePoints };
}

export function transferList(p: PackedLayout): ArrayBuffer[] {
  return [p.x.buffer, p.y.buffer, p.rank.buffer, p.offsets.buffer, p.coords.buffer] as ArrayBuffer[];
}
