// Loss functions (F.* and nn.*Loss): reduction 'mean'/'sum' gives a 0-d tensor, 'none' the elementwise shape.
import { dimEquals } from '../shape/dim';
import { Shape } from '../shape/shape';
import { strArg, tensorArg } from './args';
import { broadcastShapes } from './broadcast';
import { numelOf } from './flopsCount';
import { isFloating } from './promote';
import { registerOps } from './registry';
import { opt, req, vFloat, vInt, vNone, vStr } from './sig';
import { showShape } from './showShape';
import { BoundArgs, FunctionOpDef, InferContext, ModuleOpDef, OpDef, ParamSpec, ShapeError } from './types';
import { PyValue, TensorValue } from './values';
import type { OnnxLowering } from './lowering';
import { classLossLowering, pointwiseLossLowering } from './lowerLoss';

type LossKind = 'class' | 'pointwise' | 'same';

const REDUCTIONS = ['none', 'mean', 'sum'];

function reduce(op: string, shape: Shape | null, reduction: string, x: TensorValue, ctx: InferContext): PyValue {
  // kl_div also accepts 'batchmean' (sum divided by the batch size).
  const allowed = op.includes('kl_div') || op.includes('KLDiv') ? [...REDUCTIONS, 'batchmean'] : REDUCTIONS;
  if (!allowed.includes(reduction)) throw new ShapeError(`${op}: ${reduction} is not a valid value for reduction`);
  return ctx.tensor(reduction === 'none' ? shape : [], x.dtype);
}

/** cross_entropy / nll_loss: input [N, C, *] (or [C]); target [N, *] class indices or input-shaped probabilities. */
function classShape(op: string, x: TensorValue, t: TensorValue): Shape | null {
  if (!x.shape || !t.shape) return null;
  const s = x.shape;
  if (s.length === 0) throw new ShapeError(`${op}: input must have a class dimension, got a 0-d tensor`);
  if (isFloating(t.dtype)) {
    if (t.shape.length !== s.length || t.shape.some((d, i) => dimEquals(d, s[i]) === false)) {
      throw new ShapeError(`${op}: class-probability targets must have the input's shape ${showShape(s)}, got ${showShape(t.shape)}`);
    }
    return s.length === 1 ? [] : [s[0], ...s.slice(2)];
  }
  const want = s.length === 1 ? [] : [s[0], ...s.slice(2)];
  if (t.shape.length !== want.length || t.shape.some((d, i) => dimEquals(d, want[i]) === false)) {
    throw new ShapeError(`${op}: for input ${showShape(s)} (class dim 1) the class-index target must be ${showShape(want)}, got ${showShape(t.shape)}`);
  }
  return want;
}

function lossShape(op: string, kind: LossKind, x: TensorValue, t: TensorValue): Shape | null {
  if (kind === 'class') return classShape(op, x, t);
  if (!x.shape || !t.shape) return null;
  if (kind === 'same' && (x.shape.length !== t.shape.length || x.shape.some((d, i) => dimEquals(d, t.shape![i]) === false))) {
    throw new ShapeError(`${op}: target size ${showShape(t.shape)} must be the same as input size ${showShape(x.shape)}`);
  }
  return broadcastShapes(x.shape, t.shape, op);
}

interface LossSpec {
  readonly fn: string;
  readonly module: string;
  readonly kind: LossKind;
  /** Parameters after (input, target) of the F form, and the module's constructor parameters. */
  readonly fnParams: readonly ParamSpec[];
  readonly ctor: readonly ParamSpec[];
}

const legacy = [opt('size_average', vNone), opt('reduce', vNone)];
const reduction = opt('reduction', vStr('mean'));

