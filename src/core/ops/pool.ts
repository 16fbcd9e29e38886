// Pooling: Max/Avg/AdaptiveAvg/AdaptiveMax pooling 1d/2d/3d as modules and F.* functions.
import { Dim } from '../shape/dim';
import { Shape } from '../shape/shape';
import { boolArg, dimsOf, isNone, seqItems, tensorArg, tupleArg } from './args';
import { numelOf, prod } from './flopsCount';
import { registerOps } from './registry';
import { opt, req, vBool, vInt, vNone } from './sig';
import { showShape } from './showShape';
import { BoundArgs, FunctionOpDef, InferContext, ModuleOpDef, OpDef, ParamSpec, ShapeError } from './types';
import { PyValue, TensorValue } from './values';
import { slidingOut } from './windowSize';
import { adaptiveAvgPoolLowering, adaptiveMaxPoolLowering, avgPoolLowering, maxPoolLowering } from './lowerConvPool';

type PoolKind = 'max' | 'avg';

function checkRank(op: string, nd: number, x: Shape): void {
  if (x.length !== nd + 1 && x.length !== nd + 2) {
    throw new ShapeError(`${op} expects a ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input, but got ${showShape(x)}`);
  }
}

function windowOut(op: string, kind: PoolKind, nd: number, x: TensorValue, args: BoundArgs): Shape | null {
  const k = tupleArg(args, 'kernel_size', nd, op, true);
  // stride=None (or an empty list) means stride = kernel_size.
  const strideGiven = !isNone(args.stride) && !(seqItems(args.stride as PyValue)?.length === 0);
  const s = strideGiven ? tupleArg(args, 'stride', nd, op, true) : k;
  const p = tupleArg(args, 'padding', nd, op, true);
  const d = kind === 'max' ? tupleArg(args, 'dilation', nd, op, true) : k.map(() => 1);
  const ceil = boolArg(args, 'ceil_mode', op);
  if (k.some((v) => v < 1)) throw new ShapeError(`${op}: kernel_size must be positive, got ${k.join('x')}`);
  if (s.some((v) => v < 1)) throw new ShapeError(`${op}: stride must be positive, got ${s.join('x')}`);
  p.forEach((pi, i) => {
    const eff = kind === 'max' ? d[i] * (k[i] - 1) + 1 : k[i];
    if (pi < 0 || pi > Math.floor(eff / 2)) {
      throw new ShapeError(`${op}: padding ${pi} must be at most half of the${kind === 'max' ? ' effective' : ''} kernel size ${eff}`);
    }
  });
  if (!x.shape) return null;
  checkRank(op, nd, x.shape);
  const lead = x.shape.slice(0, x.shape.length - nd);
  const spatial = x.shape.slice(x.shape.length - nd).map((n, i) => slidingOut(n, k[i], s[i], p[i], d[i], ceil));
  if (spatial.some((o) => o.value !== null && o.value < 1)) {
    const outText = spatial.map((o) => o.value).join('x');
    throw new ShapeError(
      `${op}: input ${showShape(x.shape)} is too small for kernel ${k.join('x')} (stride ${s.join('x')}, padding ${p.join('x')}): ` +
        `the output would be ${outText}`,
    );
  }
  return [...lead, ...spatial];
}

function adaptiveOut(op: string, nd: number, x: TensorValue, outputSize: PyValue): Shape | null {
  const items = seqItems(outputSize);
  let sizes: (Dim | null)[];
  if (items) {
    if (items.length !== nd) throw new ShapeError(`${op}: output_size must have ${nd} elements, got ${items.length}`);
    sizes = items.map((v, i) => (v.kind === 'none' ? null : dimsOf(v, op, `output_size[${i}]`)[0]));
  } else {
    const one = dimsOf(outputSize, op, 'output_size')[0];
    sizes = Array.from({ length: nd }, () => one);
  }
  for (const s of sizes) if (s && s.value !== null && s.value < 0) throw new ShapeError(`${op}: output_size must be non-negative, got ${s.value}`);
  if (!x.shape) return null;
  checkRank(op, nd, x.shape);
  const lead = x.shape.slice(0, x.shape.length - nd);
  // None keeps the input's size in that dim.
  const spatial = x.shape.slice(x.shape.length - nd).map((n, i) => sizes[i] ?? n);
  return [...lead, ...spatial];
}

function withIndices(ctx: InferContext, shape: Shape | null, x: TensorValue, indices: boolean): PyValue {
  const out = ctx.tensor(shape, x.dtype);
  if (!indices) return out;
  return { kind: 'tuple', items: [out, ctx.tensor(shape, 'int64')] };
}

function windowFlops(op: string, nd: number, args: BoundArgs, out: PyValue): number {
  const first = out.kind === 'tuple' ? out.items[0] : out;
  return numelOf(first) * prod(tupleArg(args, 'kernel_size', nd, op, true));
}

