// Tensor metadata and casts: size/shape/dim/ndim/numel/dtype attributes and methods, float()/long()/to()/type().
import { DType } from '../shape/shape';
import { describe, dtypeOf, isNone, numArg, pyDtype, pyInt, pySize, pyStr, seqItems, tensorArg } from './args';
import { normalizeAxis } from './axes';
import { registerOps } from './registry';
import { dimProduct } from './reshapeTarget';
import { opt, req, star, starstar, vBool, vNone } from './sig';
import { tensorFn } from './tensorFn';
import { BoundArgs, OpDef, ShapeError, UnknownArgError } from './types';
import { PyValue, TensorValue } from './values';
import { castToOutput } from './lowerCommon';

function knownShape(x: TensorValue, op: string) {
  if (!x.shape) throw new UnknownArgError(`${op}: the tensor's rank is unknown`);
  return x.shape;
}

const CASTS: Readonly<Record<string, DType>> = {
  float: 'float32',
  double: 'float64',
  half: 'float16',
  bfloat16: 'bfloat16',
  long: 'int64',
  int: 'int32',
  short: 'int16',
  char: 'int8',
  byte: 'uint8',
  bool: 'bool',
};

/** Legacy tensor type names accepted by `Tensor.type(...)`. */
const LEGACY_TYPES: Readonly<Record<string, DType>> = {
  FloatTensor: 'float32',
  DoubleTensor: 'float64',
  HalfTensor: 'float16',
  BFloat16Tensor: 'bfloat16',
  LongTensor: 'int64',
  IntTensor: 'int32',
  ShortTensor: 'int16',
  CharTensor: 'int8',
  ByteTensor: 'uint8',
  BoolTensor: 'bool',
};

const LEGACY_NAME: Readonly<Record<DType, string>> = {
  float32: 'FloatTensor',
  float64: 'DoubleTensor',
  float16: 'HalfTensor',
  bfloat16: 'BFloat16Tensor',
  int64: 'LongTensor',
  int32: 'IntTensor',
  int16: 'ShortTensor',
  int8: 'CharTensor',
  uint8: 'ByteTensor',
  bool: 'BoolTensor',
};

/** `x.to(...)`: the dtype among the positional args (a dtype, or a tensor whose dtype is taken) or `dtype=`. */
function toDtype(x: TensorValue, args: BoundArgs, op: string): DType {
  const kwargs = args.kwargs;
  if (kwargs && kwargs.kind === 'dict') {
    const d = kwargs.entries.get('dtype');
    if (d && !isNone(d)) return dtypeOf(d, op, 'dtype') ?? x.dtype;
  }
  for (const v of seqItems(args.args ?? vNone) ?? []) {
    if (v.kind === 'tensor') return v.dtype;
    if (v.kind === 'object' && v.typeName === 'torch.dtype') return dtypeOf(v, op, 'dtype') ?? x.dtype;
    if (v.kind === 'unknown') throw new UnknownArgError(`${op}: an argument is unknown`);
  }
  return x.dtype;
}

const defs: OpDef[] = [
  ...tensorFn({
    keys: ['Tensor.size'],
    family: 'tensor',
    params: [opt('dim', vNone)],
    infer: (x, a, _c, op): PyValue => {
      const s = knownShape(x, op);
      if (isNone(a.dim)) return pySize(s);
      return pyInt(s[normalizeAxis(numArg(a, 'dim', op), s.length, op)]);
    },
  }),
  ...tensorFn({ keys: ['Tensor.shape'], family: 'tensor', params: [], infer: (x, _a, _c, op) => pySize(knownShape(x, op)) }),
  ...tensorFn({
    keys: ['Tensor.dim', 'Tensor.ndimension', 'Tensor.ndim'],
    family: 'tensor',
    params: [],
    infer: (x, _a, _c, op) => pyInt(knownShape(x, op).length),
  }),
  ...tensorFn({
    keys: ['Tensor.numel', 'Tensor.nelement', 'torch.numel'],
    family: 'tensor',
    params: [],
    infer: (x, _a, _c, op) => pyInt(dimProduct(knownShape(x, op))),
  }),
  ...tensorFn({ keys: ['Tensor.dtype'], family: 'tensor', params: [], infer: (x) => pyDtype(x.dtype) }),
  ...Object.entries(CASTS).flatMap(([name, dt]) =>
    tensorFn({
      keys: [`Tensor.${name}`],
      family: 'tensor',
      params: [opt('memory_format', vNone)],
      infer: (x, _a, c) => c.tensor(x.shape, dt),
      onnx: castToOutput,
    }),
  ),
  ...tensorFn({
    keys: ['Tensor.to'],
    family: 'tensor',
    params: [star('args'), starstar('kwargs')],
    onnx: castToOutput,
    infer: (x, a, c, op) => c.tensor(x.shape, toDtype(x, a, op)),
  }),
  ...tensorFn({
    keys: ['Tensor.type'],
    family: 'tensor',
    params: [opt('dtype', vNone), opt('non_blocking', vBool(false)), starstar('kwargs')],
    onnx: castToOutput,
    infer: (x, a, c, op): PyValue => {
      const t = a.dtype;
      if (!t || t.kind === 'none') return pyStr(`torch.${LEGACY_NAME[x.dtype]}`);
      if (t.kind === 'str') {
        const legacy = LEGACY_TYPES[t.value.replace(/^torch\.(cuda\.)?/, '')];
        if (!legacy) throw new ShapeError(`${op}: invalid type '${t.value}'`);
        return c.tensor(x.shape, legacy);
      }
      if (t.kind === 'object' && t.typeName === 'torch.dtype') return c.tensor(x.shape, dtypeOf(t, op, 'dtype') ?? x.dtype);
      throw new ShapeError(`${op}: expected a dtype or type name, got ${describe(t)}`);
    },
  }),
  ...tensorFn({
    keys: ['Tensor.type_as'],
    family: 'tensor',
    params: [req('other')],
    onnx: castToOutput,
    infer: (x, a, c, op) => c.tensor(x.shape, tensorArg(a, 'other', op).dtype),
  }),
];

registerOps(defs);
