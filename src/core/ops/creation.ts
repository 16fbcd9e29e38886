// Tensor creation: torch.zeros/ones/empty/randn/rand/full/arange/tensor/eye/linspace/randint, *_like and Tensor.new_*.
import { Dim, dim, dimCeilDiv, dimSub } from '../shape/dim';
import { DType, Shape } from '../shape/shape';
import { describe, dimsOf, dtypeOf, floatOf, intOf, isNone, seqItems, varIntsArg } from './args';
import { registerOps } from './registry';
import { kw, opt, req, star, vBool, vNone } from './sig';
import { tensorFn, withNativeAliases } from './tensorFn';
import { BoundArgs, FunctionOpDef, InitRule, OpDef, ParamSpec, ShapeError, UnknownArgError } from './types';
import { PyValue } from './values';
import { arangeLowering, eyeLowering, filledLowering, linspaceLowering, literalLowering } from './lowerCreation';

const factoryKw: readonly ParamSpec[] = [kw('out', vNone), kw('dtype', vNone), kw('layout', vNone), kw('device', vNone), kw('requires_grad', vBool(false))];
const likeKw: readonly ParamSpec[] = [
  kw('dtype', vNone),
  kw('layout', vNone),
  kw('device', vNone),
  kw('requires_grad', vBool(false)),
  kw('memory_format', vNone),
];

function explicitDtype(args: BoundArgs, op: string): DType | null {
  return isNone(args.dtype) ? null : dtypeOf(args.dtype, op, 'dtype');
}

function checkSizes(op: string, sizes: readonly Dim[]): Shape {
  for (const d of sizes)
    if (d.value !== null && d.value < 0)
      throw new ShapeError(`${op}: trying to create a tensor with negative dimension ${d.value}: [${sizes.map((x) => x.value).join(', ')}]`);
  return sizes;
}

/** Python scalar → the dtype torch infers for it. */
function scalarDtype(v: PyValue): DType {
  return v.kind === 'bool' ? 'bool' : v.kind === 'int' ? 'int64' : 'float32';
}

function sizedFactory(name: string, dflt: DType | null): FunctionOpDef {
  return {
    kind: 'function',
    name: `torch.${name}`,
    family: 'creation',
    signature: withNativeAliases(`torch.${name}`, [star('size'), ...factoryKw]),
    infer(args, ctx) {
      const op = `torch.${name}`;
      const shape = checkSizes(op, varIntsArg(args, 'size', op));
      return ctx.tensor(shape, explicitDtype(args, op) ?? dflt ?? 'float32');
    },
    // Random tensors have no deterministic ONNX form; zeros/ones/empty become filled constants.
    onnx: name === 'ones' ? filledLowering(1) : name === 'zeros' || name === 'empty' ? filledLowering(0) : undefined,
  };
}

const full: FunctionOpDef = {
  kind: 'function',
  name: 'torch.full',
  family: 'creation',
  signature: [req('size'), req('fill_value'), ...factoryKw],
  infer(args, ctx) {
    const shape = checkSizes('torch.full', dimsOf(args.size, 'torch.full', 'size'));
    return ctx.tensor(shape, explicitDtype(args, 'torch.full') ?? scalarDtype(args.fill_value));
  },
  onnx: filledLowering('fill_value'),
};

