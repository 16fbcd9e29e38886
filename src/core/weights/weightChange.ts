// Per-parameter relative change between two state dicts of one model (‖b − a‖ / ‖a‖), for comparing checkpoints.
import type { StateDict } from './stateTensor';

export interface WeightChange {
  readonly name: string;
  /** ‖b − a‖₂ / ‖a‖₂ (‖b − a‖₂ when a is all zeros). */
  readonly relative: number;
  /** ‖b − a‖₂ and ‖a‖₂, so changes can be combined per layer. */
  readonly diff: number;
  readonly norm: number;
  readonly numel: number;
}

/** Float entries present in both with the same size, in `a`'s order; int buffers (counters) are left out. */
export function weightChanges(a: StateDict, b: StateDict): WeightChange[] {
  const out: WeightChange[] = [];
  for (const [name, x] of a) {
    const y = b.get(name);
    if (!(x instanceof Float32Array) || !(y instanceof Float32Array) || x.length !== y.length) continue;
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < x.length; i++) {
      const d = y[i]! - x[i]!;
      diff += d * d;
      norm += x[i]! * x[i]!;
    }
    const d = Math.sqrt(diff);
    const n = Math.sqrt(norm);
    out.push({ name, relative: n > 0 ? d / n : d, diff: d, norm: n, numel: x.length });
  }
  return out;
}

/** Per-module relative change (parameters grouped by their module path: `layer1.0.conv1.weight` → `layer1.0.conv1`). */
export function moduleChanges(changes: readonly WeightChange[]): Map<string, number> {
  const acc = new Map<string, { sum: number; n: number }>();
  for (const c of changes) {
    const mod = c.name.includes('.') ? c.name.slice(0, c.name.lastIndexOf('.')) : '';
    const e = acc.get(mod) ?? { sum: 0, n: 0 };
    e.sum += c.relative;
    e.n++;
    acc.set(mod, e);
  }
  return new Map([...acc].map(([k, v]) => [k, v.sum / v.n]));
}
