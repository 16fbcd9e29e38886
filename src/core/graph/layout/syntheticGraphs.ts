// Generated model-shaped graphs (ResNet, U-Net, transformer) of a requested size, for layout tests and benchmarks.
import type { GraphPayload, PayloadFusion, PayloadNode } from '../graphPayloadTypes';
import type { LayoutGraph } from './layoutTypes';

export type SyntheticKind = 'resnet' | 'unet' | 'transformer';

export interface SyntheticGraph extends LayoutGraph {
  readonly kind: SyntheticKind;
  readonly labels: readonly string[];
}

class Builder {
  readonly labels: string[] = [];
  readonly widths: number[] = [];
  readonly sources: number[] = [];
  readonly targets: number[] = [];

  node(label: string, ...inputs: number[]): number {
    const id = this.labels.length;
    this.labels.push(label);
    // box width follows the label like the graph view's boxes do
    this.widths.push(Math.max(80, 16 + label.length * 7));
    for (const i of inputs) {
      this.sources.push(i);
      this.targets.push(id);
    }
    return id;
  }

  get size(): number {
    return this.labels.length;
  }

  finish(kind: SyntheticKind): SyntheticGraph {
    return {
      kind,
      nodeCount: this.size,
      labels: this.labels,
      widths: this.widths,
      heights: this.labels.map(() => 40),
      sources: this.sources,
      targets: this.targets,
    };
  }
}

function resnet(target: number): SyntheticGraph {
  const b = new Builder();
  let x = b.node('input');
  x = b.node('Conv2d', x);
  x = b.node('BatchNorm2d', x);
  x = b.node('ReLU', x);
  x = b.node('MaxPool2d', x);
  for (let block = 0; b.size < target - 12; block++) {
    const down = block % 6 === 0;
    let y = b.node('Conv2d', x);
    y = b.node('BatchNorm2d', y);
    y = b.node('ReLU', y);
    y = b.node('Conv2d', y);
    y = b.node('BatchNorm2d', y);
    const skip = down ? b.node('BatchNorm2d', b.node('Conv2d', x)) : x;
    x = b.node('ReLU', b.node('add', y, skip));
  }
  b.node('Linear', b.node('flatten', b.node('AdaptiveAvgPool2d', x)));
  return b.finish('resnet');
}

function unet(target: number): SyntheticGraph {
  const b = new Builder();
  const levels = 5;
  // nodes per conv stage so the whole graph lands near the target (2 stages per level, encoder + decoder)
  const perStage = Math.max(1, Math.floor((target - 4 * levels) / (4 * levels + 2) / 3));
  const stage = (x: number): number => {
    for (let i = 0; i < perStage; i++) x = b.node('ReLU', b.node('BatchNorm2d', b.node('Conv2d', x)));
    return x;
  };
  let x = b.node('input');
  const skips: number[] = [];
  for (let l = 0; l < levels; l++) {
    x = stage(stage(x));
    skips.push(x);
    x = b.node('MaxPool2d', x);
  }
  x = stage(x);
  for (let l = levels - 1; l >= 0; l--) {
    x = b.node('ConvTranspose2d', x);
    x = b.node('cat', x, skips[l]!);
    x = stage(stage(x));
  }
  b.node('Conv2d', x);
  return b.finish('unet');
}

function transformer(target: number): SyntheticGraph {
  const b = new Builder();
  let x = b.node('Embedding', b.node('input'));
  x = b.node('add', x, b.node('positional'));
  while (b.size < target - 16) {
    const h = b.node('LayerNorm', x);
    const q = b.node('Linear', h);
    const k = b.node('Linear', h);
    const v = b.node('Linear', h);
    const att = b.node('softmax', b.node('div', b.node('matmul', q, b.node('transpose', k))));
    const o = b.node('Linear', b.node('matmul', att, v));
    x = b.node('add', x, o);
    const f = b.node('Linear', b.node('GELU', b.node('Linear', b.node('LayerNorm', x))));
    x = b.node('add', x, f);
  }
  b.node('Linear', b.node('LayerNorm', x));
  return b.finish('transformer');
}

/** A graph of about `nodes` nodes (within a block's size) shaped like the named model family. */
export function syntheticGraph(kind: SyntheticKind, nodes: number): SyntheticGraph {
  if (kind === 'resnet') return resnet(nodes);
  if (kind === 'unet') return unet(nodes);
  return transformer(nodes);
}

/**
 * A graph-view payload around a synthetic graph: ops grouped into `stageN.blockM` scopes of `blockSize` nodes
 * (so collapsing has something to do), `add`/`cat` nodes marked as fusion points.
 */
export function syntheticPayload(kind: SyntheticKind, nodes: number, blockSize = 8): GraphPayload {
  const g = syntheticGraph(kind, nodes);
  const shape = { symbolic: '[B, 64, H/4, W/4]', concrete: '[4, 64, 56, 56]' };
  const fusions: PayloadFusion[] = [];
  const scopeOf = (i: number): string => (i === 0 ? '' : `stage${Math.floor(i / (blockSize * 8))}.block${Math.floor(i / blockSize) % 8}`);
  const payloadNodes: PayloadNode[] = g.labels.map((label, i) => {
    const merge = label === 'add' || label === 'cat';
    if (merge) {
      fusions.push({
        node: `n${i}`,
        method: label === 'cat' ? 'concat' : 'residual',
        inputs: [],
        output: shape,
        levels: 'L1+L2',
        explanation: { en: `${label} of two levels`, 'zh-cn': `两个层级的${label}` },
        params: 0,
        flops: 0,
      });
    }
    return {
      id: `n${i}`,
      kind: i === 0 ? 'input' : 'op',
      op: i === 0 ? 'input' : `op.${label}`,
      label,
      modulePath: null,
      scope: scopeOf(i),
      outputs: [shape],
      params: 0,
      flops: 0,
      file: null,
      line: null,
      fusion: merge ? fusions.length - 1 : null,
      detail: '',
    };
  });
  const counts = new Map<string, number>();
  for (const n of payloadNodes) {
    if (!n.scope) continue;
    const stage = n.scope.split('.')[0]!;
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
    counts.set(n.scope, (counts.get(n.scope) ?? 0) + 1);
  }
  const scopes = [...counts.keys()].sort().map((path) => ({
    path,
    type: path.includes('.') ? 'Block' : 'Sequential',
    parent: path.includes('.') ? path.split('.')[0]! : '',
    nodeCount: counts.get(path)!,
  }));
  const edges = Array.from({ length: g.sources.length }, (_, k) => ({
    source: `n${g.sources[k]}`,
    target: `n${g.targets[k]}`,
    value: `v${g.sources[k]}`,
    shape,
  }));
  return {
    key: `synthetic:${kind}:${nodes}`,
    title: `${kind} (${g.nodeCount} nodes)`,
    file: '',
    nodes: payloadNodes,
    edges,
    scopes,
    fusions,
    paramsTotal: 0,
    flopsTotal: 0,
    stale: false,
  };
}
