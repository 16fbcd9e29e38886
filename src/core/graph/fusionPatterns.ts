// Recognises merge patterns at one node: concat/stack, add trees (sum, residual, weighted), sums over stacks, gates, attention.
import type { GraphNode } from './modelGraph';
import type { FusionGraphIndex } from './fusionGraphIndex';
import type { OpClass } from './fusionOps';
import { walkToLevel } from './fusionResampling';
import type { FusionMethod, FusionPoint } from './fusionTypes';

export interface Operand {
  readonly value: string;
  readonly role: string | null;
  /** The operand is its own level (an identity shortcut): no walk back through resampling. */
  readonly asIs?: boolean;
}

/** A recognised merge before levels, resampling and costs are attached. */
export interface RawMerge {
  readonly method: FusionMethod;
  readonly root: GraphNode;
  /** Nodes that belong to the merge (claimed, so they are not reported again). */
  readonly nodes: readonly string[];
  readonly operands: readonly Operand[];
  readonly dim?: number | null;
  readonly gate?: FusionPoint['gate'];
  readonly weights?: FusionPoint['weights'];
}

/** The layer outputs (or inputs) a value is computed from without crossing another layer. */
export type Anchors = ReadonlyMap<string, string>;

/** Two or more distinct data tensors, not all trivially derived from the same layer output (x + x, mean(x) ⊕ max(x)). */
function isRealMerge(values: readonly string[], anchors: Anchors): boolean {
  const distinct = [...new Set(values)];
  if (distinct.length < 2) return false;
  return new Set(distinct.map((v) => anchors.get(v) ?? v)).size >= 2;
}

/** Follows single-data-input nodes of the given classes backwards; returns the first value not produced by one. */
function through(index: FusionGraphIndex, value: string, classes: ReadonlySet<OpClass>, visited?: string[]): string {
  let cur = value;
  for (;;) {
    const p = index.producer(cur);
    if (!p || p.outputs.length !== 1 || !classes.has(index.opClass(p))) return cur;
    const data = index.dataInputs(p);
    const next = data.length === 1 ? data[0] : data.length === 0 && p.inputs.length >= 1 ? p.inputs[0] : undefined;
    if (next === undefined) return cur;
    visited?.push(p.id);
    cur = next;
  }
}

const LAYOUT = new Set<OpClass>(['layout', 'dropout']);
/** Between a gate activation and its use: reshapes, dropout and `1 - g` (a data input with a constant). */
const GATE_PATH = new Set<OpClass>(['layout', 'dropout', 'sub', 'mul', 'div']);
const SCORE_PATH = new Set<OpClass>(['layout', 'dropout', 'mul', 'div', 'add', 'sub']);

/** The activation a gate or weight tensor comes from (`sigmoid`, `softmax`), or null. */
function gateActivation(index: FusionGraphIndex, value: string, nodes?: string[]): { kind: 'softmax' | 'sigmoid'; node: GraphNode } | null {
  const origin = through(index, value, GATE_PATH, nodes);
  const p = index.producer(origin);
  if (!p) return null;
  const c = index.opClass(p);
  if (c !== 'softmax' && c !== 'sigmoid') return null;
  nodes?.push(p.id);
  return { kind: c, node: p };
}

function weightSource(index: FusionGraphIndex, weight: string): NonNullable<RawMerge['weights']>['source'] {
  const act = gateActivation(index, weight);
  if (index.isData(weight)) return act ? (act.kind === 'softmax' ? 'softmax(data)' : 'sigmoid(data)') : 'data';
  return act?.kind === 'softmax' ? 'softmax(parameter)' : 'parameter';
}

function normDim(index: FusionGraphIndex, node: GraphNode, rank: number): number | null {
  const d = index.attr(node, 'dim', 'axis');
  if (typeof d === 'number') return d < 0 ? d + rank : d;
  if (d && typeof d === 'object' && !Array.isArray(d) && 'value' in d && typeof d.value === 'number') return d.value < 0 ? d.value + rank : d.value;
  return d === undefined ? 0 : null;
}

function concatMerge(index: FusionGraphIndex, node: GraphNode, anchors: Anchors): RawMerge | null {
  const data = index.dataInputs(node);
  if (!isRealMerge(data, anchors)) return null;
  // Both cat and stack count a negative dim against the output's rank.
  const rank = index.value(node.outputs[0] ?? '')?.shape?.length ?? 0;
  return { method: 'concat', root: node, nodes: [node.id], operands: data.map((value) => ({ value, role: null })), dim: normDim(index, node, rank) };
}

