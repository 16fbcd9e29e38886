// Frames drawn around expanded module scopes: the bounding box of their visible members, padded more for outer scopes.
import { scopeChain } from '../graphPayload';
import type { LayoutResult } from './layoutTypes';
import type { VisibleGraph } from './visibleGraph';

export interface ScopeFrame {
  readonly scope: string;
  readonly depth: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One frame per expanded scope with visible members, outermost first (so inner frames paint on top). */
export function scopeFrames(v: VisibleGraph, layout: LayoutResult, expanded: ReadonlySet<string>, pad = 8): ScopeFrame[] {
  const box = new Map<string, [number, number, number, number]>();
  v.items.forEach((item, i) => {
    const chain = item.kind === 'group' ? scopeChain(item.scope).slice(0, -1) : scopeChain(item.scope);
    const x0 = layout.x[i]! - item.width / 2;
    const x1 = layout.x[i]! + item.width / 2;
    const y0 = layout.y[i]! - item.height / 2;
    const y1 = layout.y[i]! + item.height / 2;
    for (const s of chain) {
      if (!expanded.has(s)) continue;
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
  const maxDepth = Math.max(0, ...[...box.keys()].map((s) => s.split('.').length));
  const frames = [...box.entries()].map(([scope, [x0, y0, x1, y1]]) => {
    const depth = scope.split('.').length;
    const p = pad * (maxDepth - depth + 1);
    return { scope, depth, x: x0 - p, y: y0 - p - 12, width: x1 - x0 + 2 * p, height: y1 - y0 + 2 * p + 12 };
  });
  return frames.sort((a, b) => a.depth - b.depth || (a.scope < b.scope ? -1 : 1));
}
