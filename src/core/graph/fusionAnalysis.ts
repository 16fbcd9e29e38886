// Fusion analysis entry point: levels of every tensor, then every merge of different levels or branches, with costs.
import { formatShapeSymbolic } from '../shape/shape';
import type { ModelGraph } from './modelGraph';
import { branchCosts } from './fusionCost';
import { FusionGraphIndex } from './fusionGraphIndex';
import { isLayerClass } from './fusionOps';
import { matchMerge, type Anchors, type RawMerge } from './fusionPatterns';
import { walkToLevel } from './fusionResampling';
import { summarizeFusion } from './fusionSummary';
import type { FusionAnalysis, FusionInput, FusionPoint, Level } from './fusionTypes';
import { computeLevels } from './levels';

const NO_LEVEL: Level = { depth: 0, stride: null, channels: null };

/** For every data value, a key naming the layer output, merge or input it is computed from without crossing a layer. */
function computeAnchors(index: FusionGraphIndex): Anchors {
  const anchors = new Map<string, string>();
  for (const inp of index.graph.inputs) anchors.set(inp.value, inp.value);
  for (const n of index.graph.nodes) {
    const data = index.dataInputs(n);
    if (data.length === 0) continue;
    const keys = new Set(data.map((v) => anchors.get(v) ?? v));
    for (const o of n.outputs) {
      // Calls of one shared module (CBAM's MLP on the avg- and max-pooled descriptors) are one computation, not two levels.
      if (isLayerClass(index.opClass(n))) anchors.set(o, n.modulePath !== null ? `module:${n.modulePath}` : o);
      // A merge of different anchors starts a new one; anything else keeps its input's.
      else anchors.set(o, keys.size > 1 ? o : ([...keys][0] as string));
    }
  }
  return anchors;
}

function arithmetic(index: FusionGraphIndex, raw: RawMerge, outLevel: Level): string | null {
  const out = index.value(raw.root.outputs[0] ?? '')?.shape ?? null;
  if (raw.method === 'concat' && raw.dim !== null && raw.dim !== undefined && out) {
    const d = raw.dim;
    if (index.opClass(raw.root) === 'stack') {
      const first = index.value(raw.operands[0]?.value ?? '')?.shape;
      return first ? `${raw.operands.length} × ${formatShapeSymbolic(first)} stacked on dim ${d} → ${formatShapeSymbolic(out)}` : null;
    }
    const sizes = raw.operands.map((o) => index.value(o.value)?.shape?.[d]?.value ?? null);
    const total = out[d]?.value ?? null;
    if (sizes.some((s) => s === null) || total === null) return null;
    // Channels: dim 1 of NCHW maps, the last dim of sequences, vectors and channels-last maps.
    const lastIsChannels = d === out.length - 1 && (out.length <= 3 || total === outLevel.channels);
    const label = d === 1 || lastIsChannels ? 'C' : `size on dim ${d}`;
    return `${label} = ${sizes.join(' + ')} = ${total}`;
  }
  return outLevel.channels !== null ? `C = ${outLevel.channels}` : null;
}

