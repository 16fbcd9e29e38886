// The fuzz report: per-job totals, failures with their minimal counterexamples, max time per case, memory figures.
import type { ChunkFailure, ChunkResult, JobName } from './fuzzJobs';

/** Heap growth (after GC, between a worker's early and late chunks) above this counts as unbounded. */
export const MAX_HEAP_GROWTH = 64 << 20;

export interface JobSummary {
  readonly job: JobName;
  readonly cases: number;
  readonly executions: number;
  readonly failures: readonly ChunkFailure[];
  readonly maxMs: number;
  readonly maxMsInput: string;
  readonly budgetDiags: number;
  /** Defects caught inside the analysis and reported as 'internal' diagnostics, by message. */
  readonly internal: readonly [string, number][];
  readonly outcomes: readonly [string, number][];
  readonly maxAllocatedBytes: number;
  readonly heapAfterGc: { readonly first: number; readonly last: number; readonly max: number; readonly growth: number };
  readonly memoryGrowthFailure: boolean;
  readonly peakRss: number;
  readonly wallMs: number;
}

function merge(into: Map<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into.set(k, (into.get(k) ?? 0) + v);
}

export function summarise(
  job: JobName,
  results: readonly ChunkResult[],
  failures: readonly ChunkFailure[],
  heap: readonly number[][],
  peakRss: number,
  wallMs: number,
): JobSummary {
  const internal = new Map<string, number>();
  const outcomes = new Map<string, number>();
  let best: ChunkResult | null = null;
  for (const r of results) {
    merge(internal, r.internal);
    merge(outcomes, r.outcomes);
    if (!best || r.maxMs > best.maxMs) best = r;
  }
  // Growth per worker: the last sample against the lowest of its first three (warm-up allocations excluded).
  let growth = 0;
  let first = 0;
  let last = 0;
  let max = 0;
  for (const s of heap) {
    if (s.length < 2) continue;
    const base = Math.min(...s.slice(0, 3));
    growth = Math.max(growth, s[s.length - 1]! - base);
    first = Math.max(first, base);
    last = Math.max(last, s[s.length - 1]!);
    max = Math.max(max, ...s);
  }
  const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    job,
    cases: results.reduce((a, r) => a + r.cases, 0),
    executions: results.reduce((a, r) => a + r.executions, 0),
    failures,
    maxMs: best?.maxMs ?? 0,
    maxMsInput: best?.maxMsInput ?? '',
    budgetDiags: results.reduce((a, r) => a + r.budgetDiags, 0),
    internal: byCount(internal).slice(0, 20),
    outcomes: byCount(outcomes).slice(0, 40),
    maxAllocatedBytes: Math.max(0, ...results.map((r) => r.maxAllocated)),
    heapAfterGc: { first, last, max, growth },
    memoryGrowthFailure: growth > MAX_HEAP_GROWTH,
    peakRss,
    wallMs,
  };
}

const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;

export function formatReport(r: { wallMs: number; seed: number; workers: number; partial?: boolean; jobs: readonly JobSummary[] }): string {
  const out: string[] = [
    `Fusion Lens fuzz report${r.partial ? ' (PARTIAL)' : ''} (seed ${r.seed}, ${r.workers} workers, ${(r.wallMs / 1000).toFixed(0)} s wall)`,
    '',
  ];
  out.push('job          cases  executions  failures  max ms/case  heap growth  max alloc/case  peak rss   wall s');
  for (const j of r.jobs) {
    out.push(
      [
        j.job.padEnd(11),
        String(j.cases).padStart(7),
        String(j.executions).padStart(11),
        String(j.failures.length + (j.memoryGrowthFailure ? 1 : 0)).padStart(9),
        j.maxMs.toFixed(0).padStart(12),
        mb(j.heapAfterGc.growth).padStart(12),
        (j.job === 'onnx' || j.job === 'safetensors' || j.job === 'pt' ? mb(j.maxAllocatedBytes) : '-').padStart(15),
        mb(j.peakRss).padStart(9),
        (j.wallMs / 1000).toFixed(0).padStart(8),
      ].join(' '),
    );
  }
  for (const j of r.jobs) {
    out.push('', `${j.job}: slowest case ${j.maxMs.toFixed(0)} ms: ${j.maxMsInput.split('\n')[0]!.slice(0, 200)}`);
    if (j.budgetDiags) out.push(`  budget diagnostics (analyses stopped by their step/time budget): ${j.budgetDiags}`);
    for (const [m, n] of j.internal.slice(0, 8)) out.push(`  internal diagnostic ×${n}: ${m}`);
    for (const [m, n] of j.outcomes.slice(0, 12)) out.push(`  ${String(n).padStart(6)} × ${m}`);
    for (const f of j.failures.slice(0, 10)) {
      out.push(
        `  FAILURE chunk ${f.chunk} (fast-check seed ${f.seed}): ${f.error}`,
        `    counterexample: ${f.counterexample.slice(0, 400)}`,
        `    input: ${f.input.slice(0, 600).replace(/\n/g, '\n    ')}`,
      );
    }
    if (j.memoryGrowthFailure) out.push(`  FAILURE heap grew by ${mb(j.heapAfterGc.growth)} after GC over the run`);
  }
  return out.join('\n');
}
