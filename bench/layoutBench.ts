// Layout benchmark: time to lay out generated ResNet/U-Net/transformer graphs of 1k, 10k and 30k nodes (median of runs).
import { layeredLayout } from '../src/core/graph/layout/layeredLayout';
import { syntheticGraph, type SyntheticKind } from '../src/core/graph/layout/syntheticGraphs';
import type { LayoutMode } from '../src/core/graph/layout/layoutTypes';

export interface LayoutBenchRow {
  readonly graph: string;
  readonly nodes: number;
  readonly edges: number;
  readonly mode: LayoutMode;
  readonly medianMs: number;
  readonly crossings: number;
}

export function layoutBench(sizes: readonly number[] = [1000, 10000, 30000], runs = 3, kinds: readonly SyntheticKind[] = ['resnet', 'unet', 'transformer']): LayoutBenchRow[] {
  const rows: LayoutBenchRow[] = [];
  for (const kind of kinds) {
    for (const size of sizes) {
      const g = syntheticGraph(kind, size);
      // the mode the graph view would pick, plus the full mode where that differs
      const auto = layeredLayout(g).mode;
      for (const mode of auto === 'full' ? (['full'] as const) : (['fast', 'full'] as const)) {
        const times: number[] = [];
        let crossings = 0;
        for (let r = 0; r < runs; r++) {
          const t0 = performance.now();
          crossings = layeredLayout(g, { mode }).crossings;
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        rows.push({ graph: `${kind}_${size >= 1000 ? `${size / 1000}k` : size}`, nodes: g.nodeCount, edges: g.sources.length, mode, medianMs: Math.round(times[Math.floor(runs / 2)]! * 10) / 10, crossings });
      }
    }
  }
  return rows;
}

export function formatLayoutBench(rows: readonly LayoutBenchRow[]): string {
  const lines = ['| graph | nodes | edges | mode | layout ms (median) | crossings |', '|---|---:|---:|---|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.graph} | ${r.nodes} | ${r.edges} | ${r.mode} | ${r.medianMs} | ${r.crossings} |`);
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('layoutBench.ts')) console.log(formatLayoutBench(layoutBench()));