const maxCtor = (): ParamSpec[] => [
  req('kernel_size'),
  opt('stride', vNone),
  opt('padding', vInt(0)),
  opt('dilation', vInt(1)),
  opt('return_indices', vBool(false)),
  opt('ceil_mode', vBool(false)),
];
const avgCtor = (nd: number): ParamSpec[] => [
  req('kernel_size'),
  opt('stride', vNone),
  opt('padding', vInt(0)),
  opt('ceil_mode', vBool(false)),
  opt('count_include_pad', vBool(true)),
  ...(nd > 1 ? [opt('divisor_override', vNone)] : []),
];

function windowModule(kind: PoolKind, nd: number): ModuleOpDef {
  const type = `${kind === 'max' ? 'Max' : 'Avg'}Pool${nd}d`;
  return {
    kind: 'module',
    type,
    family: 'pool',
    ctor: kind === 'max' ? maxCtor() : avgCtor(nd),
    forward: [req('input')],
    tensors: () => [],
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      const shape = windowOut(type, kind, nd, x, attrs);
      return withIndices(ctx, shape, x, kind === 'max' && boolArg(attrs, 'return_indices', type));
    },
    flops: (attrs, _args, out) => windowFlops(type, nd, attrs, out),
    onnx: kind === 'max' ? maxPoolLowering(nd) : avgPoolLowering(nd),
  };
}

function adaptiveModule(kind: PoolKind, nd: number): ModuleOpDef {
  const type = `Adaptive${kind === 'max' ? 'Max' : 'Avg'}Pool${nd}d`;
  return {
    kind: 'module',
    type,
    family: 'pool',
    ctor: kind === 'max' ? [req('output_size'), opt('return_indices', vBool(false))] : [req('output_size')],
    forward: [req('input')],
    tensors: () => [],
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      const shape = adaptiveOut(type, nd, x, attrs.output_size);
      return withIndices(ctx, shape, x, kind === 'max' && boolArg(attrs, 'return_indices', type));
    },
    // Every input element is read once (overlapping windows aside).
    flops: (_attrs, args) => numelOf(args.input),
    onnx: kind === 'max' ? adaptiveMaxPoolLowering(nd) : adaptiveAvgPoolLowering(nd),
  };
}

function windowFunction(kind: PoolKind, nd: number): FunctionOpDef {
  const name = `F.${kind}_pool${nd}d`;
  const signature: ParamSpec[] =
    kind === 'max'
      ? [
          req('input'),
          req('kernel_size'),
          opt('stride', vNone),
          opt('padding', vInt(0)),
          opt('dilation', vInt(1)),
          opt('ceil_mode', vBool(false)),
          opt('return_indices', vBool(false)),
        ]
      : [req('input'), ...avgCtor(nd)];
  return {
    kind: 'function',
    name,
    aliases: [`torch.nn.functional.${kind}_pool${nd}d`],
    family: 'pool',
    signature,
    infer(args, ctx) {
      const x = tensorArg(args, 'input', name);
      const shape = windowOut(name, kind, nd, x, args);
      return withIndices(ctx, shape, x, kind === 'max' && boolArg(args, 'return_indices', name));
    },
    flops: (args, out) => windowFlops(name, nd, args, out),
    onnx: kind === 'max' ? maxPoolLowering(nd) : avgPoolLowering(nd),
  };
}

function adaptiveFunction(kind: PoolKind, nd: number): FunctionOpDef {
  const name = `F.adaptive_${kind}_pool${nd}d`;
  return {
    kind: 'function',
    name,
    aliases: [`torch.nn.functional.adaptive_${kind}_pool${nd}d`, ...(kind === 'avg' && nd === 1 ? ['torch.adaptive_avg_pool1d'] : [])],
    family: 'pool',
    signature: kind === 'max' ? [req('input'), req('output_size'), opt('return_indices', vBool(false))] : [req('input'), req('output_size')],
    infer(args, ctx) {
      const x = tensorArg(args, 'input', name);
      const shape = adaptiveOut(name, nd, x, args.output_size);
      return withIndices(ctx, shape, x, kind === 'max' && boolArg(args, 'return_indices', name));
    },
    flops: (args) => numelOf(args.input),
    onnx: kind === 'max' ? adaptiveMaxPoolLowering(nd) : adaptiveAvgPoolLowering(nd),
  };
}

const defs: OpDef[] = [];
for (const nd of [1, 2, 3]) {
  for (const kind of ['max', 'avg'] as const) {
    defs.push(windowModule(kind, nd), adaptiveModule(kind, nd), windowFunction(kind, nd), adaptiveFunction(kind, nd));
  }
}
registerOps(defs);
