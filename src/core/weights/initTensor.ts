// PyTorch's default-init distributions for each InitRule: the values of one tensor, and the rule's theoretical bound and std.
import type { InitRule } from '../ops/types';
import type { Rng } from './rng';

export interface InitStats {
  /** Values lie in [mean - bound, mean + bound]; Infinity for normal, 0 for constants. */
  readonly bound: number;
  readonly std: number;
  readonly mean: number;
}

/** torch.nn.init.calculate_gain('leaky_relu', a), as kaiming_uniform_ uses it. */
export function leakyReluGain(a: number): number {
  return Math.sqrt(2 / (1 + a * a));
}

function positive(n: number, what: string): number {
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`init: ${what} must be a positive number, got ${n}`);
  return n;
}

/** Theoretical bound, std and mean of the distribution a rule draws from. */
export function initStats(rule: InitRule): InitStats {
  switch (rule.kind) {
    case 'kaiming_uniform': {
      const bound = leakyReluGain(rule.a) * Math.sqrt(3 / positive(rule.fanIn, 'fanIn'));
      return { bound, std: bound / Math.sqrt(3), mean: 0 };
    }
    case 'uniform':
      return { bound: rule.bound, std: rule.bound / Math.sqrt(3), mean: 0 };
    case 'xavier_uniform': {
      const bound = Math.sqrt(6 / positive(rule.fanIn + rule.fanOut, 'fanIn + fanOut'));
      return { bound, std: bound / Math.sqrt(3), mean: 0 };
    }
    case 'xavier_normal':
      return { bound: Infinity, std: Math.sqrt(2 / positive(rule.fanIn + rule.fanOut, 'fanIn + fanOut')), mean: 0 };
    case 'normal':
      return { bound: Infinity, std: rule.std, mean: rule.mean ?? 0 };
    case 'ones':
      return { bound: 0, std: 0, mean: 1 };
    case 'zeros':
      return { bound: 0, std: 0, mean: 0 };
    case 'constant':
      return { bound: 0, std: 0, mean: rule.value };
    default:
      return unknownRule(rule);
  }
}

/** Embedding's padding_idx row is zeroed after the draw (negative indices count from the end). */
function zeroRow(out: Float32Array, shape: readonly number[], row: number): void {
  const rows = shape[0] ?? 0;
  const r = row < 0 ? rows + row : row;
  if (r < 0 || r >= rows) throw new Error(`init: padding row ${row} is outside the ${rows} rows`);
  const width = out.length / rows;
  out.fill(0, r * width, (r + 1) * width);
}

function unknownRule(rule: never): never {
  throw new Error(`init: unknown rule ${JSON.stringify(rule)}`);
}

/** Float32 values of a tensor of `shape`, drawn per the rule from `rng`. */
export function initTensor(rule: InitRule, shape: readonly number[], rng: Rng): Float32Array {
  const numel = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(numel);
  if (numel === 0) return out; // torch: initialising a zero-element tensor is a no-op
  const { bound, std, mean } = initStats(rule);
  switch (rule.kind) {
    case 'kaiming_uniform':
    case 'uniform':
    case 'xavier_uniform':
      for (let i = 0; i < numel; i++) out[i] = rng.uniform(-bound, bound);
      break;
    case 'normal':
    case 'xavier_normal':
      for (let i = 0; i < numel; i++) out[i] = mean + std * rng.normal();
      if (rule.kind === 'normal' && rule.zeroRow !== undefined) zeroRow(out, shape, rule.zeroRow);
      break;
    case 'ones':
    case 'zeros':
    case 'constant':
      out.fill(mean);
      break;
  }
  return out;
}
