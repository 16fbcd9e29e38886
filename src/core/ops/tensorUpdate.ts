// Tensor methods that library code uses to initialise and update parameters (mostly under torch.no_grad() at
// construction): copy_, erfinv(_), clamp_min/clamp_max, lerp, addcmul/addcdiv, index_fill/index_add/index_copy,
// fill_diagonal_, nan_to_num, renorm, requires_grad_/detach_. In-place forms return self (the same tensor).
import { dimEquals } from '../shape/dim';
import { describe, tensorArg } from './args';
import { broadcastShapes } from './broadcast';
import { numelOf } from './flopsCount';
import { identity } from './lowerCommon';
import { elementwise } from './operators';
import { category } from './promote';
import { registerOps } from './registry';
import { kw, opt, req, vBool, vFloat, vNone } from './sig';
import { showShape } from './showShape';
import { tensorFn } from './tensorFn';
import { ShapeError, type InferContext, type OpDef } from './types';
import type { PyValue, TensorValue } from './values';

/** What an in-place op leaves in self: its shape and dtype, once the computed value broadcasts to it and casts. */
function intoSelf(op: string, x: TensorValue, out: TensorValue, ctx: InferContext, cast: boolean): PyValue {
  if (x.shape && out.shape) {
    const b = broadcastShapes(x.shape, out.shape, op);
    if (b.length !== x.shape.length || b.some((d, i) => dimEquals(d, x.shape![i]) === false))
      throw new ShapeError(`${op}: output with shape ${showShape(x.shape)} doesn't match the broadcast shape ${showShape(b)}`);
  }
  if (!cast && category(out.dtype) > category(x.dtype))
    throw new ShapeError(`${op}: result type ${out.dtype} can't be cast to the desired output type ${x.dtype}`);
  return ctx.tensor(x.shape, x.dtype);
}

const floatOf = (x: TensorValue) => (category(x.dtype) < 2 ? 'float32' : x.dtype);

/** index_fill / index_add / index_copy: `index` is a 0-d or 1-d integer tensor along `dim`; the result keeps self's shape. */
function checkIndex(op: string, x: TensorValue, args: Record<string, PyValue | undefined>): void {
  const index = tensorArg(args as never, 'index', op);
  if (index.shape && index.shape.length > 1) throw new ShapeError(`${op}: Index is supposed to be a vector, got ${showShape(index.shape)}`);
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new ShapeError(`${op}: index must be an integer tensor, not ${index.dtype}`);
  const d = args.dim;
  if (x.shape && d && d.kind === 'int' && d.dim.value !== null) {
    const n = Math.max(x.shape.length, 1);
    if (d.dim.value < -n || d.dim.value >= n)
      throw new ShapeError(`${op}: Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${d.dim.value})`);
  }
}

