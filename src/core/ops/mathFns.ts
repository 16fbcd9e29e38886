// Elementwise torch functions and Tensor methods: add/sub/mul/div/pow/maximum/comparisons, where, clamp, masked_fill, exp/log/sqrt/abs…
import { dimEquals } from '../shape/dim';
import { DType } from '../shape/shape';
import { describe, tensorArg } from './args';
import { broadcastShapes } from './broadcast';
import { numelOf } from './flopsCount';
import { BinaryKind, elementwise } from './operators';
import { category } from './promote';
import { registerOps } from './registry';
import { kw, opt, req, vInt, vNone } from './sig';
import { showShape } from './showShape';
import { tensorFn } from './tensorFn';
import { BoundArgs, FunctionOpDef, InferContext, OpDef, ParamSpec, ShapeError, UnknownArgError } from './types';
import type { OnnxLowering } from './lowering';
import { PyValue, TensorValue } from './values';
import { BINARY_LOWERINGS, clampLowering, fillLowering, maskedFillLowering, UNARY_LOWERINGS, whereLowering } from './lowerElementwise';

/** In-place forms keep self's shape and dtype; the other operand must broadcast to it. */
function inPlaceResult(op: string, x: TensorValue, out: TensorValue, ctx: InferContext): PyValue {
  if (x.shape && out.shape && (x.shape.length !== out.shape.length || x.shape.some((d, i) => dimEquals(d, out.shape![i]) === false))) {
    throw new ShapeError(`${op}: output with shape ${showShape(x.shape)} doesn't match the broadcast shape ${showShape(out.shape)}`);
  }
  if (category(out.dtype) > category(x.dtype)) throw new ShapeError(`${op}: result type ${out.dtype} can't be cast to the desired output type ${x.dtype}`);
  return ctx.tensor(x.shape, x.dtype);
}

interface BinarySpec {
  readonly names: readonly string[];
  readonly other: string;
  readonly kind: BinaryKind;
  /** Keyword-only options after `other` (alpha, rounding_mode). */
  readonly extra?: readonly ParamSpec[];
  readonly inPlace?: boolean;
  /** `torch.<name>(Number, Tensor)` is an overload too (`torch.pow(2.0, t)`). */
  readonly scalarSelf?: boolean;
}

/** The function form of an op whose first operand may be a Python number when the other is a tensor. */
function scalarSelfFn(n: string, spec: BinarySpec, onnx: OnnxLowering | undefined): FunctionOpDef {
  const key = `torch.${n}`;
  return {
    kind: 'function',
    name: key,
    family: 'elementwise',
    signature: [req('input'), req(spec.other), ...(spec.extra ?? []), kw('out', vNone)],
    infer(args, ctx) {
      const x = args.input;
      const y = args[spec.other];
      if (x.kind === 'unknown' || y.kind === 'unknown') throw new UnknownArgError(`${key}: an operand is unknown`);
      if (x.kind !== 'tensor' && y.kind !== 'tensor')
        throw new ShapeError(`${key}: one of 'input' and '${spec.other}' must be a Tensor, got ${describe(x)} and ${describe(y)}`);
      return elementwise(key, [x, y], spec.kind, ctx);
    },
    flops: (_a, o) => numelOf(o),
    onnx,
  };
}

function binary(spec: BinarySpec): OpDef[] {
  const out: OpDef[] = [];
  for (const n of spec.names) {
    const infer = (x: TensorValue, args: BoundArgs, ctx: InferContext, op: string): TensorValue => {
      let kind = spec.kind;
      // div with rounding_mode keeps integer dtypes like floor division.
      const rm = args.rounding_mode;
      if (kind === 'truediv' && rm && rm.kind === 'str') kind = 'floordiv';
      return elementwise(op, [x, args[spec.other]], kind, ctx);
    };
    const onnx = BINARY_LOWERINGS[n];
    if (spec.scalarSelf) out.push(scalarSelfFn(n, spec, onnx));
    else
      out.push(
        ...tensorFn({
          keys: [`torch.${n}`],
          family: 'elementwise',
          params: [req(spec.other), ...(spec.extra ?? []), kw('out', vNone)],
          infer,
          flops: (_a, o) => numelOf(o),
          onnx,
        }),
      );
    out.push(
      ...tensorFn({
        keys: [`Tensor.${n}`],
        family: 'elementwise',
        params: [req(spec.other), ...(spec.extra ?? [])],
        infer,
        flops: (_a, o) => numelOf(o),
        onnx,
      }),
    );
    if (spec.inPlace) {
      out.push(
        ...tensorFn({
          keys: [`Tensor.${n}_`],
          family: 'elementwise',
          params: [req(spec.other), ...(spec.extra ?? [])],
          inPlace: true,
          infer: (x, args, ctx, op) => inPlaceResult(op, x, infer(x, args, ctx, op), ctx),
          flops: (_a, o) => numelOf(o),
          onnx,
        }),
      );
    }
  }
  return out;
}