const SPECS: readonly LossSpec[] = [
  {
    fn: 'cross_entropy',
    module: 'CrossEntropyLoss',
    kind: 'class',
    fnParams: [
      opt('weight', vNone),
      opt('size_average', vNone),
      opt('ignore_index', vInt(-100)),
      opt('reduce', vNone),
      reduction,
      opt('label_smoothing', vFloat(0)),
    ],
    ctor: [
      opt('weight', vNone),
      opt('size_average', vNone),
      opt('ignore_index', vInt(-100)),
      opt('reduce', vNone),
      reduction,
      opt('label_smoothing', vFloat(0)),
    ],
  },
  {
    fn: 'nll_loss',
    module: 'NLLLoss',
    kind: 'class',
    fnParams: [opt('weight', vNone), opt('size_average', vNone), opt('ignore_index', vInt(-100)), opt('reduce', vNone), reduction],
    ctor: [opt('weight', vNone), opt('size_average', vNone), opt('ignore_index', vInt(-100)), opt('reduce', vNone), reduction],
  },
  { fn: 'mse_loss', module: 'MSELoss', kind: 'pointwise', fnParams: [...legacy, reduction], ctor: [...legacy, reduction] },
  { fn: 'l1_loss', module: 'L1Loss', kind: 'pointwise', fnParams: [...legacy, reduction], ctor: [...legacy, reduction] },
  {
    fn: 'smooth_l1_loss',
    module: 'SmoothL1Loss',
    kind: 'pointwise',
    fnParams: [...legacy, reduction, opt('beta', vFloat(1))],
    ctor: [...legacy, reduction, opt('beta', vFloat(1))],
  },
  {
    fn: 'kl_div',
    module: 'KLDivLoss',
    kind: 'pointwise',
    fnParams: [...legacy, reduction, opt('log_target', { kind: 'bool', value: false })],
    ctor: [...legacy, reduction, opt('log_target', { kind: 'bool', value: false })],
  },
  {
    fn: 'binary_cross_entropy',
    module: 'BCELoss',
    kind: 'same',
    fnParams: [opt('weight', vNone), ...legacy, reduction],
    ctor: [opt('weight', vNone), ...legacy, reduction],
  },
  {
    fn: 'binary_cross_entropy_with_logits',
    module: 'BCEWithLogitsLoss',
    kind: 'same',
    fnParams: [opt('weight', vNone), ...legacy, reduction, opt('pos_weight', vNone)],
    ctor: [opt('weight', vNone), ...legacy, reduction, opt('pos_weight', vNone)],
  },
];

const LOSS_ONNX: Readonly<Record<string, OnnxLowering>> = {
  cross_entropy: classLossLowering('cross_entropy'),
  nll_loss: classLossLowering('nll'),
  mse_loss: pointwiseLossLowering('mse'),
  l1_loss: pointwiseLossLowering('l1'),
  smooth_l1_loss: pointwiseLossLowering('smooth_l1'),
  kl_div: pointwiseLossLowering('kl_div'),
  binary_cross_entropy: pointwiseLossLowering('bce'),
  binary_cross_entropy_with_logits: pointwiseLossLowering('bce_logits'),
};

function effectiveReduction(args: BoundArgs, op: string): string {
  // The deprecated size_average/reduce flags override `reduction` when given.
  const sa = args.size_average;
  const rd = args.reduce;
  const flag = (v: PyValue | undefined) => (v && v.kind === 'bool' ? v.value : null);
  if (flag(sa) !== null || flag(rd) !== null) {
    if (flag(rd) === false) return 'none';
    return flag(sa) === false ? 'sum' : 'mean';
  }
  return strArg(args, 'reduction', op);
}

function fnDef(spec: LossSpec): FunctionOpDef {
  const name = `F.${spec.fn}`;
  return {
    kind: 'function',
    name,
    aliases: [`torch.nn.functional.${spec.fn}`],
    family: 'loss',
    signature: [req('input'), req('target'), ...spec.fnParams],
    infer(args, ctx) {
      const x = tensorArg(args, 'input', name);
      const t = tensorArg(args, 'target', name);
      return reduce(name, lossShape(name, spec.kind, x, t), effectiveReduction(args, name), x, ctx);
    },
    flops: (args) => 3 * numelOf(args.input),
    onnx: LOSS_ONNX[spec.fn],
  };
}

function moduleDef(spec: LossSpec): ModuleOpDef {
  const type = spec.module;
  return {
    kind: 'module',
    type,
    family: 'loss',
    ctor: spec.ctor,
    forward: [req('input'), req('target')],
    // Class weights given to a loss are user data (a buffer when passed); the default has none.
    tensors: () => [],
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      const t = tensorArg(args, 'target', type);
      return reduce(type, lossShape(type, spec.kind, x, t), effectiveReduction(attrs, type), x, ctx);
    },
    flops: (_a, args) => 3 * numelOf(args.input),
    onnx: LOSS_ONNX[spec.fn],
  };
}

const defs: OpDef[] = SPECS.flatMap((s) => [fnDef(s), moduleDef(s)]);
registerOps(defs);