function buildPoint(index: FusionGraphIndex, levels: ReadonlyMap<string, Level>, raw: RawMerge): FusionPoint {
  // A leaf module call's scope is its own path; its variables live in the forward that called it.
  const root = raw.root;
  const scope = root.modulePath !== null && root.scope === root.modulePath ? (root.callPath[root.callPath.length - 2] ?? '') : root.scope;
  const costs = branchCosts(
    index,
    raw.nodes,
    raw.operands.map((o) => o.value),
  );
  const inputs: FusionInput[] = raw.operands.map((o, i): FusionInput => {
    const walk = o.asIs ? { levelValue: o.value, steps: [] } : walkToLevel(index, o.value);
    const levelVar = index.varName(walk.levelValue, scope);
    const operandVar = index.varName(o.value, scope);
    const cost = costs.perOperand[i] ?? { nodes: [], params: 0, flops: 0 };
    return {
      value: o.value,
      levelValue: walk.levelValue,
      var: levelVar,
      operandVar: operandVar !== levelVar ? operandVar : null,
      label: levelVar ?? operandVar ?? index.callLabel(walk.levelValue, scope) ?? index.callLabel(o.value, scope) ?? `input ${i + 1}`,
      role: o.role,
      shape: index.value(walk.levelValue)?.shape ?? null,
      level: levels.get(walk.levelValue) ?? NO_LEVEL,
      resampling: walk.steps,
      atFusion: { shape: index.value(o.value)?.shape ?? null, stride: levels.get(o.value)?.stride ?? null },
      branch: cost,
    };
  });
  // A loop variable names every level the same (`for proj, feat in zip(...)`): fall back to element names (`feats[0]`).
  const labels = inputs.map((i) => i.label);
  const named = inputs.map((inp) => {
    if (labels.filter((l) => l === inp.label).length < 2) return inp;
    const alt = index.varName(inp.levelValue, scope, true);
    return alt ? { ...inp, var: alt, label: alt } : inp;
  });
  inputs.splice(0, inputs.length, ...named);
  const outValue = raw.root.outputs[0] ?? '';
  let outLevel = levels.get(outValue) ?? NO_LEVEL;
  // A sum over stacked levels loses the spatial trail in the stack; the result sits where its inputs met.
  const first = inputs[0];
  const outShape = index.value(outValue)?.shape ?? null;
  if (!outLevel.stride && first?.atFusion.stride && first.atFusion.shape && outShape && first.atFusion.shape.length === outShape.length) {
    outLevel = { ...outLevel, stride: first.atFusion.stride, channels: outShape[1]?.value ?? outLevel.channels };
  }
  const params = inputs.reduce((s, x) => s + x.branch.params, costs.internal.params);
  const flops = inputs.reduce((s, x) => s + x.branch.flops, costs.internal.flops);
  return {
    method: raw.method,
    node: raw.root.id,
    nodes: raw.nodes,
    op: raw.root.op,
    line: raw.root.range?.startLine ?? null,
    file: raw.root.range?.file ?? null,
    scope,
    inputs,
    out: { value: outValue, shape: index.value(outValue)?.shape ?? null, level: outLevel, var: index.varName(outValue, scope) },
    dim: raw.dim ?? null,
    arithmetic: arithmetic(index, raw, outLevel),
    ...(raw.gate ? { gate: raw.gate } : {}),
    ...(raw.weights ? { weights: raw.weights } : {}),
    ...(raw.gate || raw.weights ? { weightNodes: [...costs.internal.nodes, ...inputs.filter((i) => i.role === 'gate').flatMap((i) => i.branch.nodes)] } : {}),
    params,
    flops,
  };
}

/** Marks merges that exist only to compute another merge's gate or weights (AttentionFusionNet's concat before its scorer). */
function linkWeightFeeders(points: FusionPoint[]): FusionPoint[] {
  return points.map((p) => {
    const user = points.find((q) => q !== p && q.weightNodes?.includes(p.node));
    return user ? { ...p, feeds: { node: user.node, method: user.method, line: user.line } } : p;
  });
}

/** Finds, classifies and measures every fusion point of a model graph. */
export function analyzeFusion(graph: ModelGraph): FusionAnalysis {
  const index = new FusionGraphIndex(graph);
  const levels = computeLevels(index);
  const anchors = computeAnchors(index);
  const claimed = new Set<string>();
  const raws: RawMerge[] = [];
  // Latest first, so the outermost node of a merge (the last add of `a + b + c`) claims the inner ones.
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!node || claimed.has(node.id)) continue;
    const m = matchMerge(index, node, anchors, claimed);
    if (!m) continue;
    raws.push(m);
    for (const id of m.nodes) claimed.add(id);
  }
  raws.reverse();
  const points = linkWeightFeeders(raws.map((r) => buildPoint(index, levels, r)));
  return { points, summary: summarizeFusion(graph, points), levels };
}
