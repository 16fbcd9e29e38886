// Prepares a model for a forward pass: weights (seeded or .safetensors), ONNX bytes with taps, a memory estimate.
import type { ModelGraph } from '../../core/graph/modelGraph';
import { exportOnnx as encodeOnnx } from '../../core/onnx/encodeOnnx';
import { checkRunMemory } from '../../core/run/memoryGuard';
import { initStateDict, loadStateDict, readSafetensors, type StateDict } from '../../core/weights';
import type { RunTap } from '../../protocol';
import { fusionAnalysis } from './engineFusion';

export type WeightsChoice =
  | { readonly kind: 'seeded'; readonly seed: number }
  | { readonly kind: 'safetensors'; readonly bytes: Uint8Array; readonly source: string };

export interface PreparedRun {
  readonly onnx: Uint8Array;
  /** ONNX input names in graph input order. */
  readonly inputNames: readonly string[];
  readonly outputs: readonly string[];
  readonly taps: readonly RunTap[];
  /** Weights, inputs and every activation, in bytes (an upper bound; see core/run/memoryGuard). */
  readonly estimatedBytes: number;
  readonly warnings: readonly string[];
}

/** At most this many per-layer taps, so huge graphs do not ship every activation back. */
const MAX_LAYER_TAPS = 300;

function weightsFor(graph: ModelGraph, choice: WeightsChoice): { tensors: StateDict; warnings: string[] } {
  if (choice.kind === 'seeded') return { tensors: initStateDict(graph.stateDict, choice.seed), warnings: [] };
  const loaded = loadStateDict(graph.stateDict, readSafetensors(choice.bytes, choice.source), choice.source);
  const warnings = [
    ...(loaded.defaulted.length ? [`defaulted from ${choice.source}: ${loaded.defaulted.join(', ')}`] : []),
    ...(loaded.converted.length ? [`converted to float32: ${loaded.converted.join(', ')}`] : []),
  ];
  return { tensors: loaded.tensors, warnings };
}

/** Throws MemoryLimitError (before allocating any weight) when the run would exceed `limitBytes`. */
export function prepareRun(graph: ModelGraph, choice: WeightsChoice, limitBytes: number): PreparedRun {
  const estimate = checkRunMemory(graph, limitBytes);
  const { tensors, warnings } = weightsFor(graph, choice);
  const outputsSet = new Set(graph.outputs);
  const inputsSet = new Set(graph.inputs.map((i) => i.value));
  const wanted: { value: string; tap: Omit<RunTap, 'output'> }[] = [];
  const { points } = fusionAnalysis(graph);
  points.forEach((p, fi) => {
    for (const inp of p.inputs) {
      const v = graph.values.get(inp.levelValue);
      const label = `${inp.var ?? inp.operandVar ?? inp.levelValue} (depth ${inp.level.depth}${inp.level.channels !== null ? `, ${inp.level.channels}ch` : ''})`;
      if (v?.source === 'node') wanted.push({ value: inp.levelValue, tap: { node: v.producer ?? '', label, role: 'fusion-input', fusion: fi, level: `depth ${inp.level.depth}` } });
    }
    wanted.push({ value: p.out.value, tap: { node: p.node, label: `${p.out.var ?? p.op} (${p.method})`, role: 'fusion-output', fusion: fi } });
  });
  for (const n of graph.nodes.slice(0, MAX_LAYER_TAPS)) {
    const out = n.outputs[0];
    if (out === undefined || !graph.values.get(out)?.shape) continue;
    wanted.push({ value: out, tap: { node: n.id, label: n.modulePath ?? n.op.replace(/^(torch|F|Tensor|op)\./, ''), role: 'layer' } });
  }
  // Tensors that are not model outputs are summarised in the graph: the session returns their statistics (and,
  // for fusion taps, the part of the tensor the heatmap reads) instead of whole activations.
  const summarised = (role?: RunTap['role']): string[] =>
    [...new Set(wanted.filter((w) => role === undefined || w.tap.role !== role).map((w) => w.value).filter((v) => !outputsSet.has(v) && !inputsSet.has(v)))];
  const exported = encodeOnnx(graph, { weights: tensors, statsOutputs: summarised(), mapOutputs: summarised('layer') });
  const taps: RunTap[] = [];
  for (const w of wanted) {
    const stats = exported.statsOutputs.get(w.value);
    const map = exported.mapOutputs.get(w.value)?.name;
    if (stats) taps.push({ output: stats.name, ...w.tap, summary: { dims: [...stats.dims], ...(map !== undefined && w.tap.role !== 'layer' ? { map } : {}) } });
    else if (outputsSet.has(w.value)) taps.push({ output: exported.outputNames[graph.outputs.indexOf(w.value)]!, ...w.tap });
  }
  return { onnx: exported.bytes, inputNames: exported.inputNames, outputs: exported.outputNames, taps, estimatedBytes: estimate.totalBytes, warnings };
}

/** The model alone, for Export Model to ONNX…. */
export function exportOnnx(graph: ModelGraph, choice: WeightsChoice): Uint8Array {
  return encodeOnnx(graph, { weights: weightsFor(graph, choice).tensors }).bytes;
}