/** Unary math: `float` ops turn integer inputs into float32; `keep` ops keep the dtype. */
function unary(names: readonly string[], rule: 'float' | 'keep' | 'bool' | 'floatOnly'): OpDef[] {
  const dtypeOf = (x: TensorValue, op: string): DType => {
    // frac has no integer kernel.
    if (rule === 'floatOnly' && category(x.dtype) < 2) throw new ShapeError(`${op} is not implemented for ${x.dtype} tensors`);
    return rule === 'bool' ? 'bool' : rule === 'float' && category(x.dtype) < 2 ? 'float32' : x.dtype;
  };
  return names.flatMap((n) => [
    ...tensorFn({
      keys: [`torch.${n}`],
      family: 'elementwise',
      params: [kw('out', vNone)],
      infer: (x, _a, c, op) => c.tensor(x.shape, dtypeOf(x, op)),
      flops: (_a, o) => numelOf(o),
      onnx: UNARY_LOWERINGS[n],
    }),
    ...tensorFn({
      keys: [`Tensor.${n}`],
      family: 'elementwise',
      params: [],
      infer: (x, _a, c, op) => c.tensor(x.shape, dtypeOf(x, op)),
      flops: (_a, o) => numelOf(o),
      onnx: UNARY_LOWERINGS[n],
    }),
    ...(rule === 'bool'
      ? []
      : tensorFn({
          keys: [`Tensor.${n}_`],
          family: 'elementwise',
          params: [],
          inPlace: true,
          infer: (x, _a, c, op) => {
            if ((rule === 'float' || rule === 'floatOnly') && category(x.dtype) < 2)
              throw new ShapeError(`${op}: result type Float can't be cast to the desired output type ${x.dtype}`);
            return c.tensor(x.shape, x.dtype);
          },
          flops: (_a, o) => numelOf(o),
          onnx: UNARY_LOWERINGS[n],
        })),
  ]);
}

const scalarOrNone = (v: PyValue | undefined): boolean => !v || v.kind === 'none' || v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';

