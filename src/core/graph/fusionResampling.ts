// Walks back from a merge operand to the feature level it came from, recording how it was resampled on the way.
import type { Shape } from '../shape/shape';
import type { AttrValue, GraphNode } from './modelGraph';
import type { FusionGraphIndex } from './fusionGraphIndex';
import type { OpClass } from './fusionOps';
import { dimRatio } from './levels';
import type { ResampleStep } from './fusionTypes';

/** Integers of an attribute (`3`, `(2, 2)`, a symbolic int), repeated to `n` entries when scalar. */
export function intList(a: AttrValue | undefined, n: number): number[] | null {
  if (a === undefined || a === null) return null;
  if (typeof a === 'number') return Array.from({ length: Math.max(n, 1) }, () => a);
  if (typeof a === 'boolean' || typeof a === 'string') return null;
  if (Array.isArray(a)) {
    const out: number[] = [];
    for (const item of a) {
      const v = intList(item as AttrValue, 1);
      if (!v || v.length !== 1) return null;
      out.push(v[0] as number);
    }
    return out;
  }
  const rec = a as Record<string, AttrValue>;
  if ('symbolic' in rec && typeof rec.value === 'number') return Array.from({ length: Math.max(n, 1) }, () => rec.value as number);
  return null;
}

/** Per spatial dim, out size / in size, snapped (0.25 for a ×4 pool, 2 for a ×2 upsampling). */
function scaleOf(index: FusionGraphIndex, from: string, to: string): number[] | null {
  const a = index.value(from)?.shape;
  const b = index.value(to)?.shape;
  if (!a || !b || a.length !== b.length || a.length < 3) return null;
  const out: number[] = [];
  for (let axis = 2; axis < a.length; axis++) {
    const r = dimRatio(b, a, axis);
    if (r === null) return null;
    out.push(r);
  }
  return out;
}

function spatialRank(shape: Shape | null | undefined): number {
  return shape ? Math.max(shape.length - 2, 1) : 1;
}

/** Kernel size of a conv: the module's `kernel_size`, else the weight tensor's trailing dims. */
function convKernel(index: FusionGraphIndex, node: GraphNode, n: number): number[] | null {
  const k = intList(index.attr(node, 'kernel_size', 'kernel_shape'), n);
  if (k) return k;
  const w = index.tensorArg(node, 'weight');
  const shape = w ? index.value(w)?.shape : null;
  if (!shape || shape.length < 3) return null;
  const out = shape.slice(2).map((d) => d.value);
  return out.every((v): v is number => v !== null) ? out : null;
}

/** Pads given as a constant tensor input (ONNX `Pad`). */
function constPads(index: FusionGraphIndex, node: GraphNode): number[] | null {
  for (const v of node.inputs) {
    const c = index.value(v)?.constValue;
    if (Array.isArray(c)) return [...c];
  }
  return null;
}

const POOL_KINDS = ['max', 'avg', 'adaptive-max', 'adaptive-avg', 'lp'] as const;

/** The pool's kind as its role states it (`MaxPool2d` → max). */
function poolKindOf(node: GraphNode): (typeof POOL_KINDS)[number] {
  return POOL_KINDS.find((k) => k === node.role.detail) ?? 'avg';
}

function isOneByOne(kernel: number[] | null): boolean {
  return kernel !== null && kernel.every((k) => k === 1);
}

