// Activations: nn.ReLU … nn.LogSoftmax, their F.* / torch.* / Tensor.* forms and in-place variants.
import { dimEquals, dimFloorDiv } from '../shape/dim';
import { floatArg, isNone, numArg, optNumArg, strArg, tensorArg } from './args';
import { normalizeAxis } from './axes';
import { numelOf } from './flopsCount';
import { registerOps } from './registry';
import { factoryKwargs, kw, opt, req, vBool, vFloat, vInt, vNone, vStr } from './sig';
import { showShape } from './showShape';
import { BoundArgs, FunctionOpDef, ModuleOpDef, OpDef, ParamSpec, ShapeError } from './types';
import { TensorValue } from './values';
import type { OnnxLowering } from './lowering';
import { optNumber, unary } from './lowerCommon';
import { rreluLowering } from './lowerElementwise';
import { gluLowering, hardshrinkLowering, logsigmoidLowering, softmax2dLowering, softshrinkLowering, thresholdLowering } from './lowerElementwise';
import {
  clipLowering,
  geluLowering,
  mishLowering,
  preluLowering,
  siluLowering,
  softmaxLowering,
  softplusLowering,
  tanhshrinkLowering,
} from './lowerElementwise';
import { attr } from './lowering';
import { withParamDtype } from './paramDtype';
import { withNativeAliases } from './tensorFn';

interface ActivationSpec {
  /** nn class name, or null when there is no module form. */
  readonly module: string | null;
  /** Module constructor parameters (PyTorch's, in order). */
  readonly ctor: readonly ParamSpec[];
  /** F.<fn> name and its parameters after `input`, or null. */
  readonly fn: string | null;
  readonly fnParams: readonly ParamSpec[];
  /** Also `torch.<name>` (same params as F) and `Tensor.<name>`; plus `_` in-place forms when true. */
  readonly torch?: boolean;
  readonly method?: boolean;
  readonly inPlaceForms?: boolean;
  /** Arithmetic steps per element (see flopsCount.ts). */
  readonly cost: number;
  readonly check?: (x: TensorValue, attrs: BoundArgs, op: string) => void;
  /** ONNX lowering shared by the module and function forms (options come from attrs or args). */
  readonly onnx?: OnnxLowering;
}

const inplace = opt('inplace', vBool(false));

/** Softmax's legacy implicit dim (torch's `_get_softmax_dim`): 0 for 0-, 1- and 3-d inputs, else 1. */
function softmaxDim(x: TensorValue, args: BoundArgs, op: string): void {
  if (!x.shape) return;
  const d = isNone(args.dim) ? (x.shape.length <= 1 || x.shape.length === 3 ? 0 : 1) : numArg(args, 'dim', op);
  normalizeAxis(d, x.shape.length, op);
}

function preluCheck(x: TensorValue, attrs: BoundArgs, op: string): void {
  const n = numArg(attrs, 'num_parameters', op);
  if (n === 1 || !x.shape || x.shape.length < 2) return;
  if (dimEquals(x.shape[1], n) === false) {
    throw new ShapeError(`${op}: ${n} parameters (num_parameters) but the input ${showShape(x.shape)} has ${x.shape[1].value} channels in dim 1`);
  }
}

