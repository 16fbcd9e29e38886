// What the renderers draw: the payload, its visible part, their layout and frames, plus per-item geometry helpers.
import type { GraphPayload, PayloadEdge, WeightOverlay } from '../../src/protocol';
import type { LayoutResult } from '../../src/core/graph/layout/layoutTypes';
import type { ScopeFrame } from '../../src/core/graph/layout/scopeFrames';
import type { VisibleGraph } from '../../src/core/graph/layout/visibleGraph';

export interface Scene {
  readonly payload: GraphPayload;
  readonly visible: VisibleGraph;
  readonly layout: LayoutResult;
  readonly frames: readonly ScopeFrame[];
  /** Visible edges that end in a fusion node (drawn in the fusion colour). */
  readonly fusionEdge: Uint8Array;
  /** Visible edges that carry a shape label: one per tensor leaving a box (fan-out edges repeat it otherwise). */
  readonly labelled: Uint8Array;
  /** Weights laid over the graph (Compare Checkpoints' change, a checkpoint's tensors), per visible item. */
  readonly heat: readonly (HeatMark | undefined)[];
}

/** An item's weight mark: the heat colour's strength (0..1) and the badge text. */
export interface HeatMark {
  readonly level: number;
  readonly text: string;
  readonly kind: WeightOverlay['kind'];
  /** The layer change (change overlays), the largest of a collapsed group's layers. */
  readonly value: number | null;
}

/** Selection state painted over the scene (item indices). */
export interface Marks {
  readonly selected: number | null;
  readonly highlighted: ReadonlySet<number>;
  readonly matches: ReadonlySet<number>;
}

export const NO_MARKS: Marks = { selected: null, highlighted: new Set(), matches: new Set() };

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function makeScene(
  payload: GraphPayload,
  visible: VisibleGraph,
  layout: LayoutResult,
  frames: readonly ScopeFrame[],
  overlay: WeightOverlay | null = null,
): Scene {
  const fusionEdge = new Uint8Array(visible.edges.length);
  visible.edges.forEach((e, i) => {
    const target = visible.items[e.target]!;
    if (target.kind === 'node' && target.fusion !== null) fusionEdge[i] = 1;
  });
  const labelled = new Uint8Array(visible.edges.length);
  const seen = new Set<string>();
  visible.edges.forEach((e, i) => {
    const first = e.edges[0];
    const value = first === undefined ? '' : (payload.edges[first]?.value ?? '');
    const key = `${e.source}\u0000${value}`;
    if (!seen.has(key)) {
      seen.add(key);
      labelled[i] = 1;
    }
  });
  return { payload, visible, layout, frames, fusionEdge, labelled, heat: heatMarks(payload, visible, overlay) };
}

/** A change as the badge shows it: three significant digits, small ones in exponent form. */
export function changeText(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(1) : v.toPrecision(3);
}

/** Per visible item: a node's overlay entry, or for a collapsed group the largest change (or the tensor count) inside. */
function heatMarks(payload: GraphPayload, visible: VisibleGraph, overlay: WeightOverlay | null): (HeatMark | undefined)[] {
  const out: (HeatMark | undefined)[] = new Array<HeatMark | undefined>(visible.items.length);
  if (!overlay) return out;
  const index = new Map(payload.nodes.map((n, i) => [n.id, i]));
  const acc = new Map<number, { value: number | null; tensors: number; first: readonly number[] | undefined; nodes: number }>();
  for (const n of overlay.nodes) {
    const ni = index.get(n.node);
    const item = ni === undefined ? -1 : (visible.itemOfNode[ni] ?? -1);
    if (item < 0) continue;
    const a = acc.get(item) ?? { value: null, tensors: 0, first: undefined, nodes: 0 };
    if (n.value !== null) a.value = Math.max(a.value ?? 0, n.value);
    a.tensors += n.params.length;
    a.first ??= n.params[0]?.shape;
    a.nodes++;
    acc.set(item, a);
  }
  for (const [item, a] of acc) {
    const group = visible.items[item]!.kind === 'group';
    if (overlay.kind === 'change' && a.value !== null) {
      const level = overlay.max > 0 ? a.value / overlay.max : 0;
      out[item] = { kind: 'change', level, value: a.value, text: `Δ ${changeText(a.value)}${group ? ' max' : ''}` };
    } else if (overlay.kind === 'weights') {
      out[item] = { kind: 'weights', level: 0.35, value: null, text: group || !a.first ? `${a.tensors} W` : `[${a.first.join(', ')}]` };
    }
  }
  return out;
}

/** The heat colour of a mark: yellow (little change) to red (the most), a fixed green for attached weights. */
export function heatColor(m: HeatMark): string {
  if (m.kind === 'weights') return 'hsla(140, 55%, 45%, 0.28)';
  const l = Math.max(0, Math.min(1, m.level));
  return `hsla(${Math.round(55 - 55 * l)}, 90%, 50%, ${(0.18 + 0.6 * l).toFixed(2)})`;
}

export function itemRect(scene: Scene, i: number): Rect {
  const it = scene.visible.items[i]!;
  return { x: scene.layout.x[i]! - it.width / 2, y: scene.layout.y[i]! - it.height / 2, width: it.width, height: it.height };
}

/** The whole drawing, frames included, with a margin. */
export function sceneBounds(scene: Scene, margin = 24): Rect {
  let x0 = 0;
  let y0 = 0;
  let x1 = scene.layout.width;
  let y1 = scene.layout.height;
  for (const f of scene.frames) {
    x0 = Math.min(x0, f.x);
    y0 = Math.min(y0, f.y);
    x1 = Math.max(x1, f.x + f.width);
    y1 = Math.max(y1, f.y + f.height + 8);
  }
  // badges sit above their box
  y0 -= 12;
  return { x: x0 - margin, y: y0 - margin, width: x1 - x0 + 2 * margin, height: y1 - y0 + 2 * margin };
}

/** The payload edge whose shape labels a visible edge (the first one it carries). */
export function labelEdge(scene: Scene, visibleEdge: number): PayloadEdge | undefined {
  const k = scene.visible.edges[visibleEdge]!.edges[0];
  return k === undefined ? undefined : scene.payload.edges[k];
}

/** Text of a fusion badge: `concat · L3+L5+L7`; on a folded run of repeated blocks the fusion point of one block, times the blocks (`residual · … ×12`). */
export function badgeText(scene: Scene, fusion: number, repeat?: number): string {
  const f = scene.payload.fusions[fusion];
  return f ? `${f.method} · ${f.levels}${repeat ? ` ×${repeat}` : ''}` : '';
}

/** Title of a scope frame: `− layer1 · Sequential`, or `− Bottleneck ×5` around an unfolded run of repeated blocks. */
export function frameTitle(scene: Scene, f: ScopeFrame): string {
  if (f.label) return `− ${f.label}`;
  const info = scene.payload.scopes.find((s) => s.path === f.scope);
  return `− ${f.scope}${info?.type ? ` · ${info.type}` : ''}`;
}

/** Where an edge's shape label goes: beside the middle of its first segment. */
export function edgeLabelPoint(pts: Float64Array): [number, number] {
  return [(pts[0]! + pts[2]!) / 2 + 5, (pts[1]! + pts[3]!) / 2];
}
