// Per-model fusion summary (levels, scales, methods, cost) and the comparison with a fusion-free baseline of the same file.
import { formatShapeConcrete } from '../shape/shape';
import type { ModelGraph } from './modelGraph';
import type { BaselineComparison, FusionMethod, FusionPoint, FusionSummary } from './fusionTypes';

/** `4`, or `2x4` when the spatial dims differ. */
export function strideText(stride: readonly number[] | null): string | null {
  if (!stride || stride.length === 0) return null;
  const fmt = (s: number): string => (Number.isInteger(s) ? String(s) : s < 1 && Number.isInteger(1 / s) ? `1/${1 / s}` : String(Math.round(s * 1000) / 1000));
  return stride.every((s) => s === stride[0]) ? fmt(stride[0] as number) : stride.map(fmt).join('x');
}

export function summarizeFusion(graph: ModelGraph, points: readonly FusionPoint[]): FusionSummary {
  const methods: Partial<Record<FusionMethod, number>> = {};
  const levelValues = new Set<string>();
  const scales = new Map<string, number>();
  const branchNodes = new Set<string>();
  let maxInputs = 0;
  for (const p of points) {
    methods[p.method] = (methods[p.method] ?? 0) + 1;
    maxInputs = Math.max(maxInputs, p.inputs.length);
    for (const inp of p.inputs) {
      levelValues.add(inp.levelValue);
      const s = strideText(inp.level.stride);
      if (s !== null) scales.set(s, inp.level.stride?.[0] ?? 0);
      for (const n of inp.branch.nodes) branchNodes.add(n);
    }
  }
  let fusionParams = 0;
  let fusionFlops = 0;
  for (const n of graph.nodes) {
    if (!branchNodes.has(n.id)) continue;
    fusionParams += n.params;
    fusionFlops += n.flops;
  }
  return {
    className: graph.className,
    expr: graph.expr,
    points: points.length,
    methods,
    levels: levelValues.size,
    scales: [...scales.entries()].sort((a, b) => a[1] - b[1]).map(([s]) => s),
    maxInputs,
    paramsTotal: graph.paramsTotal,
    flopsTotal: graph.flopsTotal,
    fusionParams,
    fusionFlops,
  };
}

function signature(graph: ModelGraph): string {
  const ins = graph.inputs.map((i) => formatShapeConcrete(i.shape)).join(';');
  const outs = graph.outputs.map((o) => {
    const s = graph.values.get(o)?.shape;
    return s ? formatShapeConcrete(s) : '?';
  });
  return `${ins}->${outs.join(';')}`;
}

/**
 * Pairs every model that fuses levels with each model of the same file that has no fusion point and the
 * same input and output shapes (a baseline doing the same job without fusion).
 */
export function compareWithBaselines(models: readonly { graph: ModelGraph; points: number }[]): BaselineComparison[] {
  const out: BaselineComparison[] = [];
  for (const m of models) {
    if (m.points === 0) continue;
    for (const b of models) {
      if (b === m || b.points !== 0 || b.graph.nodes.length === 0 || signature(b.graph) !== signature(m.graph)) continue;
      out.push({
        model: m.graph.expr || m.graph.className,
        baseline: b.graph.expr || b.graph.className,
        params: m.graph.paramsTotal,
        baselineParams: b.graph.paramsTotal,
        flops: m.graph.flopsTotal,
        baselineFlops: b.graph.flopsTotal,
      });
    }
  }
  return out;
}
