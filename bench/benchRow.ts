// The one row format of `npm run bench`: a figure, the baseline measured in the same run, and their ratio.
import { writeSync } from 'node:fs';

export interface BenchRow {
  readonly section: string;
  readonly figure: string;
  /** Median milliseconds (or another unit named in `unit`). */
  readonly value: number;
  readonly unit: string;
  readonly baseline: string;
  readonly baselineValue: number;
  /** The target, in words (e.g. "≤ 25 ms"), when it sets one. */
  readonly target?: string;
}

export function ratio(r: BenchRow): number {
  return r.baselineValue === 0 ? Number.NaN : r.value / r.baselineValue;
}

/** Median of `runs` timed calls of `fn`, after `warmup` untimed calls (one by default). */
export async function medianMs(fn: () => unknown | Promise<unknown>, runs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  // BENCH_TIMES=1 prints every timing (to see noise and warm-up, not only the median).
  if (process.env.BENCH_TIMES) writeSync(2, times.map((t) => t.toFixed(1)).join(' ') + '\n');
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const fmt = (n: number): string => (Number.isNaN(n) ? '–' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function formatTable(rows: readonly BenchRow[]): string {
  const out = ['| section | figure | value | baseline (same run) | baseline value | ratio | target |', '|---|---|---:|---|---:|---:|---|'];
  for (const r of rows) {
    out.push(
      `| ${r.section} | ${r.figure} | ${fmt(r.value)} ${r.unit} | ${r.baseline} | ${fmt(r.baselineValue)} ${r.unit} | ${fmt(ratio(r))} | ${r.target ?? ''} |`,
    );
  }
  return out.join('\n');
}
