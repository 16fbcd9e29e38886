// Finds the boxes matching a search query: op, label, module path, scope or output shape of a node; path or type of a collapsed group.
import type { GraphPayload } from '../../src/protocol';
import type { VisibleGraph } from '../../src/core/graph/layout/visibleGraph';

/** Item indices (visible boxes) that match, in drawing order; nodes inside collapsed groups match through their group. */
export function searchItems(payload: GraphPayload, visible: VisibleGraph, query: string): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits = new Set<number>();
  payload.nodes.forEach((n, i) => {
    const text = `${n.label} ${n.op} ${n.modulePath ?? ''} ${n.id} ${n.outputs.map((o) => `${o.symbolic} ${o.concrete}`).join(' ')}`.toLowerCase();
    const item = visible.itemOfNode[i]!;
    if (item >= 0 && text.includes(q)) hits.add(item);
  });
  visible.items.forEach((it, i) => {
    if (it.kind === 'group' && it.label.toLowerCase().includes(q)) hits.add(i);
  });
  return [...hits].sort((a, b) => a - b);
}
