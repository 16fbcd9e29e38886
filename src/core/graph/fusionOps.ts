// Groups of node roles the fusion analysis asks about (layers that add depth, resamplers). Roles come from the op registry.

import type { NodeKind } from './modelGraph';

/** The role kinds the fusion analysis works with (stamped on each node; see NodeRole). */
export type OpClass = NodeKind;

/** Ops with learned weights that count as one layer of depth (norms excluded: they rescale, they do not mix). */
export function isLayerClass(c: OpClass): boolean {
  return c === 'conv' || c === 'convT' || c === 'linear' || c === 'embedding' || c === 'weighted' || c === 'mha';
}

/** Ops that resample a spatial map (or change its channels with a 1×1 kernel) without being a feature layer of their own. */
export function isResampleClass(c: OpClass): boolean {
  return c === 'pool' || c === 'interpolate' || c === 'pad' || c === 'convT' || c === 'shuffle';
}
