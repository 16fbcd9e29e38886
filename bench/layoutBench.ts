// Layout benchmark: time to lay out generated ResNet/U-Net/transformer graphs of 1k, 10k and 30k nodes (median of runs).
import { layeredLayout } from '../src/core/graph/layout/layeredLayout';
import { syntheticGraph, type SyntheticKind } from '../src/core/graph/layout/syntheticGraphs';
import type { LayoutMode } from '../src/core/graph/layout/layoutTypes';
import { medianMs, type BenchRow } from './benchRow';

export interface LayoutBenchRow {
  readonly graph: string;
  readonly nodes: number;
  readonly edges: number;
  readonly mode: LayoutMode;
  readonly medianMs: number;
  readonly crossings: number;
}

export function layoutBench(
  sizes: readonly number[] = [1000, 10000, 30000],
  runs = 3,
  kinds: readonly SyntheticKind[] = ['resnet', 'unet', 'transformer'],
): LayoutBenchRow[] {
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
        rows.push({
          graph: `${kind}_${size >= 1000 ? `${size / 1000}k` : size}`,
          nodes: g.nodeCount,
          edges: g.sources.length,
          mode,
          medianMs: Math.round(times[Math.floor(runs / 2)]! * 10) / 10,
          crossings,
        });
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

/** Median ms of elkjs's layered layout on the same graph, or NaN with the error when it fails (it recurses: deep graphs overflow the stack). */
async function elkMs(g: ReturnType<typeof syntheticGraph>, runs: number): Promise<{ ms: number; error: string | null }> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const graph = {
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN' },
    children: Array.from({ length: g.nodeCount }, (_, i) => ({ id: `n${i}`, width: g.widths[i]!, height: g.heights[i]! })),
    edges: Array.from({ length: g.sources.length }, (_, k) => ({ id: `e${k}`, sources: [`n${g.sources[k]}`], targets: [`n${g.targets[k]}`] })),
  };
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    try {
      await new ELK().layout(structuredClone(graph));
    } catch (err) {
      return { ms: Number.NaN, error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 60) : String(err).slice(0, 60) };
    }
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, error: null };
}

type NetronLayout = (nodes: unknown[], edges: unknown[], layout: object, state: object) => void;

/** Netron's own dagre port (source/dagre.js of a Netron checkout, never part of this project), loaded from `dir`. */
async function loadNetron(dir: string): Promise<NetronLayout> {
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  const mod = (await import(pathToFileURL(resolve(dir, 'dagre.js')).href)) as { layout?: NetronLayout; default?: { layout?: NetronLayout } };
  const layout = mod.layout ?? mod.default?.layout;
  if (typeof layout !== 'function') throw new Error(`${dir}/dagre.js has no layout() export`);
  return layout;
}

/** Median ms of Netron's layout on the same graph, called the way its grapher.js calls it (nodesep/ranksep 20, longest-path ranker above 3000 nodes). */
async function netronMs(layout: NetronLayout, g: ReturnType<typeof syntheticGraph>, runs: number): Promise<number> {
  const indeg = new Int32Array(g.nodeCount);
  for (let e = 0; e < g.targets.length; e++) indeg[g.targets[e]!]!++;
  return medianMs(
    () => {
      const nodes = Array.from({ length: g.nodeCount }, (_, i) => ({ v: String(i), width: g.widths[i]!, height: g.heights[i]!, parent: null, x: 0, y: 0 }));
      const edges = Array.from({ length: g.sources.length }, (_, e) => ({
        v: String(g.sources[e]),
        w: String(g.targets[e]),
        minlen: indeg[g.sources[e]!] === 0 ? 2 : 1,
        weight: 1,
        width: 0,
        height: 0,
        labeloffset: 10,
        labelpos: 'r',
        points: [],
      }));
      layout(nodes, edges, { nodesep: 20, ranksep: 20, ...(nodes.length > 3000 ? { ranker: 'longest-path' } : {}) }, {});
    },
    runs,
    0,
  );
}

/**
 * Rows for `npm run bench` (bench/benchRow.ts format): our layout per size and family (same gaps as Netron's viewer),
 * against Netron's dagre when `netronDir` (a folder holding Netron's source/dagre.js) is given, elkjs layered otherwise.
 */
export async function layoutBenchRows(
  runs = 5,
  sizes: readonly number[] = [1000, 3000, 10000, 30000],
  kinds: readonly SyntheticKind[] = ['resnet', 'unet', 'transformer'],
  netronDir?: string,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const netron = netronDir ? await loadNetron(netronDir) : undefined;
  for (const kind of kinds) {
    for (const size of sizes) {
      const g = syntheticGraph(kind, size);
      let mode: LayoutMode = 'full';
      const value = await medianMs(() => (mode = layeredLayout(g, { nodeSep: 20, rankSep: 20 }).mode), runs);
      const figure = `layout ${kind} ${g.nodeCount} nodes / ${g.sources.length} edges (${mode} mode)`;
      if (netron) {
        // Netron takes seconds per run at 10k+: fewer repetitions there
        const ms = await netronMs(netron, g, size >= 10000 ? 1 : Math.min(runs, 3));
        rows.push({
          section: 'layout',
          figure,
          value,
          unit: 'ms',
          baseline: 'Netron dagre (grapher.js settings), same graph',
          baselineValue: ms,
          ...(size <= 10000 ? { target: '≤ 0.1 × Netron (issue 16)' } : {}),
        });
        continue;
      }
      // elkjs takes seconds per run at 10k+: fewer repetitions there
      const elk = await elkMs(g, size >= 10000 ? 1 : Math.min(runs, 3));
      rows.push({
        section: 'layout',
        figure,
        value,
        unit: 'ms',
        baseline: elk.error ? `elkjs 0.11 layered: failed (${elk.error})` : 'elkjs 0.11 layered, same graph',
        baselineValue: elk.ms,
        ...(size === 10000 ? { target: '≤ 2000 ms laid out and interactive (issue 6)' } : {}),
      });
    }
  }
  return rows;
}

if (process.argv[1]?.endsWith('layoutBench.ts')) {
  if (process.argv.includes('--rows')) void layoutBenchRows(3).then((rows) => console.log(JSON.stringify(rows, null, 1)));
  else console.log(formatLayoutBench(layoutBench()));
}