const arange: FunctionOpDef = {
  kind: 'function',
  name: 'torch.arange',
  family: 'creation',
  // torch.arange(end) or torch.arange(start, end, step): the binder sees (start, end=None, step=1).
  signature: [req('start'), opt('end', vNone), opt('step', { kind: 'int', dim: dim(1) }), ...factoryKw],
  onnx: arangeLowering,
  infer(args, ctx) {
    const op = 'torch.arange';
    const hasEnd = !isNone(args.end);
    const startV = hasEnd ? args.start : { kind: 'int' as const, dim: dim(0) };
    const endV = hasEnd ? args.end : args.start;
    const values = [startV, endV, args.step];
    const anyFloat = values.some((v) => v.kind === 'float');
    const dt = explicitDtype(args, op) ?? (anyFloat ? 'float32' : 'int64');
    let len: Dim;
    if (!anyFloat) {
      const [s, e, st] = values.map((v, i) => intOf(v, op, ['start', 'end', 'step'][i]));
      if (st.value === 0) throw new ShapeError(`${op}: step must be nonzero`);
      if (st.value === null) throw new UnknownArgError(`${op}: the step is not known`);
      if (s.value !== null && e.value !== null && ((st.value > 0 && e.value < s.value) || (st.value < 0 && e.value > s.value))) {
        throw new ShapeError(`${op}: upper bound and lower bound are inconsistent with the step sign (start ${s.value}, end ${e.value}, step ${st.value})`);
      }
      const span = dimSub(e, s);
      len = st.value > 0 ? dimCeilDiv(span, st.value) : dimCeilDiv(dimSub(s, e), -st.value);
      if (len.value !== null && len.value < 0) len = dim(0);
    } else {
      const [s, e, st] = values.map((v, i) => floatOf(v, op, ['start', 'end', 'step'][i]));
      if (st === 0) throw new ShapeError(`${op}: step must be nonzero`);
      if ((st > 0 && e < s) || (st < 0 && e > s)) throw new ShapeError(`${op}: upper bound and lower bound are inconsistent with the step sign`);
      len = dim(Math.max(0, Math.ceil((e - s) / st)));
    }
    return ctx.tensor([len], dt);
  },
};

