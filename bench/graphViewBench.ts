// Graph view pipeline benchmark: payload → default grouping → visible graph → layout → scene (what the webview does before its first paint), for 1k/10k/30k nodes.
import { layeredLayout } from '../src/core/graph/layout/layeredLayout';
import { scopeFrames } from '../src/core/graph/layout/scopeFrames';
import { syntheticPayload, type SyntheticKind } from '../src/core/graph/layout/syntheticGraphs';
import { defaultExpanded, toLayoutGraph, visibleGraph } from '../src/core/graph/layout/visibleGraph';
import type { GraphPayload } from '../src/protocol';

export interface GraphViewBenchRow {
  readonly graph: string;
  readonly nodes: number;
  /** 'grouped': scopes collapsed to the view's budget; 'flat': every node drawn (a graph without scopes). */
  readonly view: 'grouped' | 'flat';
  readonly boxes: number;
  readonly mode: string;
  readonly ms: number;
}

/** The webview's own budget of boxes when a model opens (webview/graphView/graphApp.ts). */
const EXPAND_BUDGET = 400;

function pipeline(p: GraphPayload, expanded: Set<string>): { boxes: number; mode: string } {
  const v = visibleGraph(p, expanded);
  const layout = layeredLayout(toLayoutGraph(v));
  scopeFrames(v, layout, expanded);
  return { boxes: v.items.length, mode: layout.mode };
}

export function graphViewBench(sizes: readonly number[] = [1000, 10000, 30000], kinds: readonly SyntheticKind[] = ['resnet', 'unet']): GraphViewBenchRow[] {
  const rows: GraphViewBenchRow[] = [];
  for (const kind of kinds) {
    for (const size of sizes) {
      const p = syntheticPayload(kind, size);
      const all = new Set(p.scopes.map((s) => s.path));
      for (const view of ['grouped', 'flat'] as const) {
        const t0 = performance.now();
        const expanded = view === 'grouped' ? defaultExpanded(p, EXPAND_BUDGET) : all;
        const r = pipeline(p, expanded);
        rows.push({
          graph: `${kind}_${size / 1000}k`,
          nodes: p.nodes.length,
          view,
          boxes: r.boxes,
          mode: r.mode,
          ms: Math.round((performance.now() - t0) * 10) / 10,
        });
      }
    }
  }
  return rows;
}

export function formatGraphViewBench(rows: readonly GraphViewBenchRow[]): string {
  const lines = ['| graph | nodes | view | boxes | layout mode | payload → scene ms |', '|---|---:|---|---:|---|---:|'];
  for (const r of rows) lines.push(`| ${r.graph} | ${r.nodes} | ${r.view} | ${r.boxes} | ${r.mode} | ${r.ms} |`);
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('graphViewBench.ts')) console.log(formatGraphViewBench(graphViewBench()));
