// Per-layer statistics: each node output's statistics computed in the ONNX graph (or the tensor itself exposed as an output), read after a run, in graph order.
import type { ModelGraph } from '../graph/modelGraph';
import type { RunTensor } from './runner';
import { SUMMARY_GATE } from '../onnx/summaryGate';
import { statsFromVector, tensorStats, type TensorStats } from './tensorStats';

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

/** Where a layer's figures come from: its statistics output (with the tensor's `dims`), or the tensor itself. */
export interface LayerTap {
  readonly output: string;
  /** Set when `output` is the graph's own statistics vector (core/ops/lowerStats) of a tensor of these dims. */
  readonly dims?: readonly number[];
}

/** Statistics of the tapped values, given value id → tap and the run's outputs. */
export function layerStats(graph: ModelGraph, taps: ReadonlyMap<string, LayerTap>, outputs: Readonly<Record<string, RunTensor>>): LayerStat[] {
  const out: LayerStat[] = [];
  for (const n of graph.nodes) {
    for (const v of n.outputs) {
      const tap = taps.get(v);
      const t = tap ? outputs[tap.output] : undefined;
      if (!tap || !t) continue;
      const where = n.modulePath ?? n.scope;
      if (tap.dims) out.push({ value: v, node: n.id, op: n.op, where, shape: [...tap.dims], stats: statsFromVector(t.data, tap.dims) });
      else out.push({ value: v, node: n.id, op: n.op, where, shape: t.shape, stats: tensorStats(t.data) });
    }
  }
  return out;
}

/** The model's own input names of a session, without the summary gate (core/ops/lowerStats SUMMARY_GATE). */
export function modelInputNames(inputNames: readonly string[]): string[] {
  return inputNames.filter((n) => n !== SUMMARY_GATE);
}

/** The gate's feed for a session that has one: true computes the in-graph summaries, false runs the model alone. */
export function summaryGateFeed(inputNames: readonly string[], on: boolean): Record<string, RunTensor> {
  return inputNames.includes(SUMMARY_GATE) ? { [SUMMARY_GATE]: { dtype: 'bool', shape: [], data: Uint8Array.of(on ? 1 : 0) } } : {};
}
