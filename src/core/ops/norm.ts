// Normalisation layers: BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d, LayerNorm, GroupNorm and their F.* forms.
import { dimEquals } from '../shape/dim';
import { Shape } from '../shape/shape';
import { boolArg, dimsOf, concreteOf, numArg, tensorArg } from './args';
import { normalizeAxis } from './axes';
import { numelOf } from './flopsCount';
import { channelsFirstInput } from './impliedInput';
import { registerOps } from './registry';
import { factoryKwargs, opt, req, vBool, vFloat, vInt, vNone } from './sig';
import { showShape } from './showShape';
import { BoundArgs, FunctionOpDef, ModuleOpDef, ParamSpec, ShapeError, TensorSpec } from './types';
import { TensorValue } from './values';
import type { OnnxLowering } from './lowering';
import { batchNormLowering, groupNormLowering, instanceNormLowering, layerNormLowering, lrnLowering, normalizeLowering } from './lowerNorm';
import { paramDtype, requireInputDtype, withParamDtype } from './paramDtype';

// FLOPs: eval-mode BatchNorm folds to one scale and one shift per element (2); the others compute
// statistics and normalise per call (counted as 5 per element: mean, variance, subtract, divide, affine).
const BN_COST = 2;
const STATS_COST = 5;

function affineTensors(c: number): TensorSpec[] {
  return [
    { name: 'weight', shape: [c], dtype: 'float32', role: 'param', init: { kind: 'ones' } },
    { name: 'bias', shape: [c], dtype: 'float32', role: 'param', init: { kind: 'zeros' } },
  ];
}

function runningStats(c: number): TensorSpec[] {
  return [
    { name: 'running_mean', shape: [c], dtype: 'float32', role: 'buffer', init: { kind: 'zeros' } },
    { name: 'running_var', shape: [c], dtype: 'float32', role: 'buffer', init: { kind: 'ones' } },
    { name: 'num_batches_tracked', shape: [], dtype: 'int64', role: 'buffer', init: { kind: 'zeros' } },
  ];
}

function rankError(op: string, ranks: readonly number[], x: Shape): ShapeError {
  const want = ranks.map((r) => `${r}D`).join(' or ');
  return new ShapeError(`${op} expects ${want} input (got ${x.length}D input ${showShape(x)})`);
}

function checkChannels(op: string, x: Shape, channelDim: number, c: number): void {
  if (dimEquals(x[channelDim], c) === false) {
    const got = x[channelDim].value;
    throw new ShapeError(
      `${op} expects ${c} channels (num_features) but got ${got} in dim ${channelDim} (input ${showShape(x)})`,
      got === null ? undefined : `set num_features=${got}`,
    );
  }
}

/** BatchNorm / InstanceNorm / SyncBatchNorm constructors: affine and track_running_stats default to `flags`. */
function statsNormCtor(flags: boolean, extra: readonly ParamSpec[] = []): ParamSpec[] {
  return [
    req('num_features'),
    opt('eps', vFloat(1e-5)),
    opt('momentum', vFloat(0.1)),
    opt('affine', vBool(flags)),
    opt('track_running_stats', vBool(flags)),
    ...extra,
    ...factoryKwargs,
  ];
}

/** Their tensors: weight and bias when affine, the running statistics when tracked. */
function statsNormTensors(attrs: BoundArgs, type: string): TensorSpec[] {
  const c = numArg(attrs, 'num_features', type);
  return withParamDtype(
    [...(boolArg(attrs, 'affine', type) ? affineTensors(c) : []), ...(boolArg(attrs, 'track_running_stats', type) ? runningStats(c) : [])],
    attrs,
    type,
  );
}