/** A weighted term `w * x`: the data operand and its weight (a parameter-derived tensor or a gate). */
function weightedTerm(index: FusionGraphIndex, value: string): { feature: string; weight: string; node: string } | null {
  const p = index.producer(value);
  if (!p || index.opClass(p) !== 'mul' || p.inputs.length !== 2) return null;
  const [a, b] = p.inputs as [string, string];
  const da = index.isData(a);
  const db = index.isData(b);
  if (da && !db) return { feature: a, weight: b, node: p.id };
  if (db && !da) return { feature: b, weight: a, node: p.id };
  if (da && db && a !== b) {
    if (gateActivation(index, b) && !gateActivation(index, a)) return { feature: a, weight: b, node: p.id };
    if (gateActivation(index, a) && !gateActivation(index, b)) return { feature: b, weight: a, node: p.id };
  }
  return null;
}

/** The leaves of a tree of anonymous adds (`a + b + c`), and the add nodes inside it. */
function addLeaves(index: FusionGraphIndex, root: GraphNode, claimed: ReadonlySet<string>): { leaves: string[]; nodes: string[] } {
  const leaves: string[] = [];
  const nodes = [root.id];
  const visit = (v: string): void => {
    const p = index.producer(v);
    // Only adds of the same expression (`a + b + c`): same forward, same statement line, result never named.
    const sameStatement = p !== undefined && p.scope === root.scope && p.range?.startLine === root.range?.startLine && p.range?.file === root.range?.file;
    const inner =
      p && sameStatement && index.opClass(p) === 'add' && !claimed.has(p.id) && !index.isBound(v) && !index.isOutput(v) && index.consumers(v).length === 1;
    if (inner && p) {
      nodes.push(p.id);
      for (const x of p.inputs) visit(x);
    } else {
      leaves.push(v);
    }
  };
  for (const x of root.inputs) visit(x);
  return { leaves, nodes };
}

function addMerge(index: FusionGraphIndex, node: GraphNode, anchors: Anchors, claimed: ReadonlySet<string>): RawMerge | null {
  const { leaves, nodes } = addLeaves(index, node, claimed);
  const data = leaves.filter((v) => index.isData(v));
  const terms = data.map((v) => weightedTerm(index, v));
  const weightedCount = terms.filter((t) => t !== null).length;
  if (weightedCount >= 2) {
    const features = data.map((v, i) => terms[i]?.feature ?? v);
    if (!isRealMerge(features, anchors)) return null;
    const first = terms.find((t) => t !== null);
    return {
      method: 'weighted',
      root: node,
      nodes: [...nodes, ...terms.flatMap((t) => (t ? [t.node] : []))],
      operands: features.map((value, i) => ({ value, role: terms[i] ? 'weighted' : null })),
      weights: { source: first ? weightSource(index, first.weight) : 'parameter', count: weightedCount },
    };
  }
  if (!isRealMerge(data, anchors)) return null;
  const distinct = [...new Set(data)];
  if (distinct.length === 2) {
    const residual = residualRoles(index, distinct[0] as string, distinct[1] as string);
    if (residual) return { method: 'residual', root: node, nodes, operands: residual };
  }
  return { method: 'sum', root: node, nodes, operands: distinct.map((value) => ({ value, role: null })) };
}

