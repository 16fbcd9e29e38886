// Weights laid over a graph: each parameter of a state dict placed on the graph nodes of the module that owns it, with a
// per-node value (the layer's relative weight change between two checkpoints) for the graph view's heat colours and cards.

/** One state-dict entry as the overlay shows it: a change between two checkpoints, or a checkpoint tensor's figures. */
export interface OverlayParam {
  readonly name: string;
  /** ‖b − a‖ / ‖a‖ of this entry (change overlays). */
  readonly relative?: number;
  readonly shape?: readonly number[];
  readonly dtype?: string;
  readonly stats?: { readonly mean: number; readonly std: number; readonly min: number; readonly max: number };
}

export interface OverlayNode {
  /** Payload node id. */
  readonly node: string;
  /** The layer's value: relative change of its parameters together (change overlays), null otherwise. */
  readonly value: number | null;
  readonly params: readonly OverlayParam[];
}

export interface WeightOverlay {
  readonly kind: 'change' | 'weights';
  /** `resnet_e10.pth → resnet_e50.pth`, or the checkpoint's name. */
  readonly title: string;
  readonly nodes: readonly OverlayNode[];
  /** The largest node value (0 when none). */
  readonly max: number;
  /** Entries no node of the graph owns (parameters of the root module, modules never called). */
  readonly unplaced: readonly string[];
}

/** A parameter's change with the norms it came from, so a layer's change is computed over all its parameters together. */
export interface ParamChange {
  readonly name: string;
  readonly relative: number;
  /** ‖b − a‖ and ‖a‖ (absent: the layer value falls back to the largest relative change). */
  readonly diff?: number;
  readonly norm?: number;
  /** Buffers (BatchNorm running statistics) are listed but do not count towards the layer's value. */
  readonly buffer?: boolean;
}

const moduleOf = (name: string): string => (name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '');

/** Entries grouped onto the nodes whose module path owns them (a module called twice: both nodes carry them). */
function place<P extends { readonly name: string }>(nodes: readonly { id: string; modulePath: string | null }[], params: readonly P[]) {
  const byModule = new Map<string, P[]>();
  for (const p of params) {
    const m = moduleOf(p.name);
    byModule.set(m, [...(byModule.get(m) ?? []), p]);
  }
  const placed = new Set<string>();
  const out: { node: string; params: P[] }[] = [];
  for (const n of nodes) {
    if (n.modulePath === null || n.modulePath === '') continue;
    const ps = byModule.get(n.modulePath);
    if (!ps) continue;
    placed.add(n.modulePath);
    out.push({ node: n.id, params: ps });
  }
  const unplaced = params.filter((p) => !placed.has(moduleOf(p.name))).map((p) => p.name);
  return { out, unplaced };
}

/** The per-layer weight change between two checkpoints of one model, on its graph. */
export function changeOverlay(nodes: readonly { id: string; modulePath: string | null }[], changes: readonly ParamChange[], title: string): WeightOverlay {
  const { out, unplaced } = place(nodes, changes);
  let max = 0;
  const overlayNodes = out.map(({ node, params }) => {
    const counted = params.filter((p) => !p.buffer);
    const use = counted.length ? counted : params;
    let value: number;
    if (use.every((p) => p.diff !== undefined && p.norm !== undefined)) {
      const d = Math.hypot(...use.map((p) => p.diff!));
      const n = Math.hypot(...use.map((p) => p.norm!));
      value = n > 0 ? d / n : d;
    } else value = Math.max(...use.map((p) => p.relative));
    max = Math.max(max, value);
    return { node, value, params: params.map((p) => ({ name: p.name, relative: p.relative })) };
  });
  return { kind: 'change', title, nodes: overlayNodes, max, unplaced };
}

/** A checkpoint's tensors attached to the layers of a model it fits. */
export function weightsOverlay(nodes: readonly { id: string; modulePath: string | null }[], params: readonly OverlayParam[], title: string): WeightOverlay {
  const { out, unplaced } = place(nodes, params);
  return { kind: 'weights', title, nodes: out.map(({ node, params: ps }) => ({ node, value: null, params: ps })), max: 0, unplaced };
}