function batchNormModule(nd: number): ModuleOpDef {
  const type = `BatchNorm${nd}d`;
  const ranks = nd === 1 ? [2, 3] : [nd + 2];
  return {
    kind: 'module',
    type,
    family: 'norm',
    impliedInput: channelsFirstInput(nd, 'num_features'),
    optionalTensors: ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'],
    ctor: statsNormCtor(true),
    forward: [req('input')],
    tensors: (attrs) => statsNormTensors(attrs, type),
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      if (boolArg(attrs, 'affine', type) || boolArg(attrs, 'track_running_stats', type)) requireInputDtype(type, x, paramDtype(attrs, type));
      if (x.shape) {
        if (!ranks.includes(x.shape.length)) throw rankError(type, ranks, x.shape);
        if (boolArg(attrs, 'affine', type) || boolArg(attrs, 'track_running_stats', type)) checkChannels(type, x.shape, 1, numArg(attrs, 'num_features', type));
      }
      return ctx.tensor(x.shape, x.dtype);
    },
    flops: (_a, _b, out) => BN_COST * numelOf(out),
    onnx: batchNormLowering,
  };
}

function instanceNormModule(nd: number): ModuleOpDef {
  const type = `InstanceNorm${nd}d`;
  const ranks = [nd + 1, nd + 2];
  return {
    kind: 'module',
    type,
    family: 'norm',
    impliedInput: channelsFirstInput(nd, 'num_features'),
    optionalTensors: ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'],
    ctor: statsNormCtor(false),
    forward: [req('input')],
    tensors: (attrs) => statsNormTensors(attrs, type),
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      if (boolArg(attrs, 'affine', type)) requireInputDtype(type, x, paramDtype(attrs, type));
      if (x.shape) {
        if (!ranks.includes(x.shape.length)) throw rankError(type, ranks, x.shape);
        // torch only warns about a channel mismatch when there are no per-channel tensors.
        if (boolArg(attrs, 'affine', type)) checkChannels(type, x.shape, x.shape.length - nd - 1, numArg(attrs, 'num_features', type));
      }
      return ctx.tensor(x.shape, x.dtype);
    },
    flops: (_a, _b, out) => STATS_COST * numelOf(out),
    onnx: instanceNormLowering,
  };
}

/** Trailing dims of `x` must equal normalized_shape. */
function checkNormalizedShape(op: string, x: Shape, ns: readonly number[]): void {
  const tail = x.slice(x.length - ns.length);
  const ok = x.length >= ns.length && tail.every((d, i) => dimEquals(d, ns[i]) !== false);
  if (!ok) {
    throw new ShapeError(
      `${op}: normalized_shape=[${ns.join(', ')}] requires the input to end in [${ns.join(', ')}], but the input is ${showShape(x)}`,
      x.length >= ns.length && x.slice(x.length - ns.length).every((d) => d.value !== null)
        ? `set normalized_shape=${
            ns.length === 1
              ? x[x.length - 1].value
              : `[${x
                  .slice(x.length - ns.length)
                  .map((d) => d.value)
                  .join(', ')}]`
          }`
        : undefined,
    );
  }
}

function normalizedShape(attrs: BoundArgs, op: string): number[] {
  return dimsOf(attrs.normalized_shape, op, 'normalized_shape').map((d, i) => concreteOf(d, op, `normalized_shape[${i}]`));
}

const layerNorm: ModuleOpDef = {
  kind: 'module',
  type: 'LayerNorm',
  family: 'norm',
  optionalTensors: ['weight', 'bias'],
  ctor: [req('normalized_shape'), opt('eps', vFloat(1e-5)), opt('elementwise_affine', vBool(true)), ...factoryKwargs],
  forward: [req('input')],
  tensors(attrs) {
    const ns = normalizedShape(attrs, 'LayerNorm');
    if (!boolArg(attrs, 'elementwise_affine', 'LayerNorm')) return [];
    return withParamDtype(
      [
        { name: 'weight', shape: ns, dtype: 'float32', role: 'param', init: { kind: 'ones' } },
        { name: 'bias', shape: ns, dtype: 'float32', role: 'param', init: { kind: 'zeros' } },
      ],
      attrs,
      'LayerNorm',
    );
  },
  infer(attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'LayerNorm');
    if (boolArg(attrs, 'elementwise_affine', 'LayerNorm')) requireInputDtype('LayerNorm', x, paramDtype(attrs, 'LayerNorm'));
    if (x.shape) checkNormalizedShape('LayerNorm', x.shape, normalizedShape(attrs, 'LayerNorm'));
    return ctx.tensor(x.shape, x.dtype);
  },
  flops: (_a, _b, out) => STATS_COST * numelOf(out),
  onnx: layerNormLowering,
};

