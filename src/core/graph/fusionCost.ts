// Params and FLOPs of the branches that exist only to feed one merge (used by nothing else in the model).
import type { FusionGraphIndex } from './fusionGraphIndex';

export interface BranchCost {
  readonly nodes: readonly string[];
  readonly params: number;
  readonly flops: number;
}

/**
 * Per operand, the nodes whose every use leads into the merge through that operand alone; plus, under
 * `internal`, the nodes that feed only the merge's own inner nodes (e.g. the softmax over level weights).
 */
export function branchCosts(index: FusionGraphIndex, mergeNodes: readonly string[], operands: readonly string[]): { perOperand: BranchCost[]; internal: BranchCost } {
  const merge = new Set(mergeNodes);
  const nodes = index.graph.nodes;
  let last = -1;
  for (const id of mergeNodes) last = Math.max(last, index.nodeOrder.get(id) ?? -1);
  const tags = new Map<string, { set: Set<number>; other: boolean }>();
  for (let i = last; i >= 0; i--) {
    const n = nodes[i];
    if (!n || merge.has(n.id)) continue;
    let reaches = false;
    let other = false;
    const set = new Set<number>();
    for (const o of n.outputs) {
      if (index.isOutput(o)) other = true;
      for (const c of index.consumers(o)) {
        if (merge.has(c.id)) {
          reaches = true;
          set.add(operands.indexOf(o));
        } else {
          const t = tags.get(c.id);
          if (!t) {
            other = true;
            continue;
          }
          reaches = true;
          for (const k of t.set) set.add(k);
          if (t.other) other = true;
        }
      }
    }
    if (reaches) tags.set(n.id, { set, other });
  }
  const collect = (k: number): BranchCost => {
    const ids: string[] = [];
    let params = 0;
    let flops = 0;
    for (const n of nodes) {
      const t = tags.get(n.id);
      if (!t || t.other || t.set.size !== 1 || !t.set.has(k)) continue;
      ids.push(n.id);
      params += n.params;
      flops += n.flops;
    }
    return { nodes: ids, params, flops };
  };
  return { perOperand: operands.map((_, k) => collect(k)), internal: collect(-1) };
}