const defs: OpDef[] = [
  ...binary({ names: ['add', 'sub', 'subtract'], other: 'other', kind: 'arith', extra: [kw('alpha', vInt(1))], inPlace: true }),
  ...binary({ names: ['mul', 'multiply'], other: 'other', kind: 'arith', inPlace: true }),
  ...binary({ names: ['div', 'divide'], other: 'other', kind: 'truediv', extra: [kw('rounding_mode', vNone)], inPlace: true }),
  ...binary({ names: ['true_divide'], other: 'other', kind: 'truediv' }),
  ...binary({ names: ['floor_divide', 'remainder', 'fmod'], other: 'other', kind: 'arith' }),
  ...binary({ names: ['pow'], other: 'exponent', kind: 'arith', inPlace: true, scalarSelf: true }),
  ...binary({ names: ['maximum', 'minimum', 'fmax', 'fmin', 'atan2'], other: 'other', kind: 'arith' }),
  ...binary({ names: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'greater', 'less', 'greater_equal', 'less_equal', 'not_equal'], other: 'other', kind: 'compare' }),
  ...binary({ names: ['logical_and', 'logical_or', 'logical_xor'], other: 'other', kind: 'compare' }),
  ...binary({ names: ['bitwise_and', 'bitwise_or', 'bitwise_xor'], other: 'other', kind: 'bitwise' }),
  ...unary(
    [
      'exp',
      'exp2',
      'expm1',
      'log',
      'log2',
      'log10',
      'log1p',
      'sqrt',
      'rsqrt',
      'sin',
      'cos',
      'tan',
      'asin',
      'acos',
      'atan',
      'sinh',
      'cosh',
      'erf',
      'erfc',
      'reciprocal',
    ],
    'float',
  ),
  ...unary(['abs', 'neg', 'negative', 'sign', 'floor', 'ceil', 'round', 'trunc', 'square'], 'keep'),
  ...unary(['frac'], 'floatOnly'),
  ...unary(['isnan', 'isinf', 'isfinite', 'logical_not'], 'bool'),
  ...tensorFn({
    keys: ['torch.where'],
    first: 'condition',
    family: 'elementwise',
    params: [req('input'), req('other')],
    infer(cond, args, ctx, op) {
      const out = elementwise(op, [args.input, args.other], 'arith', ctx);
      if (!cond.shape || !out.shape) return ctx.tensor(null, out.dtype);
      return ctx.tensor(broadcastShapes(cond.shape, out.shape, op), out.dtype);
    },
    onnx: whereLowering,
  }),
  ...['torch.clamp', 'Tensor.clamp', 'torch.clip', 'Tensor.clip', 'Tensor.clamp_'].flatMap((key) =>
    tensorFn({
      keys: [key],
      family: 'elementwise',
      params: [opt('min', vNone), opt('max', vNone)],
      inPlace: key.endsWith('_'),
      infer(x, args, ctx, op) {
        if (scalarOrNone(args.min) && scalarOrNone(args.max)) {
          if ((!args.min || args.min.kind === 'none') && (!args.max || args.max.kind === 'none')) {
            throw new ShapeError(`${op}: at least one of 'min' or 'max' must not be None`);
          }
          return ctx.tensor(x.shape, x.dtype);
        }
        const operands = [x, args.min, args.max].filter((v): v is PyValue => !!v && v.kind !== 'none');
        const out = elementwise(op, operands, 'arith', ctx);
        return key.endsWith('_') ? inPlaceResult(op, x, out, ctx) : out;
      },
      flops: (_a, o) => numelOf(o),
      onnx: clampLowering,
    }),
  ),
  ...['Tensor.masked_fill', 'Tensor.masked_fill_', 'torch.masked_fill'].flatMap((key) =>
    tensorFn({
      keys: [key],
      family: 'elementwise',
      params: [req('mask'), req('value')],
      inPlace: key.endsWith('_'),
      infer(x, args, ctx, op) {
        const mask = tensorArg(args, 'mask', op);
        if (mask.dtype !== 'bool') throw new ShapeError(`${op} only supports boolean masks, but got a ${mask.dtype} mask`);
        if (x.shape && mask.shape) {
          const b = broadcastShapes(x.shape, mask.shape, op);
          if (b.length !== x.shape.length || b.some((d, i) => dimEquals(d, x.shape![i]) === false)) {
            throw new ShapeError(`${op}: the mask ${showShape(mask.shape)} must broadcast to the tensor's shape ${showShape(x.shape)}`);
          }
        }
        const v = args.value;
        if (v && v.kind !== 'tensor' && !scalarOrNone(v)) throw new ShapeError(`${op}: value must be a number or a 0-d tensor, not ${describe(v)}`);
        return ctx.tensor(x.shape, x.dtype);
      },
      onnx: maskedFillLowering,
    }),
  ),
  ...tensorFn({
    keys: ['Tensor.fill_'],
    family: 'elementwise',
    params: [req('value')],
    inPlace: true,
    infer: (x, _a, c) => c.tensor(x.shape, x.dtype),
    onnx: fillLowering('value'),
  }),
  ...tensorFn({
    keys: ['Tensor.zero_'],
    family: 'elementwise',
    params: [],
    inPlace: true,
    infer: (x, _a, c) => c.tensor(x.shape, x.dtype),
    onnx: fillLowering(0),
  }),
];
registerOps(defs);