function checkGroups(op: string, x: Shape, groups: number, channels: number | null): void {
  if (x.length < 2) throw new ShapeError(`${op} expects an input with at least 2 dims [N, C, *], got ${showShape(x)}`);
  const c = x[1];
  if (channels !== null && dimEquals(c, channels) === false) {
    throw new ShapeError(`${op} expects ${channels} channels (num_channels) but got ${c.value} in dim 1 (input ${showShape(x)})`);
  }
  if (c.value !== null && c.value % groups !== 0) {
    throw new ShapeError(`${op}: the input's ${c.value} channels are not divisible by num_groups=${groups} (input ${showShape(x)})`);
  }
}

const groupNorm: ModuleOpDef = {
  kind: 'module',
  type: 'GroupNorm',
  family: 'norm',
  optionalTensors: ['weight', 'bias'],
  ctor: [req('num_groups'), req('num_channels'), opt('eps', vFloat(1e-5)), opt('affine', vBool(true)), ...factoryKwargs],
  forward: [req('input')],
  validate(attrs) {
    const g = numArg(attrs, 'num_groups', 'GroupNorm');
    const c = numArg(attrs, 'num_channels', 'GroupNorm');
    if (g < 1 || c % g !== 0) throw new ShapeError(`GroupNorm: num_channels must be divisible by num_groups (${c} % ${g} != 0)`);
  },
  tensors(attrs) {
    return boolArg(attrs, 'affine', 'GroupNorm') ? withParamDtype(affineTensors(numArg(attrs, 'num_channels', 'GroupNorm')), attrs, 'GroupNorm') : [];
  },
  infer(attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'GroupNorm');
    if (boolArg(attrs, 'affine', 'GroupNorm')) requireInputDtype('GroupNorm', x, paramDtype(attrs, 'GroupNorm'));
    if (x.shape) checkGroups('GroupNorm', x.shape, numArg(attrs, 'num_groups', 'GroupNorm'), numArg(attrs, 'num_channels', 'GroupNorm'));
    return ctx.tensor(x.shape, x.dtype);
  },
  flops: (_a, _b, out) => STATS_COST * numelOf(out),
  onnx: groupNormLowering,
};

const FN_NORM_ONNX: Record<string, OnnxLowering> = {
  'F.batch_norm': batchNormLowering,
  'F.instance_norm': instanceNormLowering,
  'F.layer_norm': layerNormLowering,
  'F.group_norm': groupNormLowering,
  'F.normalize': normalizeLowering,
};

/** Shape-preserving F.* norms: validation per function, output = input. */
function fnNorm(name: string, signature: FunctionOpDef['signature'], check: (x: TensorValue, args: BoundArgs) => void, cost: number): FunctionOpDef {
  return {
    kind: 'function',
    name,
    aliases: [name.replace(/^F\./, 'torch.nn.functional.')],
    family: 'norm',
    signature,
    infer(args, ctx) {
      const x = tensorArg(args, 'input', name);
      check(x, args);
      return ctx.tensor(x.shape, x.dtype);
    },
    flops: (_a, out) => cost * numelOf(out),
    onnx: FN_NORM_ONNX[name],
  };
}

function channelsFromTensor(args: BoundArgs, name: string): number | null {
  const v = args[name];
  if (!v || v.kind !== 'tensor' || !v.shape || v.shape.length !== 1) return null;
  return v.shape[0].value;
}

