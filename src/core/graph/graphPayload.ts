// Converts a ModelGraph (plus its fusion points) into the serialisable GraphPayload the graph view draws.
import type { GraphPayload, PayloadEdge, PayloadFusion, PayloadNode, PayloadScope, PayloadShape } from './graphPayloadTypes';
import { formatShapeConcrete, formatShapeSymbolic, type Shape } from '../shape/shape';
import type { AttrValue, GraphValue, ModelGraph } from './modelGraph';

export function payloadShape(shape: Shape | null): PayloadShape {
  if (shape === null) return { symbolic: '?', concrete: '?' };
  return { symbolic: formatShapeSymbolic(shape), concrete: formatShapeConcrete(shape) };
}

/** `nn.Conv2d` → `Conv2d`, `torch.cat` → `cat`, `op.add` → `add`. */
export function shortOpName(op: string): string {
  const dot = op.lastIndexOf('.');
  return dot < 0 ? op : op.slice(dot + 1);
}

function attrText(v: AttrValue): string | null {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return String(v);
  if (Array.isArray(v)) {
    const parts = v.map(attrText);
    return parts.every((p) => p !== null) && parts.length <= 4 ? `(${parts.join(',')})` : null;
  }
  const rec = v as Record<string, AttrValue>;
  if ('symbolic' in rec && typeof rec.symbolic === 'string') return rec.symbolic;
  return null;
}

/** A one-line summary of a node's constructor attributes (`in_channels=3 out_channels=16 kernel_size=3`). */
export function attrSummary(attrs: Readonly<Record<string, AttrValue>>, maxItems = 6): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(attrs)) {
    const t = attrText(v);
    if (t === null || t.length > 24) continue;
    out.push(`${k}=${t}`);
    if (out.length >= maxItems) break;
  }
  return out.join(' ');
}

/** All ancestor scopes of a dotted path, outermost first: `a.b.c` → `a`, `a.b`, `a.b.c`. */
export function scopeChain(path: string): string[] {
  if (path === '') return [];
  const parts = path.split('.');
  const out: string[] = [];
  for (let i = 1; i <= parts.length; i++) out.push(parts.slice(0, i).join('.'));
  return out;
}

export function parentScope(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

export interface PayloadOptions {
  readonly key?: string;
  readonly stale?: boolean;
}

/** The graph view's payload: inputs and outputs become boundary nodes; parameters and constants are folded into their users. */
export function graphPayload(graph: ModelGraph, fusions: readonly PayloadFusion[] = [], opts: PayloadOptions = {}): GraphPayload {
  const fusionIndex = new Map<string, number>();
  fusions.forEach((f, i) => fusionIndex.set(f.node, i));
  const nodes: PayloadNode[] = [];
  const edges: PayloadEdge[] = [];
  const inputNode = new Map<string, string>();
  const shapeOf = (v: GraphValue | undefined): PayloadShape | null => (v ? payloadShape(v.shape) : null);

  for (const inp of graph.inputs) {
    const id = `input:${inp.name}`;
    inputNode.set(inp.value, id);
    nodes.push({
      id,
      kind: 'input',
      op: 'input',
      label: inp.name,
      modulePath: null,
      scope: '',
      outputs: [payloadShape(inp.shape)],
      params: 0,
      flops: 0,
      file: null,
      line: null,
      fusion: null,
      detail: inp.dtype,
    });
  }
  const sourceOf = (valueId: string): string | null => {
    const v = graph.values.get(valueId);
    if (!v) return null;
    if (v.source === 'node') return v.producer;
    if (v.source === 'input') return inputNode.get(valueId) ?? null;
    return null;
  };
  for (const n of graph.nodes) {
    nodes.push({
      id: n.id,
      kind: 'op',
      op: n.op,
      label: shortOpName(n.op),
      modulePath: n.modulePath,
      scope: groupScope(n),
      outputs: n.outputs.map((o) => payloadShape(graph.values.get(o)?.shape ?? null)),
      params: n.params,
      flops: n.flops,
      file: n.range?.file ?? null,
      line: n.range?.startLine ?? null,
      fusion: fusionIndex.get(n.id) ?? null,
      detail: attrSummary(n.attrs),
    });
    const seen = new Set<string>();
    for (const valueId of n.inputs) {
      const src = sourceOf(valueId);
      // A tensor used twice by one op (x * x) is drawn once.
      if (src === null || seen.has(valueId)) continue;
      seen.add(valueId);
      edges.push({ source: src, target: n.id, value: valueId, shape: shapeOf(graph.values.get(valueId)) });
    }
  }
  graph.outputs.forEach((valueId, i) => {
    const id = `output:${i}`;
    const key = graph.outputKeys?.[i];
    const v = graph.values.get(valueId);
    nodes.push({
      id,
      kind: 'output',
      op: 'output',
      label: key ?? (graph.outputs.length > 1 ? `output ${i}` : 'output'),
      modulePath: null,
      scope: '',
      outputs: [shapeOf(v) ?? payloadShape(null)],
      params: 0,
      flops: 0,
      file: null,
      line: null,
      fusion: null,
      detail: v?.dtype ?? '',
    });
    const src = sourceOf(valueId);
    if (src !== null) edges.push({ source: src, target: id, value: valueId, shape: shapeOf(v) });
  });

  return {
    key: opts.key ?? `${graph.file}#${graph.className}`,
    title: graph.expr || graph.className,
    file: graph.file,
    nodes,
    edges,
    scopes: buildScopes(graph),
    fusions: [...fusions],
    paramsTotal: graph.paramsTotal,
    flopsTotal: graph.flopsTotal,
    stale: opts.stale ?? false,
  };
}

/**
 * The group a node is drawn in: the module whose forward made the call. A leaf module call carries its own path as
 * scope; its group is the parent (so `conv2.0` and `conv2.1` group under the Sequential `conv2`).
 */
export function groupScope(n: { readonly scope: string; readonly modulePath: string | null }): string {
  return n.modulePath !== null && n.scope === n.modulePath ? parentScope(n.scope) : n.scope;
}

/** Every scope that holds an op node (and its ancestors), with module types and total node counts. */
function buildScopes(graph: ModelGraph): PayloadScope[] {
  const types = new Map<string, string>();
  for (const m of graph.modules) if (!types.has(m.path)) types.set(m.path, shortOpName(m.type));
  const counts = new Map<string, number>();
  for (const n of graph.nodes) for (const s of scopeChain(groupScope(n))) counts.set(s, (counts.get(s) ?? 0) + 1);
  const paths = [...counts.keys()].sort();
  return paths.map((path) => ({ path, type: types.get(path) ?? '', parent: parentScope(path), nodeCount: counts.get(path) ?? 0 }));
}
