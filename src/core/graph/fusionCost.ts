// Params and FLOPs of the branches that exist only to feed one merge (used by nothing else in the model).
import type { GraphNode } from './modelGraph';
import type { FusionGraphIndex } from './fusionGraphIndex';

export interface BranchCost {
  readonly nodes: readonly string[];
  readonly params: number;
  readonly flops: number;
}

/**
 * Nodes all of whose uses lead into the merge through `feeds` alone: found by walking back from the
 * seeds, latest node first, so every consumer of a node is decided before the node itself.
 */
function exclusiveBranch(index: FusionGraphIndex, merge: ReadonlySet<string>, seeds: readonly GraphNode[], feeds: (value: string) => boolean): BranchCost {
  const order = (n: GraphNode): number => index.nodeOrder.get(n.id) ?? -1;
  const accepted = new Set<string>();
  const queued = new Set<string>();
  const queue: GraphNode[] = [];
  const push = (n: GraphNode | undefined): void => {
    if (!n || merge.has(n.id) || queued.has(n.id)) return;
    queued.add(n.id);
    queue.push(n);
  };
  seeds.forEach(push);
  while (queue.length > 0) {
    // Few candidates at a time: a linear scan for the latest one is cheaper than keeping a heap.
    let best = 0;
    for (let i = 1; i < queue.length; i++) if (order(queue[i] as GraphNode) > order(queue[best] as GraphNode)) best = i;
    const n = queue.splice(best, 1)[0] as GraphNode;
    const ok = n.outputs.every((o) => !index.isOutput(o) && index.consumers(o).every((c) => (merge.has(c.id) ? feeds(o) : accepted.has(c.id))));
    if (!ok) continue;
    accepted.add(n.id);
    for (const v of n.inputs) push(index.producer(v));
  }
  let params = 0;
  let flops = 0;
  const nodes: string[] = [];
  for (const id of accepted) {
    const n = index.nodeById.get(id);
    if (!n) continue;
    nodes.push(id);
    params += n.params;
    flops += n.flops;
  }
  nodes.sort((a, b) => (index.nodeOrder.get(a) ?? 0) - (index.nodeOrder.get(b) ?? 0));
  return { nodes, params, flops };
}

/**
 * Per operand, the nodes that exist only to produce it; plus, under `internal`, the nodes that feed only
 * the merge's own inner nodes (e.g. the softmax over level weights, the scorer of attention weights).
 */
export function branchCosts(
  index: FusionGraphIndex,
  mergeNodes: readonly string[],
  operands: readonly string[],
): { perOperand: BranchCost[]; internal: BranchCost } {
  const merge = new Set(mergeNodes);
  const operandSet = new Set(operands);
  const perOperand = operands.map((value) =>
    exclusiveBranch(
      index,
      merge,
      [index.producer(value)].filter((n): n is GraphNode => n !== undefined),
      (o) => o === value,
    ),
  );
  const innerSeeds: GraphNode[] = [];
  for (const id of mergeNodes) {
    for (const v of index.nodeById.get(id)?.inputs ?? []) {
      const p = index.producer(v);
      if (!operandSet.has(v) && p && !merge.has(p.id)) innerSeeds.push(p);
    }
  }
  const internal = exclusiveBranch(index, merge, innerSeeds, (o) => !operandSet.has(o));
  return { perOperand, internal };
}