/** `f(x) + x`, or `f(x) + proj(x)` with a projection shortcut (1×1/strided conv, pool; no upsampling on either side). */
function residualRoles(index: FusionGraphIndex, a: string, b: string): Operand[] | null {
  const roles = (shortcut: string, branch: string, identity = false): Operand[] =>
    // The branch is reported as it arrives (its own projection is part of the block, not a resampling).
    [a, b].map((value) => ({
      value,
      role: value === shortcut ? 'shortcut' : value === branch ? 'branch' : null,
      ...((identity && value === shortcut) || value === branch ? { asIs: true } : {}),
    }));
  // A branch that was upsampled to meet went down and up: a decoder's `skip + up(deeper)` is a multi-level sum.
  const upsamples = (v: string): boolean => walkToLevel(index, v).steps.some((s) => s.kind === 'interpolate' || s.kind === 'transposed-conv');
  // An identity shortcut is the block's input itself: nothing was resampled on its way.
  if (index.isAncestor(a, b)) return upsamples(b) ? null : roles(a, b, true);
  if (index.isAncestor(b, a)) return upsamples(a) ? null : roles(b, a, true);
  for (const [s, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const walk = walkToLevel(index, s);
    // A shortcut is a projection (1×1 or strided conv, maybe after a pool); a pooled copy alone is another level.
    const projected = walk.steps.some((st) => st.kind === 'projection' || st.kind === 'strided-conv');
    if (!projected || !walk.steps.every((st) => st.kind === 'projection' || st.kind === 'strided-conv' || st.kind === 'pool')) continue;
    if (index.isAncestor(walk.levelValue, other) && !upsamples(other)) return roles(s, other);
  }
  return null;
}

/** `torch.stack(levels).sum(0)` or `(weights * torch.stack(levels)).sum(dim)`. */
function stackSumMerge(index: FusionGraphIndex, node: GraphNode, anchors: Anchors): RawMerge | null {
  const data = index.dataInputs(node);
  if (data.length !== 1) return null;
  const inner = index.producer(data[0] as string);
  if (!inner) return null;
  const stackOf = (v: string): { node: GraphNode; levels: string[]; nodes: string[] } | null => {
    const p = index.producer(through(index, v, LAYOUT));
    if (!p) return null;
    if (index.opClass(p) === 'stack') return { node: p, levels: index.dataInputs(p), nodes: [p.id] };
    // An exported stack: Concat of Unsqueezes.
    if (index.opClass(p) !== 'concat') return null;
    const parts = index.dataInputs(p).map((x) => index.producer(x));
    if (parts.length < 2 || !parts.every((q) => q && q.role.detail === 'unsqueeze' && index.dataInputs(q).length === 1)) return null;
    const us = parts as GraphNode[];
    return { node: p, levels: us.map((q) => index.dataInputs(q)[0] as string), nodes: [p.id, ...us.map((q) => q.id)] };
  };
  const direct = stackOf(data[0] as string);
  if (direct) {
    if (!isRealMerge(direct.levels, anchors)) return null;
    return { method: 'sum', root: node, nodes: [node.id, ...direct.nodes], operands: direct.levels.map((value) => ({ value, role: null })) };
  }
  if (index.opClass(inner) !== 'mul' || inner.inputs.length !== 2) return null;
  for (const [s, w] of [
    [inner.inputs[0], inner.inputs[1]],
    [inner.inputs[1], inner.inputs[0]],
  ] as [string, string][]) {
    const st = stackOf(s);
    if (!st) continue;
    if (!isRealMerge(st.levels, anchors)) return null;
    return {
      method: 'weighted',
      root: node,
      nodes: [node.id, inner.id, ...st.nodes],
      operands: st.levels.map((value) => ({ value, role: 'weighted' })),
      weights: { source: weightSource(index, w), count: st.levels.length },
    };
  }
  return null;
}

/** `x * g` where g comes from a sigmoid/softmax computed by layers of its own. */
function gateMerge(index: FusionGraphIndex, node: GraphNode, anchors: Anchors): RawMerge | null {
  const data = index.dataInputs(node);
  if (data.length !== 2) return null;
  const [a, b] = data as [string, string];
  const ga = gateActivation(index, a);
  const gb = gateActivation(index, b);
  if (!ga && !gb) return null;
  const size = (v: string): number => (index.value(v)?.shape ?? []).reduce((p, d) => p * (d.value ?? 1), 1);
  const gateIsB = gb !== null && (ga === null || size(b) <= size(a));
  const gate = gateIsB ? b : a;
  const feature = gateIsB ? a : b;
  const act = (gateIsB ? gb : ga) as NonNullable<typeof ga>;
  if (!isRealMerge([feature, gate], anchors)) return null;
  return {
    method: 'gated',
    root: node,
    nodes: [node.id],
    operands: [
      { value: feature, role: 'features' },
      { value: gate, role: 'gate' },
    ],
    gate: { kind: gateKind(index, feature, gate), activation: opName(act.node.op) },
  };
}

function opName(op: string): string {
  return op
    .slice(op.lastIndexOf('.') + 1)
    .replace(/_$/, '')
    .toLowerCase();
}

function gateKind(index: FusionGraphIndex, feature: string, gate: string): NonNullable<RawMerge['gate']>['kind'] {
  const f = index.value(feature)?.shape;
  const g = index.value(gate)?.shape;
  if (!f || !g || f.length !== g.length || f.length < 3) return 'element';
  const one = (i: number): boolean => g[i]?.value === 1 && f[i]?.value !== 1;
  if (f.length >= 4) {
    const spatialOnes = f.slice(2).every((_, k) => one(k + 2));
    if (spatialOnes && !one(1)) return 'channel';
    if (one(1) && !spatialOnes) return 'spatial';
    return 'element';
  }
  if (one(1) && !one(2)) return 'channel';
  if (one(2) && !one(1)) return 'token';
  return 'element';
}

/** Where a tensor comes from, ignoring reshapes, norms, activations and projections (for self- vs cross-attention). */
function trunk(index: FusionGraphIndex, value: string): string {
  let cur = value;
  for (;;) {
    const p = index.producer(cur);
    if (!p) return cur;
    const data = index.dataInputs(p);
    if (data.length !== 1) return cur;
    const c = index.opClass(p);
    const projection = c === 'linear' || (c === 'conv' && walkToLevel(index, cur).steps.some((s) => s.kind === 'projection'));
    if (c === 'mha' || c === 'sdpa' || c === 'embedding' || c === 'weighted' || c === 'convT' || (c === 'conv' && !projection)) return cur;
    cur = data[0] as string;
  }
}

function attentionMethod(index: FusionGraphIndex, query: string, key: string): FusionMethod {
  return trunk(index, query) === trunk(index, key) ? 'attention' : 'cross-attention';
}

/** Attention inputs are token sequences as given (reshapes into tokens are not resampling). */
function attentionOperands(query: string, key: string, value: string): Operand[] {
  if (key === value)
    return [
      { value: query, role: 'query', asIs: true },
      { value: key, role: 'key/value', asIs: true },
    ];
  return [
    { value: query, role: 'query', asIs: true },
    { value: key, role: 'key', asIs: true },
    { value, role: 'value', asIs: true },
  ];
}

/** `nn.MultiheadAttention(q, k, v)` and `F.scaled_dot_product_attention(q, k, v)`. */
function attentionModuleMerge(index: FusionGraphIndex, node: GraphNode): RawMerge | null {
  const q = index.tensorArg(node, 'query', 'q') ?? node.inputs[0];
  const k = index.tensorArg(node, 'key', 'k') ?? node.inputs[1] ?? q;
  const v = index.tensorArg(node, 'value', 'v') ?? node.inputs[2] ?? k;
  // Learned queries or memories (parameters) attend, but they do not bring a second branch to fuse.
  if (!q || !k || !v || !index.isData(q) || !index.isData(k) || !index.isData(v)) return null;
  return { method: attentionMethod(index, q, k), root: node, nodes: [node.id], operands: attentionOperands(q, k, v) };
}

/** `softmax(q @ kᵀ [* scale]) @ v`. */
function matmulAttentionMerge(index: FusionGraphIndex, node: GraphNode): RawMerge | null {
  const data = index.dataInputs(node);
  if (data.length !== 2) return null;
  for (const [p, v] of [
    [data[0], data[1]],
    [data[1], data[0]],
  ] as [string, string][]) {
    const path: string[] = [];
    const act = gateActivation(index, p, path);
    if (!act || act.kind !== 'softmax') continue;
    const scores = index.dataInputs(act.node)[0];
    if (!scores) continue;
    const origin = through(index, scores, SCORE_PATH, path);
    const m1 = index.producer(origin);
    if (!m1 || index.opClass(m1) !== 'matmul') continue;
    const qk = index.dataInputs(m1);
    if (qk.length !== 2) continue;
    const q = qk[0] as string;
    const k = through(index, qk[1] as string, LAYOUT);
    return { method: attentionMethod(index, q, k), root: node, nodes: [node.id, m1.id, ...path], operands: attentionOperands(q, k, v) };
  }
  return null;
}

/** The merge rooted at `node`, if any. `claimed` holds nodes already part of a later merge. */
export function matchMerge(index: FusionGraphIndex, node: GraphNode, anchors: Anchors, claimed: ReadonlySet<string>): RawMerge | null {
  switch (index.opClass(node)) {
    case 'concat':
    case 'stack':
      return concatMerge(index, node, anchors);
    case 'add':
      return addMerge(index, node, anchors, claimed);
    case 'sum':
      return stackSumMerge(index, node, anchors);
    case 'mul':
      return gateMerge(index, node, anchors);
    case 'mha':
    case 'sdpa':
      return attentionModuleMerge(index, node);
    case 'matmul':
      return matmulAttentionMerge(index, node);
    default:
      return null;
  }
}
