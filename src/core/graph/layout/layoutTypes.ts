// Input, options and result types of the layered graph layout (index-based, typed arrays, no ids).

/** A graph to lay out: nodes are 0..nodeCount-1; edge i goes from sources[i] to targets[i]. */
export interface LayoutGraph {
  readonly nodeCount: number;
  readonly widths: ArrayLike<number>;
  readonly heights: ArrayLike<number>;
  readonly sources: ArrayLike<number>;
  readonly targets: ArrayLike<number>;
}

/** 'full': crossing-minimised ordering and dummy nodes for every long edge; 'fast': fewer sweeps, very long edges drawn straight. */
export type LayoutMode = 'full' | 'fast';

export interface LayoutOptions {
  /** Default: 'full' up to FAST_MODE_THRESHOLD nodes, 'fast' above. */
  readonly mode?: LayoutMode;
  /** Horizontal gap between neighbouring boxes, vertical gap between ranks. */
  readonly nodeSep?: number;
  readonly rankSep?: number;
  /** Called between phases with a fraction in [0, 1]. */
  readonly onProgress?: (phase: string, fraction: number) => void;
}

export interface LayoutResult {
  readonly mode: LayoutMode;
  /** Box centres. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rank: Int32Array;
  /** Bounding size of the drawing (coordinates start at 0, 0). */
  readonly width: number;
  readonly height: number;
  /** Per input edge: polyline as x0,y0,x1,y1,… from the source box to the target box; empty for self loops. */
  readonly edgePoints: readonly Float64Array[];
  /** Edge crossings between adjacent ranks after ordering (long edges counted through their dummy segments). */
  readonly crossings: number;
}

export const FAST_MODE_THRESHOLD = 5000;