const defs: OpDef[] = [
  ...tensorFn({
    keys: ['Tensor.copy_'],
    family: 'elementwise',
    params: [req('src'), opt('non_blocking', vBool(false))],
    inPlace: true,
    infer(x, args, ctx, op) {
      const src = tensorArg(args, 'src', op);
      return intoSelf(op, x, ctx.tensor(src.shape, src.dtype) as TensorValue, ctx, true);
    },
  }),
  ...['torch.erfinv', 'Tensor.erfinv'].flatMap((key) =>
    tensorFn({ keys: [key], family: 'elementwise', params: [], infer: (x, _a, c) => c.tensor(x.shape, floatOf(x)), flops: (_a, o) => numelOf(o) }),
  ),
  ...tensorFn({
    keys: ['Tensor.erfinv_'],
    family: 'elementwise',
    params: [],
    inPlace: true,
    infer: (x, _a, c, op) => intoSelf(op, x, c.tensor(x.shape, floatOf(x)) as TensorValue, c, false),
    flops: (_a, o) => numelOf(o),
  }),
  ...['clamp_min', 'clamp_max'].flatMap((n) => [
    ...tensorFn({
      keys: [`torch.${n}`, `Tensor.${n}`],
      family: 'elementwise',
      params: [req(n === 'clamp_min' ? 'min' : 'max')],
      infer: (x, a, c, op) => elementwise(op, [x, a[n === 'clamp_min' ? 'min' : 'max']!], 'arith', c),
      flops: (_a, o) => numelOf(o),
    }),
    ...tensorFn({
      keys: [`Tensor.${n}_`],
      family: 'elementwise',
      params: [req(n === 'clamp_min' ? 'min' : 'max')],
      inPlace: true,
      infer: (x, a, c, op) => intoSelf(op, x, elementwise(op, [x, a[n === 'clamp_min' ? 'min' : 'max']!], 'arith', c), c, false),
      flops: (_a, o) => numelOf(o),
    }),
  ]),
  ...(['lerp', 'addcmul', 'addcdiv'] as const).flatMap((n) => {
    const params = n === 'lerp' ? [req('end'), req('weight')] : [req('tensor1'), req('tensor2'), kw('value', vFloat(1))];
    const operands = (x: TensorValue, a: Record<string, PyValue | undefined>) => (n === 'lerp' ? [x, a.end!, a.weight!] : [x, a.tensor1!, a.tensor2!]);
    return [
      ...tensorFn({
        keys: [`torch.${n}`, `Tensor.${n}`],
        family: 'elementwise',
        params,
        infer: (x, a, c, op) => elementwise(op, operands(x, a), 'arith', c),
        flops: (_a, o) => 2 * numelOf(o),
      }),
      ...tensorFn({
        keys: [`Tensor.${n}_`],
        family: 'elementwise',
        params,
        inPlace: true,
        infer: (x, a, c, op) => intoSelf(op, x, elementwise(op, operands(x, a), 'arith', c), c, false),
        flops: (_a, o) => 2 * numelOf(o),
      }),
    ];
  }),
  ...(['index_fill', 'index_add', 'index_copy'] as const).flatMap((n) => {
    const params =
      n === 'index_fill'
        ? [req('dim'), req('index'), req('value')]
        : [req('dim'), req('index'), req('source'), ...(n === 'index_add' ? [kw('alpha', vFloat(1))] : [])];
    const rule = (x: TensorValue, a: Record<string, PyValue | undefined>, c: InferContext, op: string) => {
      checkIndex(op, x, a);
      const src = n === 'index_fill' ? null : tensorArg(a as never, 'source', op);
      if (src?.shape && x.shape && src.shape.length !== x.shape.length && src.shape.length > 0 && x.shape.length > 0)
        throw new ShapeError(`${op}: source ${showShape(src.shape)} must have as many dimensions as self ${showShape(x.shape)}`);
      return c.tensor(x.shape, x.dtype);
    };
    return [
      ...tensorFn({ keys: [`torch.${n}`, `Tensor.${n}`], family: 'index', params, infer: rule }),
      ...tensorFn({ keys: [`Tensor.${n}_`], family: 'index', params, inPlace: true, infer: rule }),
    ];
  }),
  ...tensorFn({
    keys: ['Tensor.fill_diagonal_'],
    family: 'elementwise',
    params: [req('fill_value'), opt('wrap', vBool(false))],
    inPlace: true,
    infer(x, _a, c, op) {
      if (x.shape && x.shape.length < 2) throw new ShapeError(`${op}: dimensions must larger than 1`);
      if (x.shape && x.shape.length > 2 && x.shape.some((d) => dimEquals(d, x.shape![0]) === false))
        throw new ShapeError(`${op}: all dimensions of input must be of equal length`);
      return c.tensor(x.shape, x.dtype);
    },
  }),
  ...['nan_to_num', 'nan_to_num_'].flatMap((n) =>
    tensorFn({
      keys: n.endsWith('_') ? [`Tensor.${n}`] : [`torch.${n}`, `Tensor.${n}`],
      family: 'elementwise',
      params: [opt('nan', vFloat(0)), opt('posinf', vNone), opt('neginf', vNone)],
      inPlace: n.endsWith('_'),
      infer: (x, _a, c) => c.tensor(x.shape, x.dtype),
      flops: (_a, o) => numelOf(o),
    }),
  ),
  ...['renorm', 'renorm_'].flatMap((n) =>
    tensorFn({
      keys: n.endsWith('_') ? [`Tensor.${n}`] : [`torch.${n}`, `Tensor.${n}`],
      family: 'elementwise',
      params: [req('p'), req('dim'), req('maxnorm')],
      inPlace: n.endsWith('_'),
      infer(x, _a, c, op) {
        if (x.shape && x.shape.length < 2) throw new ShapeError(`${op}: input needs at least 2 dimensions, got ${x.shape.length} dimensions`);
        return c.tensor(x.shape, x.dtype);
      },
      flops: (_a, o) => 3 * numelOf(o),
    }),
  ),
  ...tensorFn({
    keys: ['Tensor.requires_grad_'],
    family: 'tensor',
    params: [opt('requires_grad', vBool(true))],
    inPlace: true,
    infer(x, a, c, op) {
      const rg = a.requires_grad;
      if (rg && rg.kind !== 'bool' && rg.kind !== 'unknown') throw new ShapeError(`${op}: requires_grad must be a bool, not ${describe(rg)}`);
      return c.tensor(x.shape, x.dtype);
    },
    onnx: identity,
  }),
  ...tensorFn({ keys: ['Tensor.detach_'], family: 'tensor', params: [], inPlace: true, infer: (x, _a, c) => c.tensor(x.shape, x.dtype), onnx: identity }),
];

registerOps(defs);
