// Repeated blocks: consecutive sibling module scopes built alike and wired one into the next (a `for blk in self.blocks`,
// a `_make_layer`, an nn.Sequential of identical blocks), which the graph view folds into one "Block ×N" box.
import type { GraphPayload } from '../graphPayloadTypes';
import { scopeChain } from '../graphPayload';

export interface RepeatRun {
  /** The fold's own key in the expanded set, shaped like a child scope of `parent`: `layer3.1×5`. */
  readonly key: string;
  readonly parent: string;
  /** The member scopes, in call order. */
  readonly scopes: readonly string[];
  /** Module type of the blocks ('' when unknown, as in ONNX files). */
  readonly type: string;
  /** Box label: `Bottleneck ×5`, or `blocks.0…11 ×12` when the type is unknown. */
  readonly label: string;
  /** Shapes entering the first block and leaving the last one (concrete), '' when unknown. */
  readonly shapeIn: string;
  readonly shapeOut: string;
  /** Op nodes inside all blocks, and fusion points among them. */
  readonly nodeCount: number;
  readonly fusionCount: number;
}

export interface RepeatIndex {
  readonly runs: readonly RepeatRun[];
  /** Run per run key, and per member scope. */
  readonly byKey: ReadonlyMap<string, RepeatRun>;
  readonly byScope: ReadonlyMap<string, RepeatRun>;
}

const cache = new WeakMap<GraphPayload, RepeatIndex>();

/** The runs of a payload (computed once per payload object). */
export function repeatedBlocks(payload: GraphPayload): RepeatIndex {
  let index = cache.get(payload);
  if (!index) {
    index = findRuns(payload);
    cache.set(payload, index);
  }
  return index;
}

const relative = (path: string | null, scope: string): string =>
  path === null ? '-' : path === scope ? '.' : path.startsWith(`${scope}.`) ? path.slice(scope.length) : `!${path}`;

function findRuns(payload: GraphPayload): RepeatIndex {
  const nodeIndex = new Map<string, number>();
  payload.nodes.forEach((n, i) => nodeIndex.set(n.id, i));
  // members of every scope, in payload (call) order
  const members = new Map<string, number[]>();
  payload.nodes.forEach((n, i) => {
    for (const s of scopeChain(n.scope)) {
      let list = members.get(s);
      if (!list) members.set(s, (list = []));
      list.push(i);
    }
  });
  const incoming: number[][] = payload.nodes.map(() => []);
  const outgoing: number[][] = payload.nodes.map(() => []);
  payload.edges.forEach((e) => {
    const s = nodeIndex.get(e.source);
    const t = nodeIndex.get(e.target);
    if (s === undefined || t === undefined) return;
    incoming[t]!.push(s);
    outgoing[s]!.push(t);
  });
  const typeOf = new Map(payload.scopes.map((s) => [s.path, s.type]));

  /** What makes two blocks the same: module type, and per op its place, module, op, constructor arguments, output shapes and inputs (inside the block by position, else "outside"). */
  const signature = (scope: string, list: readonly number[]): string => {
    const local = new Map<number, number>();
    list.forEach((i, k) => local.set(i, k));
    const parts = [typeOf.get(scope) ?? ''];
    for (const i of list) {
      const n = payload.nodes[i]!;
      // inputs from outside count once: exporters alias shared parameters through extra Identity nodes, unevenly per block
      const ins = [...new Set(incoming[i]!.map((s) => local.get(s) ?? 'x'))].join(',');
      parts.push(`${relative(n.scope, scope)}|${relative(n.modulePath, scope)}|${n.op}|${n.detail}|${n.outputs.map((o) => o.concrete).join(';')}|${ins}`);
    }
    return parts.join('\n');
  };

  const children = new Map<string, string[]>();
  for (const s of payload.scopes) {
    if (!members.has(s.path)) continue;
    const list = children.get(s.parent) ?? [];
    list.push(s.path);
    children.set(s.parent, list);
  }
  const runs: RepeatRun[] = [];
  const first = (s: string): number => members.get(s)![0]!;
  const last = (s: string): number => members.get(s)![members.get(s)!.length - 1]!;
  for (const [parent, list] of children) {
    if (list.length < 2) continue;
    list.sort((a, b) => first(a) - first(b));
    const sigs = list.map((s) => signature(s, members.get(s)!));
    let start = 0;
    for (let k = 1; k <= list.length; k++) {
      if (k < list.length && sigs[k] === sigs[start] && chained(list[k - 1]!, list[k]!, first(list[start]!))) continue;
      if (k - start >= 2) runs.push(makeRun(parent, list.slice(start, k)));
      start = k;
    }
  }

  /** Block b follows block a: a ends before b starts, everything a produces goes into b, b reads from a and otherwise only from before the run. */
  function chained(a: string, b: string, runStart: number): boolean {
    if (last(a) >= first(b)) return false;
    const inB = new Set(members.get(b));
    const inA = new Set(members.get(a));
    let feeds = false;
    for (const i of members.get(a)!) {
      for (const t of outgoing[i]!) {
        if (inA.has(t)) continue;
        if (!inB.has(t)) return false;
        feeds = true;
      }
    }
    if (!feeds) return false;
    for (const i of members.get(b)!) for (const s of incoming[i]!) if (!inB.has(s) && !inA.has(s) && s >= runStart) return false;
    return true;
  }

  function makeRun(parent: string, scopes: string[]): RepeatRun {
    const type = typeOf.get(scopes[0]!) ?? '';
    const firstScope = scopes[0]!;
    const lastScope = scopes[scopes.length - 1]!;
    const tail = lastScope.slice(lastScope.lastIndexOf('.') + 1);
    const label = `${type || `${firstScope}…${tail}`} ×${scopes.length}`;
    const inFirst = new Set(members.get(firstScope));
    const inLast = new Set(members.get(lastScope));
    let shapeIn = '';
    let shapeOut = '';
    let nodeCount = 0;
    let fusionCount = 0;
    for (const s of scopes) {
      for (const i of members.get(s)!) {
        nodeCount++;
        if (payload.nodes[i]!.fusion !== null) fusionCount++;
      }
    }
    for (const e of payload.edges) {
      const s = nodeIndex.get(e.source);
      const t = nodeIndex.get(e.target);
      if (s === undefined || t === undefined) continue;
      if (!shapeIn && inFirst.has(t) && !inFirst.has(s)) shapeIn = e.shape?.concrete ?? '';
      if (!shapeOut && inLast.has(s) && !inLast.has(t)) shapeOut = e.shape?.concrete ?? '';
    }
    return { key: `${firstScope}×${scopes.length}`, parent, scopes, type, label, shapeIn, shapeOut, nodeCount, fusionCount };
  }

  const byKey = new Map(runs.map((r) => [r.key, r]));
  const byScope = new Map<string, RepeatRun>();
  for (const r of runs) for (const s of r.scopes) byScope.set(s, r);
  return { runs, byKey, byScope };
}