const SPECS: readonly ActivationSpec[] = [
  { module: 'ReLU', ctor: [inplace], fn: 'relu', fnParams: [inplace], torch: true, method: true, inPlaceForms: true, onnx: unary('Relu'), cost: 1 },
  { module: 'ReLU6', ctor: [inplace], fn: 'relu6', fnParams: [inplace], onnx: clipLowering(0, 6), cost: 1 },
  {
    module: 'LeakyReLU',
    ctor: [opt('negative_slope', vFloat(0.01)), inplace],
    fn: 'leaky_relu',
    fnParams: [opt('negative_slope', vFloat(0.01)), inplace],
    onnx: unary('LeakyRelu', (c) => ({ alpha: attr.float(optNumber(c, 'negative_slope', 0.01)) })),
    cost: 1,
  },
  {
    module: 'ELU',
    ctor: [opt('alpha', vFloat(1)), inplace],
    fn: 'elu',
    fnParams: [opt('alpha', vFloat(1)), inplace],
    onnx: unary('Elu', (c) => ({ alpha: attr.float(optNumber(c, 'alpha', 1)) })),
    cost: 1,
  },
  {
    module: 'CELU',
    ctor: [opt('alpha', vFloat(1)), inplace],
    fn: 'celu',
    fnParams: [opt('alpha', vFloat(1)), inplace],
    onnx: unary('Celu', (c) => ({ alpha: attr.float(optNumber(c, 'alpha', 1)) })),
    cost: 1,
  },
  { module: 'SELU', ctor: [inplace], fn: 'selu', fnParams: [inplace], onnx: unary('Selu'), cost: 1 },
  { module: 'GELU', ctor: [opt('approximate', vStr('none'))], fn: 'gelu', fnParams: [opt('approximate', vStr('none'))], onnx: geluLowering, cost: 1 },
  { module: 'SiLU', ctor: [inplace], fn: 'silu', fnParams: [inplace], onnx: siluLowering, cost: 1 },
  { module: 'Mish', ctor: [inplace], fn: 'mish', fnParams: [inplace], onnx: mishLowering, cost: 1 },
  { module: 'Hardswish', ctor: [inplace], fn: 'hardswish', fnParams: [inplace], onnx: unary('HardSwish'), cost: 1 },
  {
    module: 'Hardsigmoid',
    ctor: [inplace],
    fn: 'hardsigmoid',
    fnParams: [inplace],
    onnx: unary('HardSigmoid', () => ({ alpha: attr.float(1 / 6), beta: attr.float(0.5) })),
    cost: 1,
  },
  {
    module: 'Hardtanh',
    ctor: [opt('min_val', vFloat(-1)), opt('max_val', vFloat(1)), inplace],
    fn: 'hardtanh',
    fnParams: [opt('min_val', vFloat(-1)), opt('max_val', vFloat(1)), inplace],
    onnx: clipLowering('min_val', 'max_val'),
    cost: 1,
  },
  {
    module: 'Softplus',
    ctor: [opt('beta', vInt(1)), opt('threshold', vInt(20))],
    fn: 'softplus',
    fnParams: [opt('beta', vInt(1)), opt('threshold', vInt(20))],
    onnx: softplusLowering,
    cost: 1,
  },
  { module: 'Sigmoid', ctor: [], fn: 'sigmoid', fnParams: [], torch: true, method: true, inPlaceForms: true, onnx: unary('Sigmoid'), cost: 1 },
  { module: 'Tanh', ctor: [], fn: 'tanh', fnParams: [], torch: true, method: true, inPlaceForms: true, onnx: unary('Tanh'), cost: 1 },
  { module: 'Softsign', ctor: [], fn: 'softsign', fnParams: [], onnx: unary('Softsign'), cost: 1 },
  { module: 'Tanhshrink', ctor: [], fn: 'tanhshrink', fnParams: [], onnx: tanhshrinkLowering, cost: 1 },
  { module: 'LogSigmoid', ctor: [], fn: 'logsigmoid', fnParams: [], onnx: logsigmoidLowering, cost: 1 },
  {
    module: 'Threshold',
    ctor: [req('threshold'), req('value'), inplace],
    fn: 'threshold',
    fnParams: [req('threshold'), req('value'), inplace],
    onnx: thresholdLowering,
    cost: 1,
  },
  { module: 'Hardshrink', ctor: [opt('lambd', vFloat(0.5))], fn: 'hardshrink', fnParams: [opt('lambd', vFloat(0.5))], onnx: hardshrinkLowering, cost: 1 },
  { module: 'Softshrink', ctor: [opt('lambd', vFloat(0.5))], fn: 'softshrink', fnParams: [opt('lambd', vFloat(0.5))], onnx: softshrinkLowering, cost: 1 },
  {
    module: 'RReLU',
    ctor: [opt('lower', vFloat(1 / 8)), opt('upper', vFloat(1 / 3)), inplace],
    fn: 'rrelu',
    fnParams: [opt('lower', vFloat(1 / 8)), opt('upper', vFloat(1 / 3)), opt('training', vBool(false)), inplace],
    cost: 1,
    onnx: rreluLowering,
  },
  {
    module: 'PReLU',
    ctor: [opt('num_parameters', vInt(1)), opt('init', vFloat(0.25)), ...factoryKwargs],
    fn: null,
    fnParams: [],
    cost: 1,
    check: preluCheck,
    onnx: preluLowering,
  },
];

/** The F.<name>_ in-place functions torch actually defines (F.relu6_ or F.silu_ do not exist). */
const F_INPLACE = new Set(['leaky_relu', 'elu', 'celu', 'selu', 'hardtanh', 'threshold', 'rrelu']);

/** Softmax-like ops take `dim` (and an optional `dtype`) and normalise along it. */
const SOFTMAX_LIKE = ['softmax', 'log_softmax', 'softmin'];

