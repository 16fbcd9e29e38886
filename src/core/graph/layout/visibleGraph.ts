// The part of a graph payload that is on screen: nodes of expanded module scopes, collapsed scopes as single boxes, edges merged between them.
import type { GraphPayload } from '../graphPayloadTypes';
import { scopeChain } from '../graphPayload';
import type { LayoutGraph } from './layoutTypes';
import { repeatedBlocks, type RepeatIndex, type RepeatRun } from './repeatedBlocks';

export interface VisibleItem {
  /** Payload node id, or `scope:<path>` for a collapsed group. */
  readonly id: string;
  readonly kind: 'node' | 'group';
  /** Index into payload.nodes (kind 'node'). */
  readonly node: number;
  /** Scope path (kind 'group'). */
  readonly scope: string;
  readonly label: string;
  readonly sublabel: string;
  readonly width: number;
  readonly height: number;
  /** Fusion index for nodes; for groups, whether any node inside is a fusion point (first index or null). */
  readonly fusion: number | null;
  /** For a folded run of repeated blocks (`scope` is then the run's key): the number of blocks. */
  readonly repeat?: number;
}

export interface VisibleEdge {
  readonly source: number;
  readonly target: number;
  /** Payload edge indices drawn by this edge (several when a collapsed group merges them). */
  readonly edges: readonly number[];
}

export interface VisibleGraph {
  readonly items: readonly VisibleItem[];
  readonly edges: readonly VisibleEdge[];
  /** Item index per payload node (the node itself or its collapsed group); -1 for a folded constant. */
  readonly itemOfNode: Int32Array;
  /** Runs of repeated blocks in the payload (folded ones are drawn as one group box each). */
  readonly repeats: RepeatIndex;
}

export const NODE_HEIGHT = 44;

/** Box width for two lines of text: ~7 px per character of the label, ~6 px of the smaller second line. */
export function boxWidth(label: string, sublabel: string): number {
  return Math.round(Math.min(280, Math.max(72, label.length * 7.2 + 20, sublabel.length * 6.2 + 20)));
}

export function visibleGraph(payload: GraphPayload, expanded: ReadonlySet<string>): VisibleGraph {
  const items: VisibleItem[] = [];
  const groupItem = new Map<string, number>();
  const scopeInfo = new Map(payload.scopes.map((s) => [s.path, s]));
  const itemOfNode = new Int32Array(payload.nodes.length);
  const nodeIndex = new Map<string, number>();
  const fed = new Set(payload.edges.map((e) => e.target));
  const repeats = repeatedBlocks(payload);
  payload.nodes.forEach((n, i) => {
    nodeIndex.set(n.id, i);
    // ONNX files carry literals as Constant nodes; as boxes they crowd out the real ops, so they fold into their users
    if (n.kind === 'op' && n.label === 'Constant' && !fed.has(n.id)) {
      itemOfNode[i] = -1;
      return;
    }
    // the outermost collapsed thing on the node's scope chain: a folded run of repeated blocks, or a collapsed scope
    // (a scope holding a single op is never drawn as a box: it would hide the op and save nothing)
    let collapsed: string | undefined;
    let run: RepeatRun | undefined;
    for (const sc of scopeChain(n.scope)) {
      const r = repeats.byScope.get(sc);
      if (r && !expanded.has(r.key)) {
        run = r;
        collapsed = r.key;
        break;
      }
      if (!expanded.has(sc) && (scopeInfo.get(sc)?.nodeCount ?? 2) > 1) {
        collapsed = sc;
        break;
      }
    }
    if (collapsed === undefined) {
      const sub = n.outputs[0]?.concrete ?? '';
      itemOfNode[i] = items.length;
      items.push({
        id: n.id,
        kind: 'node',
        node: i,
        scope: n.scope,
        label: n.label,
        sublabel: sub,
        width: boxWidth(n.label, sub),
        height: NODE_HEIGHT,
        fusion: n.fusion,
      });
      return;
    }
    let g = groupItem.get(collapsed);
    if (g === undefined) {
      g = items.length;
      groupItem.set(collapsed, g);
      if (run) {
        const sub = run.shapeIn || run.shapeOut ? `${run.shapeIn || '?'} → ${run.shapeOut || '?'}` : `${run.nodeCount} ops`;
        items.push({
          id: `scope:${run.key}`,
          kind: 'group',
          node: -1,
          scope: run.key,
          label: run.label,
          sublabel: sub,
          width: boxWidth(`${run.label}  `, sub),
          height: NODE_HEIGHT,
          fusion: null,
          repeat: run.scopes.length,
        });
      } else {
        const info = scopeInfo.get(collapsed);
        const label = info?.type ? `${collapsed} · ${info.type}` : collapsed;
        const sub = `${info?.nodeCount ?? 0} ops`;
        // two more characters for the expand marker the views draw before a group's label
        items.push({
          id: `scope:${collapsed}`,
          kind: 'group',
          node: -1,
          scope: collapsed,
          label,
          sublabel: sub,
          width: boxWidth(`${label}  `, sub),
          height: NODE_HEIGHT,
          fusion: null,
        });
      }
    }
    if (n.fusion !== null && items[g]!.fusion === null) items[g] = { ...items[g]!, fusion: n.fusion };
    itemOfNode[i] = g;
  });
  const edges: VisibleEdge[] = [];
  const pairIndex = new Map<string, number>();
  payload.edges.forEach((e, k) => {
    const s = nodeIndex.get(e.source);
    const t = nodeIndex.get(e.target);
    if (s === undefined || t === undefined) return;
    const a = itemOfNode[s]!;
    const b = itemOfNode[t]!;
    if (a === b || a < 0 || b < 0) return;
    const key = `${a}>${b}`;
    const existing = pairIndex.get(key);
    if (existing !== undefined) (edges[existing]!.edges as number[]).push(k);
    else {
      pairIndex.set(key, edges.length);
      edges.push({ source: a, target: b, edges: [k] });
    }
  });
  return { items, edges, itemOfNode, repeats };
}