/** Shape and dtype of a nested list literal (`torch.tensor([[1, 2], [3, 4]])`). */
function literalShape(v: PyValue, op: string): { shape: Dim[]; dtype: DType } {
  const items = seqItems(v);
  if (!items) {
    if (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool') return { shape: [], dtype: scalarDtype(v) };
    if (v.kind === 'tensor' && v.shape) return { shape: [...v.shape], dtype: v.dtype };
    if (v.kind === 'unknown') throw new UnknownArgError(`${op}: the data is unknown`);
    throw new ShapeError(`${op}: could not infer dtype of ${describe(v)}`);
  }
  if (items.length === 0) return { shape: [dim(0)], dtype: 'float32' };
  const inner = items.map((x) => literalShape(x, op));
  const first = inner[0];
  for (const x of inner) {
    if (x.shape.length !== first.shape.length || x.shape.some((d, i) => d.value !== first.shape[i].value)) {
      throw new ShapeError(`${op}: expected a rectangular nested sequence, but the elements have different lengths`);
    }
  }
  const rank = (d: DType) => (d === 'bool' ? 0 : d === 'int64' ? 1 : 2);
  const dtype = inner.map((x) => x.dtype).reduce((a, b) => (rank(b) > rank(a) ? b : a));
  return { shape: [dim(items.length), ...first.shape], dtype };
}

const tensorLiteral: FunctionOpDef = {
  kind: 'function',
  name: 'torch.tensor',
  aliases: ['torch.as_tensor'],
  family: 'creation',
  signature: [req('data'), kw('dtype', vNone), kw('device', vNone), kw('requires_grad', vBool(false)), kw('pin_memory', vBool(false))],
  infer(args, ctx) {
    const { shape, dtype } = literalShape(args.data, 'torch.tensor');
    return ctx.tensor(shape, explicitDtype(args, 'torch.tensor') ?? dtype);
  },
  onnx: literalLowering,
};

const eye: FunctionOpDef = {
  kind: 'function',
  name: 'torch.eye',
  family: 'creation',
  signature: [req('n'), opt('m', vNone), ...factoryKw],
  infer(args, ctx) {
    const n = intOf(args.n, 'torch.eye', 'n');
    const m = isNone(args.m) ? n : intOf(args.m, 'torch.eye', 'm');
    return ctx.tensor(checkSizes('torch.eye', [n, m]), explicitDtype(args, 'torch.eye') ?? 'float32');
  },
  onnx: eyeLowering,
};

const linspace: FunctionOpDef = {
  kind: 'function',
  name: 'torch.linspace',
  family: 'creation',
  signature: [req('start'), req('end'), req('steps'), ...factoryKw],
  infer(args, ctx) {
    const steps = intOf(args.steps, 'torch.linspace', 'steps');
    return ctx.tensor(checkSizes('torch.linspace', [steps]), explicitDtype(args, 'torch.linspace') ?? 'float32');
  },
  onnx: linspaceLowering,
};

const randint: FunctionOpDef = {
  kind: 'function',
  name: 'torch.randint',
  family: 'creation',
  // randint(high, size) or randint(low, high, size): bound as (low, high, size=None).
  signature: [req('low'), req('high'), opt('size', vNone), kw('generator', vNone), ...factoryKw],
  infer(args, ctx) {
    const sizeV = isNone(args.size) ? args.high : args.size;
    const shape = checkSizes('torch.randint', dimsOf(sizeV, 'torch.randint', 'size'));
    return ctx.tensor(shape, explicitDtype(args, 'torch.randint') ?? 'int64');
  },
};

function likeFactory(name: string, withFill: boolean): OpDef[] {
  return tensorFn({
    keys: [`torch.${name}`],
    family: 'creation',
    params: [...(withFill ? [req('fill_value')] : []), ...likeKw],
    onnx: withFill
      ? filledLowering('fill_value')
      : name.startsWith('ones')
        ? filledLowering(1)
        : name.startsWith('zeros') || name.startsWith('empty')
          ? filledLowering(0)
          : undefined,
    infer: (x, args, ctx, op) => ctx.tensor(x.shape, explicitDtype(args, op) ?? x.dtype),
  });
}

function newFactory(name: string, withFill: boolean): OpDef[] {
  // new_zeros((2, 3)) and new_zeros(2, 3) both work; new_full takes the size as one sequence.
  const sizeParam = withFill ? req('size') : star('size');
  return tensorFn({
    keys: [`Tensor.${name}`],
    family: 'creation',
    params: [sizeParam, ...(withFill ? [req('fill_value')] : []), ...factoryKw.slice(1)],
    onnx: withFill ? filledLowering('fill_value') : name === 'new_ones' ? filledLowering(1) : filledLowering(0),
    infer: (x, args, ctx, op) =>
      ctx.tensor(checkSizes(op, withFill ? dimsOf(args.size, op, 'size') : varIntsArg(args, 'size', op)), explicitDtype(args, op) ?? x.dtype),
  });
}

const defs: OpDef[] = [
  ...['zeros', 'ones', 'empty', 'randn', 'rand'].map((n) => sizedFactory(n, null)),
  full,
  arange,
  tensorLiteral,
  eye,
  linspace,
  randint,
  ...['zeros_like', 'ones_like', 'empty_like', 'randn_like', 'rand_like'].flatMap((n) => likeFactory(n, false)),
  ...likeFactory('full_like', true),
  ...['new_zeros', 'new_ones', 'new_empty'].flatMap((n) => newFactory(n, false)),
  ...newFactory('new_full', true),
];

/** How tensors made by factories start out, so nn.Parameter(torch.ones(n)) gets the right initialisation. */
const CREATION_INIT: Record<string, (a: BoundArgs) => InitRule> = {
  'torch.zeros': () => ({ kind: 'zeros' }),
  'torch.zeros_like': () => ({ kind: 'zeros' }),
  'torch.empty': () => ({ kind: 'zeros' }),
  'torch.ones': () => ({ kind: 'ones' }),
  'torch.ones_like': () => ({ kind: 'ones' }),
  'torch.randn': () => ({ kind: 'normal', std: 1 }),
  'torch.randn_like': () => ({ kind: 'normal', std: 1 }),
  'torch.full': (a) => ({
    kind: 'constant',
    value: a.fill_value?.kind === 'float' ? a.fill_value.value : a.fill_value?.kind === 'int' ? (a.fill_value.dim.value ?? 0) : 0,
  }),
};

registerOps(defs.map((d) => (d.kind !== 'module' && CREATION_INIT[d.name] ? { ...d, creationInit: CREATION_INIT[d.name] } : d)));
