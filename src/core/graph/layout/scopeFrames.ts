// Frames drawn around expanded module scopes: the bounding box of their visible members, padded more for outer scopes.
import { parentScope, scopeChain } from '../graphPayload';
import type { LayoutResult } from './layoutTypes';
import type { VisibleGraph } from './visibleGraph';

/** Vertical room per nesting level: enough for a frame's one-line title. */
const TITLE_STEP = 14;

export interface ScopeFrame {
  readonly scope: string;
  /** Nesting level among the drawn frames (0 = outermost). */
  readonly depth: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Title for an unfolded run of repeated blocks (`Bottleneck ×5`); scopes are titled by the views. */
  readonly label?: string;
}

/** One frame per expanded scope with two or more visible members (unless its framed parent holds the same), outermost first (so inner frames paint on top). */
export function scopeFrames(v: VisibleGraph, layout: LayoutResult, expanded: ReadonlySet<string>, pad = 8): ScopeFrame[] {
  const runs = v.repeats;
  const parentOf = (s: string): string => {
    const own = runs.byKey.get(s);
    if (own) return own.parent;
    const run = runs.byScope.get(s);
    return run && expanded.has(run.key) ? run.key : parentScope(s);
  };
  const box = new Map<string, [number, number, number, number]>();
  const members = new Map<string, number>();
  v.items.forEach((item, i) => {
    const scopes = item.kind === 'group' ? scopeChain(item.scope).slice(0, -1) : scopeChain(item.scope);
    // an unfolded run of repeated blocks frames its blocks together
    const chain: string[] = [];
    for (const s of scopes) {
      const run = runs.byScope.get(s);
      if (run && expanded.has(run.key)) chain.push(run.key);
      chain.push(s);
    }
    const x0 = layout.x[i]! - item.width / 2;
    const x1 = layout.x[i]! + item.width / 2;
    const y0 = layout.y[i]! - item.height / 2;
    const y1 = layout.y[i]! + item.height / 2;
    for (const s of chain) {
      if (!expanded.has(s)) continue;
      members.set(s, (members.get(s) ?? 0) + 1);
      const b = box.get(s);
      if (!b) box.set(s, [x0, y0, x1, y1]);
      else {
        b[0] = Math.min(b[0], x0);
        b[1] = Math.min(b[1], y0);
        b[2] = Math.max(b[2], x1);
        b[3] = Math.max(b[3], y1);
      }
    }
  });
  // a frame around one box adds ink and no information
  for (const [s, count] of members) if (count < 2) box.delete(s);
  // a scope that frames exactly what its framed parent frames (a block that only wraps a Sequential) is drawn once, as the parent
  const framedParent = (s: string): string | null => {
    for (let p = parentOf(s); p !== ''; p = parentOf(p)) if (box.has(p)) return p;
    return null;
  };
  // nesting depth through runs too (a run key is not a dotted prefix of its blocks)
  const depthOf = (s: string): number => {
    let d = 0;
    for (let p = s; p !== ''; p = parentOf(p)) d++;
    return d;
  };
  for (const s of [...box.keys()].sort((a, b) => depthOf(b) - depthOf(a))) {
    if (!box.has(s)) continue;
    const p = framedParent(s);
    // an unfolded run keeps its frame ("Block ×12" says more than the Sequential holding just the run)
    if (p !== null && members.get(p) === members.get(s)) box.delete(runs.byKey.has(s) ? p : s);
  }
  const kept = [...box.keys()];
  const level = new Map<string, number>();
  for (const s of kept.sort((a, b) => depthOf(a) - depthOf(b))) {
    const p = framedParent(s);
    level.set(s, p === null ? 0 : level.get(p)! + 1);
  }
  // frames nested inside a frame push its border and title outwards, one step per nesting level
  const below = new Map<string, number>(kept.map((s) => [s, 0]));
  for (const t of kept) {
    for (let p = framedParent(t); p !== null; p = framedParent(p)) below.set(p, Math.max(below.get(p)!, level.get(t)! - level.get(p)!));
  }
  const frames = kept.map((scope) => {
    const [x0, y0, x1, y1] = box.get(scope)!;
    const h = pad * (below.get(scope)! + 1);
    const v = TITLE_STEP * (below.get(scope)! + 1);
    const run = runs.byKey.get(scope);
    return { scope, depth: level.get(scope)!, x: x0 - h, y: y0 - v, width: x1 - x0 + 2 * h, height: y1 - y0 + v + h, ...(run ? { label: run.label } : {}) };
  });
  return frames.sort((a, b) => a.depth - b.depth || (a.scope < b.scope ? -1 : 1));
}
