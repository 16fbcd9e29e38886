// Prepares a model for a forward pass: weights (seeded, .safetensors or a torch.save checkpoint), ONNX bytes with taps, a memory estimate.
import type { ModelGraph } from '../../core/graph/modelGraph';
import { exportOnnx as encodeOnnx } from '../../core/onnx/encodeOnnx';
import { checkRunMemory } from '../../core/run/memoryGuard';
import { describeWeights, initStateDict, loadStateDict, readWeightsFile, StateDictError, type StateDict } from '../../core/weights';
import type { RunTap } from '../../protocol';
import { fusionAnalysis } from './engineFusion';

export type WeightsChoice =
  | { readonly kind: 'seeded'; readonly seed: number }
  | { readonly kind: 'safetensors'; readonly bytes: Uint8Array; readonly source: string }
  /** A weights file read by content (.safetensors or a torch.save checkpoint); `entry` picks a checkpoint's state dict. */
  | { readonly kind: 'file'; readonly bytes: Uint8Array; readonly source: string; readonly entry?: string };

export interface PreparedRun {
  readonly onnx: Uint8Array;
  /** ONNX input names in graph input order. */
  readonly inputNames: readonly string[];
  readonly outputs: readonly string[];
  readonly taps: readonly RunTap[];
  /** Weights, inputs and every activation, in bytes (an upper bound; see core/run/memoryGuard). */
  readonly estimatedBytes: number;
  readonly warnings: readonly string[];
  /** What the model runs with, for the run panel (`seeded (seed 0)`, `model.pth (torch zip checkpoint, …)`). */
  readonly weights: string;
  readonly stateDict: StateDict;
}

/** At most this many per-layer taps, so huge graphs do not ship every activation back. */
const MAX_LAYER_TAPS = 300;

/**
 * Seeded init, or a weights file matched by name. Keys the file lacks keep their seeded value and are
 * named in a warning (as `load_state_dict(strict=False)`); a wrong shape or dtype still refuses the run.
 */
function weightsFor(graph: ModelGraph, choice: WeightsChoice): { tensors: StateDict; warnings: string[]; label: string } {
  if (choice.kind === 'seeded') return { tensors: initStateDict(graph.stateDict, choice.seed), warnings: [], label: `seeded (seed ${choice.seed})` };
  const file = readWeightsFile(choice.bytes, choice.source, choice.kind === 'file' && choice.entry !== undefined ? { entry: choice.entry } : {});
  const warnings = file.format === 'safetensors' ? [] : [...file.warnings];
  let loaded;
  let seededNote = '';
  try {
    loaded = loadStateDict(graph.stateDict, file, choice.source);
  } catch (e) {
    if (!(e instanceof StateDictError) || e.mismatched.length || e.badDtype.length) throw e;
    // Only missing / unexpected keys: the missing ones keep the seeded default init, the unexpected ones are left out.
    const seeded = initStateDict(graph.stateDict, 0);
    const present = new Map([...file.tensors].filter(([k]) => !e.unexpected.includes(k)));
    const filled = new Map(present);
    for (const name of e.missing) {
      const entry = graph.stateDict.find((x) => x.name === name)!;
      const t = seeded.get(name)!;
      filled.set(name, { name, code: entry.dtype === 'int64' ? 'I64' : 'F32', dtype: entry.dtype, shape: entry.shape, data: t, zeroCopy: false });
    }
    loaded = loadStateDict(graph.stateDict, { tensors: filled, metadata: null }, choice.source);
    if (e.missing.length) warnings.push(`missing from ${choice.source}, seeded default init (seed 0): ${e.missing.join(', ')}`);
    if (e.unexpected.length) warnings.push(`not in the model, left out: ${e.unexpected.join(', ')}`);
    seededNote = `; ${e.missing.length} missing seeded${e.unexpected.length ? `, ${e.unexpected.length} unexpected left out` : ''}`;
  }
  warnings.push(
    ...(loaded.defaulted.length ? [`defaulted from ${choice.source}: ${loaded.defaulted.join(', ')}`] : []),
    ...(loaded.converted.length ? [`converted to float32: ${loaded.converted.join(', ')}`] : []),
  );
  return { tensors: loaded.tensors, warnings, label: describeWeights(file, choice.source).replace(/\)$/, `${seededNote})`) };
}

/** Throws MemoryLimitError (before allocating any weight) when the run would exceed `limitBytes`. */
export function prepareRun(graph: ModelGraph, choice: WeightsChoice, limitBytes: number): PreparedRun {
  const estimate = checkRunMemory(graph, limitBytes);
  const { tensors, warnings, label } = weightsFor(graph, choice);
  const outputsSet = new Set(graph.outputs);
  const inputsSet = new Set(graph.inputs.map((i) => i.value));
  const wanted: { value: string; tap: Omit<RunTap, 'output'> }[] = [];
  const { points } = fusionAnalysis(graph);
  points.forEach((p, fi) => {
    for (const inp of p.inputs) {
      const v = graph.values.get(inp.levelValue);
      const label = `${inp.var ?? inp.operandVar ?? inp.levelValue} (depth ${inp.level.depth}${inp.level.channels !== null ? `, ${inp.level.channels}ch` : ''})`;
      if (v?.source === 'node')
        wanted.push({ value: inp.levelValue, tap: { node: v.producer ?? '', label, role: 'fusion-input', fusion: fi, level: `depth ${inp.level.depth}` } });
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
  const summarised = (role?: RunTap['role']): string[] => [
    ...new Set(
      wanted
        .filter((w) => role === undefined || w.tap.role !== role)
        .map((w) => w.value)
        .filter((v) => !outputsSet.has(v) && !inputsSet.has(v)),
    ),
  ];
  const exported = encodeOnnx(graph, { weights: tensors, statsOutputs: summarised(), mapOutputs: summarised('layer') });
  const taps: RunTap[] = [];
  for (const w of wanted) {
    const stats = exported.statsOutputs.get(w.value);
    const map = exported.mapOutputs.get(w.value)?.name;
    if (stats) taps.push({ output: stats.name, ...w.tap, summary: { dims: [...stats.dims], ...(map !== undefined && w.tap.role !== 'layer' ? { map } : {}) } });
    else if (outputsSet.has(w.value)) taps.push({ output: exported.outputNames[graph.outputs.indexOf(w.value)]!, ...w.tap });
  }
  return {
    onnx: exported.bytes,
    inputNames: exported.inputNames,
    outputs: exported.outputNames,
    taps,
    estimatedBytes: estimate.totalBytes,
    warnings,
    weights: label,
    stateDict: tensors,
  };
}

/** The model alone, for Export Model to ONNX…. */
export function exportOnnx(graph: ModelGraph, choice: WeightsChoice): Uint8Array {
  return encodeOnnx(graph, { weights: weightsFor(graph, choice).tensors }).bytes;
}