const fns: FunctionOpDef[] = [
  fnNorm(
    'F.batch_norm',
    [
      req('input'),
      req('running_mean'),
      req('running_var'),
      opt('weight', vNone),
      opt('bias', vNone),
      opt('training', vBool(false)),
      opt('momentum', vFloat(0.1)),
      opt('eps', vFloat(1e-5)),
    ],
    (x, args) => {
      const c = channelsFromTensor(args, 'running_mean') ?? channelsFromTensor(args, 'weight');
      if (x.shape && c !== null) {
        if (x.shape.length < 2) throw new ShapeError(`F.batch_norm expects an input with at least 2 dims, got ${showShape(x.shape)}`);
        checkChannels('F.batch_norm', x.shape, 1, c);
      }
    },
    BN_COST,
  ),
  fnNorm(
    'F.instance_norm',
    [
      req('input'),
      opt('running_mean', vNone),
      opt('running_var', vNone),
      opt('weight', vNone),
      opt('bias', vNone),
      opt('use_input_stats', vBool(true)),
      opt('momentum', vFloat(0.1)),
      opt('eps', vFloat(1e-5)),
    ],
    (x, args) => {
      const c = channelsFromTensor(args, 'weight');
      if (x.shape && c !== null && x.shape.length >= 2) checkChannels('F.instance_norm', x.shape, 1, c);
    },
    STATS_COST,
  ),
  fnNorm(
    'F.layer_norm',
    [req('input'), req('normalized_shape'), opt('weight', vNone), opt('bias', vNone), opt('eps', vFloat(1e-5))],
    (x, args) => {
      if (x.shape) checkNormalizedShape('F.layer_norm', x.shape, normalizedShape(args, 'F.layer_norm'));
    },
    STATS_COST,
  ),
  fnNorm(
    'F.group_norm',
    [req('input'), req('num_groups'), opt('weight', vNone), opt('bias', vNone), opt('eps', vFloat(1e-5))],
    (x, args) => {
      if (x.shape) checkGroups('F.group_norm', x.shape, numArg(args, 'num_groups', 'F.group_norm'), channelsFromTensor(args, 'weight'));
    },
    STATS_COST,
  ),
  fnNorm(
    'F.normalize',
    [req('input'), opt('p', vFloat(2)), opt('dim', vInt(1)), opt('eps', vFloat(1e-12)), opt('out', vNone)],
    (x, args) => {
      if (x.shape) normalizeAxis(numArg(args, 'dim', 'F.normalize'), x.shape.length, 'F.normalize');
    },
    3,
  ),
];

/** SyncBatchNorm: BatchNorm over any input with at least 2 dims (single-process: identical shapes). */
const syncBatchNorm: ModuleOpDef = {
  ...batchNormModule(2),
  type: 'SyncBatchNorm',
  ctor: statsNormCtor(true, [opt('process_group', vNone)]),
  infer(attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'SyncBatchNorm');
    if (x.shape) {
      if (x.shape.length < 2) throw new ShapeError(`SyncBatchNorm expects at least 2D input (got ${x.shape.length}D input)`);
      if (boolArg(attrs, 'affine', 'SyncBatchNorm') || boolArg(attrs, 'track_running_stats', 'SyncBatchNorm'))
        checkChannels('SyncBatchNorm', x.shape, 1, numArg(attrs, 'num_features', 'SyncBatchNorm'));
    }
    return ctx.tensor(x.shape, x.dtype);
  },
};

const localResponseNorm: ModuleOpDef = {
  kind: 'module',
  type: 'LocalResponseNorm',
  family: 'norm',
  ctor: [req('size'), opt('alpha', vFloat(1e-4)), opt('beta', vFloat(0.75)), opt('k', vFloat(1))],
  forward: [req('input')],
  tensors: () => [],
  infer(_attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'LocalResponseNorm');
    if (x.shape && x.shape.length < 3) throw new ShapeError(`LocalResponseNorm: expected 3D or higher dimensionality input (got ${x.shape.length} dimensions)`);
    return ctx.tensor(x.shape, x.dtype);
  },
  flops: (_a, _b, out) => STATS_COST * numelOf(out),
  onnx: lrnLowering,
};

registerOps([1, 2, 3].flatMap((nd) => [batchNormModule(nd), instanceNormModule(nd)]));
registerOps([syncBatchNorm, localResponseNorm]);
registerOps([layerNorm, groupNorm, ...fns]);
