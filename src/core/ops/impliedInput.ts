// The model input a first layer implies (`Conv2d(3, …)` → a batch of 3-channel 2-d maps), for entries' impliedInput hooks.
import type { BoundArgs, ImpliedInput } from './types';

const SPATIAL: Record<number, readonly string[]> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

function intAttr(attrs: BoundArgs, name: string): number | null {
  const v = attrs[name];
  return v && v.kind === 'int' ? v.dim.value : null;
}

/** A channels-first map with `nd` spatial axes whose channel count is the constructor argument `channels`. */
export function channelsFirstInput(nd: number, channels: string): (attrs: BoundArgs) => ImpliedInput | null {
  return (attrs) => {
    const c = intAttr(attrs, channels);
    return c === null ? null : { kind: `map${nd}`, dims: ['B', c, ...SPATIAL[nd]!], dtype: 'float32' };
  };
}

/** A batch of feature vectors of the constructor argument `features`'s size. */
export function vectorInput(features: string): (attrs: BoundArgs) => ImpliedInput | null {
  return (attrs) => {
    const f = intAttr(attrs, features);
    return f === null ? null : { kind: 'vector', dims: ['B', f], dtype: 'float32' };
  };
}

/** A batch of token ids. */
export function tokenInput(): ImpliedInput {
  return { kind: 'tokens', dims: ['B', 'T'], dtype: 'int64' };
}
