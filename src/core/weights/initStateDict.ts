// Seeded initialisation of a whole state_dict following each entry's PyTorch default-init rule.
import type { StateEntry } from '../graph/modelGraph';
import { initTensor } from './initTensor';
import { Rng } from './rng';
import type { StateDict, StateTensor } from './stateTensor';

/**
 * Every entry gets its own random stream keyed by (seed, name), so a tensor's values do not
 * change when layers are added elsewhere. Shared parameters (`aliasOf`) get the same array.
 */
export function initStateDict(entries: readonly StateEntry[], seed: number): StateDict {
  const out: StateDict = new Map();
  for (const e of entries) {
    if (e.aliasOf !== undefined) {
      const shared = out.get(e.aliasOf);
      if (!shared) throw new Error(`init: '${e.name}' shares '${e.aliasOf}', which comes later or does not exist`);
      out.set(e.name, shared);
      continue;
    }
    out.set(e.name, initEntry(e, seed));
  }
  return out;
}

function initEntry(e: StateEntry, seed: number): StateTensor {
  if (e.dtype === 'float32') return initTensor(e.init, e.shape, new Rng(seed, e.name));
  if (e.dtype === 'int64') {
    const rule = e.init;
    const value = rule.kind === 'zeros' ? 0 : rule.kind === 'ones' ? 1 : rule.kind === 'constant' ? rule.value : null;
    if (value === null || !Number.isInteger(value)) {
      throw new Error(`init: int64 tensor '${e.name}' cannot use the random rule '${rule.kind}'`);
    }
    return new BigInt64Array(e.shape.reduce((a, b) => a * b, 1)).fill(BigInt(value));
  }
  throw new Error(`init: tensor '${e.name}' has dtype ${e.dtype}; only float32 and int64 state is supported`);
}