export function toLayoutGraph(v: VisibleGraph): LayoutGraph {
  return {
    nodeCount: v.items.length,
    widths: Float64Array.from(v.items, (i) => i.width),
    heights: Float64Array.from(v.items, (i) => i.height),
    sources: Int32Array.from(v.edges, (e) => e.source),
    targets: Int32Array.from(v.edges, (e) => e.target),
  };
}

/**
 * Scopes to expand at first sight: breadth-first (outer scopes first) while the number of boxes on screen stays
 * within `budget`. A model smaller than the budget opens fully.
 */
export function defaultExpanded(payload: GraphPayload, budget: number): Set<string> {
  const children = new Map<string, string[]>();
  const direct = new Map<string, number>();
  // a run of repeated blocks stays folded: one box among its parent's children, never opened here
  const { byScope, runs } = repeatedBlocks(payload);
  for (const s of payload.scopes) {
    if (byScope.has(s.path)) continue;
    const list = children.get(s.parent) ?? [];
    list.push(s.path);
    children.set(s.parent, list);
  }
  const folded = new Set<string>();
  for (const r of runs) {
    folded.add(r.key);
    const list = children.get(r.parent) ?? [];
    list.push(r.key);
    children.set(r.parent, list);
  }
  for (const n of payload.nodes) direct.set(n.scope, (direct.get(n.scope) ?? 0) + 1);
  const expanded = new Set<string>();
  // boxes when only the root is open: its own nodes plus one box per top-level scope
  let visible = (direct.get('') ?? 0) + (children.get('')?.length ?? 0);
  const queue = [...(children.get('') ?? [])];
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!;
    if (folded.has(s)) continue;
    const inner = (direct.get(s) ?? 0) + (children.get(s)?.length ?? 0);
    if (visible - 1 + inner > budget) continue;
    visible += inner - 1;
    expanded.add(s);
    queue.push(...(children.get(s) ?? []));
  }
  return expanded;
}

/** The scopes (and folded runs) to open so that a node is visible (its collapsed ancestors). */
export function scopesToReveal(scope: string, expanded: ReadonlySet<string>, repeats?: RepeatIndex): string[] {
  const out: string[] = [];
  for (const s of scopeChain(scope)) {
    const run = repeats?.byScope.get(s);
    if (run && !expanded.has(run.key)) out.push(run.key);
    if (!expanded.has(s)) out.push(s);
  }
  return out;
}

/** The expanded set after opening a group box: its scope, or for a folded run the run and each of its blocks. */
export function expandGroup(item: VisibleItem, v: VisibleGraph, expanded: ReadonlySet<string>): Set<string> {
  const next = new Set(expanded);
  next.add(item.scope);
  const run = v.repeats.byKey.get(item.scope);
  if (run) for (const s of run.scopes) next.add(s);
  return next;
}

/** Every scope and every run key: what "expand all" opens and what a saved expanded set may hold. */
export function allGroupKeys(payload: GraphPayload): string[] {
  return [...payload.scopes.map((s) => s.path), ...repeatedBlocks(payload).runs.map((r) => r.key)];
}