/** The step one adapter node contributes, or null when the node is not an adapter (the walk stops there). */
function stepOf(index: FusionGraphIndex, node: GraphNode, cls: OpClass, input: string, output: string, operand: string): ResampleStep | 'pass' | null {
  const line = node.range?.startLine ?? null;
  const inShape = index.value(input)?.shape ?? null;
  const n = spatialRank(inShape);
  switch (cls) {
    case 'pool':
      return {
        kind: 'pool',
        op: node.op,
        pool: poolKindOf(node),
        kernel: intList(index.attr(node, 'kernel_size', 'output_size', 'kernel_shape'), n),
        scale: scaleOf(index, input, output),
        line,
      };
    case 'interpolate': {
      const mode = index.attr(node, 'mode');
      const size = intList(index.attr(node, 'size'), n);
      const sf = index.attr(node, 'scale_factor');
      const scaleFactor =
        typeof sf === 'number' ? Array.from({ length: n }, () => sf) : Array.isArray(sf) ? (sf.filter((x) => typeof x === 'number') as number[]) : null;
      const m = typeof mode === 'string' ? mode : node.role.detail === 'bilinear' ? 'bilinear' : 'nearest';
      return { kind: 'interpolate', op: node.op, mode: m, scaleFactor, size, scale: scaleOf(index, input, output), line };
    }
    case 'shuffle':
      return { kind: 'interpolate', op: node.op, mode: 'pixel-shuffle', scaleFactor: null, size: null, scale: scaleOf(index, input, output), line };
    case 'convT':
      return {
        kind: 'transposed-conv',
        op: node.op,
        kernel: convKernel(index, node, n),
        stride: intList(index.attr(node, 'stride', 'strides'), n) ?? [],
        scale: scaleOf(index, input, output),
        line,
      };
    case 'pad':
      return { kind: 'pad', op: node.op, pad: intList(index.attr(node, 'pad', 'padding', 'pads'), 1) ?? constPads(index, node), line };
    case 'conv': {
      const kernel = convKernel(index, node, n);
      const stride = intList(index.attr(node, 'stride', 'strides'), n) ?? [1];
      // A strided conv whose result the code names (`f3 = self.down(f2)`) is a level of its own, not a resampler,
      // unless it feeds the merge directly from a tensor that is also used elsewhere (a learned downsampling branch).
      const branchesOff = output === operand && index.consumers(input).length > 1;
      if (stride.some((s) => s > 1) && !isOneByOne(kernel) && index.isBound(output) && !branchesOff) return null;
      if (stride.some((s) => s > 1)) return { kind: 'strided-conv', op: node.op, kernel, stride, scale: scaleOf(index, input, output), line };
      if (isOneByOne(kernel)) return projection(index, node, input, output, line);
      return null;
    }
    case 'linear':
      return projection(index, node, input, output, line);
    case 'layout':
    case 'dropout':
      return 'pass';
    case 'reduce': {
      const dims = intList(index.attr(node, 'dim'), 1);
      const rank = inShape?.length ?? 0;
      const chan = rank >= 4 ? 1 : rank - 1;
      const norm = dims?.map((d) => (d < 0 ? d + rank : d)) ?? null;
      // Reducing over channels makes a descriptor of the same level, not a resampled copy of it.
      if (!norm || norm.includes(chan)) return null;
      return { kind: 'reduce', op: node.op, reduce: node.role.detail ?? node.op, dims: norm, line };
    }
    default:
      return null;
  }
}

function projection(index: FusionGraphIndex, node: GraphNode, input: string, output: string, line: number | null): ResampleStep {
  const a = index.value(input)?.shape;
  const b = index.value(output)?.shape;
  // Convs carry channels on dim 1 (also 1-d ones); linear layers on the last dim.
  const onDim1 = index.opClass(node) === 'conv';
  const chan = (s: Shape | null | undefined): number | null => (s && (onDim1 || s.length >= 4) ? (s[1]?.value ?? null) : (s?.[s.length - 1]?.value ?? null));
  return { kind: 'projection', op: node.op, linear: index.opClass(node) === 'linear', inChannels: chan(a), outChannels: chan(b), line };
}

export interface LevelWalk {
  readonly levelValue: string;
  /** In forward order: the first step applied to the level comes first. */
  readonly steps: readonly ResampleStep[];
  /** Nodes walked through (adapters, norms and reshapes). */
  readonly nodes: readonly string[];
}

/** From a merge operand back to its level: through pools, interpolations, pads, strided/transposed convs, 1×1 projections (with their norms) and reshapes, stopping at branch points. */
export function walkToLevel(index: FusionGraphIndex, operand: string): LevelWalk {
  const steps: ResampleStep[] = [];
  const nodes: string[] = [];
  let cur = operand;
  for (;;) {
    if (cur !== operand && index.consumers(cur).length > 1) break;
    const p = index.producer(cur);
    if (!p || p.outputs.length !== 1) break;
    const data = index.dataInputs(p);
    if (data.length !== 1) break;
    const input = data[0] as string;
    const cls = index.opClass(p);
    let step: ResampleStep | 'pass' | null;
    if (cls === 'norm') {
      // A norm is walked only as part of a projection/strided conv + norm pair.
      const q = index.producer(input);
      const qData = q ? index.dataInputs(q) : [];
      const qs = q && qData.length === 1 && index.consumers(input).length === 1 ? stepOf(index, q, index.opClass(q), qData[0] as string, input, operand) : null;
      step = qs && qs !== 'pass' && (qs.kind === 'projection' || qs.kind === 'strided-conv') ? 'pass' : null;
    } else {
      step = stepOf(index, p, cls, input, cur, operand);
    }
    if (step === null) break;
    if (step !== 'pass') steps.unshift(step);
    nodes.push(p.id);
    cur = input;
  }
  return { levelValue: cur, steps, nodes };
}
