// Lazy layers: nn.LazyLinear, nn.LazyConv1d/2d/3d, nn.LazyConvTranspose1d/2d/3d, nn.LazyBatchNorm1d/2d/3d and
// nn.LazyInstanceNorm1d/2d/3d. Each is its non-lazy twin without the size PyTorch takes from the first input
// (in_features, in_channels, num_features): the `lazy` hook reads that size as torch does, and from the first call on
// the twin's own checks, tensors, init, shape rule, FLOPs and ONNX lowering apply. Roles are the twin's, so depth
// counting and fusion analysis see a lazy layer as the layer it becomes.
import './conv';
import './linear';
import './norm';
import { concreteOf, tensorArg } from './args';
import { moduleOp, opRole, registerOps } from './registry';
import { vBool } from './sig';
import { showShape } from './showShape';
import { BoundArgs, ModuleOpDef, ShapeError, UnknownArgError } from './types';
import type { PyValue } from './values';

/** The input's size along `axis(rank)`, as the lazy layer reads it on its first call. */
function inputSize(type: string, args: BoundArgs, axis: (rank: number, shape: string) => number): number {
  const x = tensorArg(args, 'input', type);
  if (!x.shape) throw new UnknownArgError(`${type}: the input's shape is not known, so its size cannot be inferred`);
  const i = axis(x.shape.length, showShape(x.shape));
  return concreteOf(x.shape[i], type, `input.shape[${i}]`);
}

/**
 * `type` as its twin minus the lazy argument: the twin's entry with that constructor parameter removed (and defaults
 * where the lazy class differs), no implied model input (its size comes from the input) and no last-axis constraint.
 */
function lazyTwin(
  type: string,
  twinType: string,
  arg: string,
  axis: (rank: number, shape: string) => number,
  defaults: Record<string, PyValue> = {},
): ModuleOpDef {
  const twin = moduleOp(twinType);
  if (!twin) throw new Error(`lazy layer ${type}: no entry nn.${twinType}`);
  const { impliedInput: _implied, lastAxisArg: _lastAxis, ...rest } = twin;
  void _implied;
  void _lastAxis;
  return {
    ...rest,
    type,
    role: opRole(twin),
    ctor: twin.ctor.filter((p) => p.name !== arg).map((p) => (p.name in defaults ? { ...p, default: defaults[p.name] } : p)),
    lazy: { args: [arg], fromInput: (args) => ({ [arg]: inputSize(type, args, axis) }) },
  };
}

/** Linear: the last axis. */
const lastAxis = (type: string) => (rank: number, shape: string) => {
  if (rank === 0) throw new ShapeError(`${type}: a 0-d input ${shape} has no last dimension to take in_features from`);
  return rank - 1;
};

/** Conv: the channel axis of an unbatched (nd+1) or batched (nd+2) input. */
const channelAxis = (type: string, nd: number) => (rank: number, shape: string) => {
  if (rank !== nd + 1 && rank !== nd + 2) {
    throw new ShapeError(`Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${type}, but got input of size: ${shape}`);
  }
  return rank === nd + 2 ? 1 : 0;
};

/** Norms: dim 1 whatever the rank (PyTorch's _LazyNormBase reads input.shape[1], also for unbatched input). */
const dimOne = (type: string) => (rank: number, shape: string) => {
  if (rank < 2) throw new ShapeError(`${type}: input ${shape} has no dim 1 to take num_features from`);
  return 1;
};

registerOps([
  lazyTwin('LazyLinear', 'Linear', 'in_features', lastAxis('LazyLinear')),
  ...[1, 2, 3].flatMap((nd) => [
    lazyTwin(`LazyConv${nd}d`, `Conv${nd}d`, 'in_channels', channelAxis(`LazyConv${nd}d`, nd)),
    lazyTwin(`LazyConvTranspose${nd}d`, `ConvTranspose${nd}d`, 'in_channels', channelAxis(`LazyConvTranspose${nd}d`, nd)),
    lazyTwin(`LazyBatchNorm${nd}d`, `BatchNorm${nd}d`, 'num_features', dimOne(`LazyBatchNorm${nd}d`)),
    // Unlike InstanceNorm, the lazy class defaults to affine=True and track_running_stats=True.
    lazyTwin(`LazyInstanceNorm${nd}d`, `InstanceNorm${nd}d`, 'num_features', dimOne(`LazyInstanceNorm${nd}d`), {
      affine: vBool(true),
      track_running_stats: vBool(true),
    }),
  ]),
]);
