// Per-layer statistics: each node output exposed as an extra ONNX output, summarised after a run, in graph order.
import type { ModelGraph } from '../graph/modelGraph';
import type { RunTensor } from './runner';
import { tensorStats, type TensorStats } from './tensorStats';

export interface LayerStat {
  /** Graph value id of the tensor. */
  readonly value: string;
  /** Producing node's id, op and module path (or scope for functions). */
  readonly node: string;
  readonly op: string;
  readonly where: string;
  readonly shape: readonly number[];
  readonly stats: TensorStats;
}

/** Value ids worth exposing: every tensor output of every node, in graph order. */
export function layerValueIds(graph: ModelGraph): string[] {
  return graph.nodes.flatMap((n) => n.outputs);
}

/** Statistics of the exposed values, given the exporter's value → output-name map and the run's outputs. */
export function layerStats(graph: ModelGraph, exposed: ReadonlyMap<string, string>, outputs: Readonly<Record<string, RunTensor>>): LayerStat[] {
  const out: LayerStat[] = [];
  for (const n of graph.nodes) {
    for (const v of n.outputs) {
      const name = exposed.get(v);
      const t = name ? outputs[name] : undefined;
      if (!t) continue;
      out.push({ value: v, node: n.id, op: n.op, where: n.modulePath ?? n.scope, shape: t.shape, stats: tensorStats(t.data) });
    }
  }
  return out;
}