function moduleDef(spec: ActivationSpec): ModuleOpDef {
  const type = spec.module as string;
  return {
    kind: 'module',
    type,
    family: 'activation',
    ctor: spec.ctor,
    forward: [req('input')],
    validate(attrs) {
      if (type === 'GELU') {
        const a = strArg(attrs, 'approximate', type);
        if (a !== 'none' && a !== 'tanh') throw new ShapeError(`GELU: approximate must be 'none' or 'tanh', got '${a}'`);
      }
      if (type === 'PReLU' && numArg(attrs, 'num_parameters', type) < 1) throw new ShapeError('PReLU: num_parameters must be at least 1');
    },
    tensors(attrs) {
      if (type !== 'PReLU') return [];
      return withParamDtype(
        [
          {
            name: 'weight',
            shape: [numArg(attrs, 'num_parameters', type)],
            dtype: 'float32',
            role: 'param',
            init: { kind: 'constant', value: floatArg(attrs, 'init', type) },
          },
        ],
        attrs,
        type,
      );
    },
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      spec.check?.(x, attrs, type);
      return ctx.tensor(x.shape, x.dtype);
    },
    flops(_attrs, _args, out) {
      return spec.cost * numelOf(out);
    },
    onnx: spec.onnx,
  };
}

function functionDefs(spec: ActivationSpec): FunctionOpDef[] {
  if (!spec.fn) return [];
  const fn = spec.fn;
  const defs: FunctionOpDef[] = [];
  const make = (name: string, aliases: string[], kind: 'function' | 'method', signature: ParamSpec[], inPlace: boolean): FunctionOpDef => ({
    kind,
    name,
    aliases,
    family: 'activation',
    signature,
    inPlace,
    infer(args, ctx) {
      const x = tensorArg(args, kind === 'method' ? 'self' : 'input', name);
      return ctx.tensor(x.shape, x.dtype);
    },
    flops(_args, out) {
      return spec.cost * numelOf(out);
    },
    onnx: spec.onnx,
  });
  // torch.sigmoid / Tensor.sigmoid etc. take no extra options (F.relu's `inplace` is F-only).
  defs.push(make(`F.${fn}`, [`torch.nn.functional.${fn}`], 'function', [req('input'), ...spec.fnParams], false));
  if (spec.torch) defs.push(make(`torch.${fn}`, [], 'function', [req('input'), kw('out', vNone)], false));
  if (spec.method) defs.push(make(`Tensor.${fn}`, [], 'method', [req('self')], false));
  if (spec.inPlaceForms) {
    defs.push(make(`torch.${fn}_`, fn === 'relu' ? ['F.relu_', 'torch.nn.functional.relu_'] : [], 'function', [req('input')], true));
    defs.push(make(`Tensor.${fn}_`, [], 'method', [req('self')], true));
  } else if (F_INPLACE.has(fn)) {
    defs.push(make(`F.${fn}_`, [`torch.nn.functional.${fn}_`], 'function', [req('input'), ...spec.fnParams.filter((p) => p.name !== 'inplace')], true));
  }
  return defs;
}

const SOFTMAX_ONNX: Record<string, OnnxLowering> = {
  Softmax: softmaxLowering('Softmax'),
  LogSoftmax: softmaxLowering('LogSoftmax'),
  Softmin: softmaxLowering('Softmax', true),
  softmax: softmaxLowering('Softmax'),
  log_softmax: softmaxLowering('LogSoftmax'),
  softmin: softmaxLowering('Softmax', true),
};

function softmaxModule(type: string): ModuleOpDef {
  return {
    kind: 'module',
    type,
    family: 'activation',
    ctor: [opt('dim', vNone)],
    forward: [req('input')],
    tensors: () => [],
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      softmaxDim(x, attrs, type);
      return ctx.tensor(x.shape, x.dtype);
    },
    flops: (_a, _b, out) => 3 * numelOf(out),
    onnx: SOFTMAX_ONNX[type],
  };
}

function softmaxFunctions(fn: string): FunctionOpDef[] {
  const build = (name: string, aliases: string[], kind: 'function' | 'method', signature: ParamSpec[]): FunctionOpDef => ({
    kind,
    name,
    aliases,
    family: 'activation',
    signature,
    infer(args, ctx) {
      const x = tensorArg(args, kind === 'method' ? 'self' : 'input', name);
      if (kind === 'function' && name.startsWith('torch.')) optNumArg(args, 'dim', name);
      softmaxDim(x, args, name);
      return ctx.tensor(x.shape, x.dtype);
    },
    flops: (_a, out) => 3 * numelOf(out),
    onnx: SOFTMAX_ONNX[fn],
  });
  const defs = [
    build(`F.${fn}`, [`torch.nn.functional.${fn}`], 'function', [req('input'), opt('dim', vNone), opt('_stacklevel', vInt(3)), opt('dtype', vNone)]),
  ];
  if (fn !== 'softmin') {
    defs.push(build(`torch.${fn}`, [], 'function', withNativeAliases(`torch.${fn}`, [req('input'), req('dim'), opt('dtype', vNone)])));
    defs.push(build(`Tensor.${fn}`, [], 'method', withNativeAliases(`Tensor.${fn}`, [req('self'), req('dim'), opt('dtype', vNone)])));
  }
  return defs;
}

const prelu: FunctionOpDef = {
  kind: 'function',
  name: 'F.prelu',
  aliases: ['torch.nn.functional.prelu', 'torch.prelu'],
  family: 'activation',
  signature: [req('input'), req('weight')],
  infer(args, ctx) {
    const x = tensorArg(args, 'input', 'F.prelu');
    const w = tensorArg(args, 'weight', 'F.prelu');
    const n = w.shape && w.shape.length === 1 ? w.shape[0].value : null;
    if (n !== null && n !== 1 && x.shape && x.shape.length >= 2 && dimEquals(x.shape[1], n) === false) {
      throw new ShapeError(`F.prelu: weight has ${n} elements but the input ${showShape(x.shape)} has ${x.shape[1].value} channels in dim 1`);
    }
    return ctx.tensor(x.shape, x.dtype);
  },
  flops: (_a, out) => numelOf(out),
  onnx: preluLowering,
};

/** GLU splits `dim` in half: a * sigmoid(b). */
function gluShape(op: string, x: TensorValue, d: number): TensorValue['shape'] {
  if (!x.shape) return null;
  if (x.shape.length === 0) throw new ShapeError(`${op} does not support scalars because halving size must be even`);
  const axis = normalizeAxis(d, x.shape.length, op);
  const n = x.shape[axis];
  if (n.value !== null && n.value % 2 !== 0)
    throw new ShapeError(`${op}: halving dimension must be even, but dimension ${axis} is size ${n.value} (input ${showShape(x.shape)})`);
  return x.shape.map((s, i) => (i === axis ? dimFloorDiv(s, 2) : s));
}

const glu: OpDef[] = [
  {
    kind: 'module',
    type: 'GLU',
    family: 'activation',
    ctor: [opt('dim', vInt(-1))],
    forward: [req('input')],
    tensors: () => [],
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', 'GLU');
      return ctx.tensor(gluShape('GLU', x, numArg(attrs, 'dim', 'GLU')), x.dtype);
    },
    flops: (_a, _b, out) => 2 * numelOf(out),
    onnx: gluLowering,
  },
  {
    kind: 'function',
    name: 'F.glu',
    aliases: ['torch.nn.functional.glu'],
    family: 'activation',
    signature: [req('input'), opt('dim', vInt(-1))],
    infer(args, ctx) {
      const x = tensorArg(args, 'input', 'F.glu');
      return ctx.tensor(gluShape('F.glu', x, numArg(args, 'dim', 'F.glu')), x.dtype);
    },
    flops: (_a, out) => 2 * numelOf(out),
    onnx: gluLowering,
  },
  {
    kind: 'module',
    type: 'Softmax2d',
    family: 'activation',
    ctor: [],
    forward: [req('input')],
    tensors: () => [],
    infer(_attrs, args, ctx) {
      const x = tensorArg(args, 'input', 'Softmax2d');
      if (x.shape && x.shape.length !== 3 && x.shape.length !== 4)
        throw new ShapeError(`Softmax2d: expected input to be 3D or 4D, got ${x.shape.length}D input ${showShape(x.shape)}`);
      return ctx.tensor(x.shape, x.dtype);
    },
    flops: (_a, _b, out) => 3 * numelOf(out),
    onnx: softmax2dLowering,
  },
];

const defs: OpDef[] = [
  ...glu,
  ...SPECS.flatMap((s) => [...(s.module ? [moduleDef(s)] : []), ...functionDefs(s)]),
  softmaxModule('Softmax'),
  softmaxModule('LogSoftmax'),
  softmaxModule('Softmin'),
  ...SOFTMAX_LIKE.flatMap(softmaxFunctions),
  prelu,
];
registerOps(defs);
