// Matrix products: `@` (op.matmul), torch.matmul / mm / bmm and their Tensor methods, with batch broadcasting.
import { Dim, dimEquals } from '../shape/dim';
import { Shape } from '../shape/shape';
import { tensorArg } from './args';
import { broadcastShapes } from './broadcast';
import { numelOf } from './flopsCount';
import { promoteTypes } from './promote';
import { registerOps } from './registry';
import { kw, req, vInt, vNone } from './sig';
import { showShape } from './showShape';
import { tensorFn } from './tensorFn';
import { BoundArgs, FunctionOpDef, OpDef, ShapeError } from './types';
import { PyValue, TensorValue } from './values';
import { addProductLowering, dotLowering, matmulLowering, outerLowering } from './lowerLinear';

function innerMismatch(op: string, a: Shape, b: Shape, k1: Dim, k2: Dim): ShapeError {
  return new ShapeError(
    `${op}: shapes ${showShape(a)} and ${showShape(b)} cannot be multiplied: the last dim of the first (${k1.value}) ` +
      `must equal the ${b.length === 1 ? 'only' : 'second-to-last'} dim of the second (${k2.value})`,
  );
}

/** torch.matmul's rules: 1-D operands are promoted then squeezed, batch dims broadcast. */
export function matmulShape(op: string, a: Shape, b: Shape): Shape {
  if (a.length === 0 || b.length === 0) throw new ShapeError(`${op}: both arguments need at least 1 dimension, got ${showShape(a)} and ${showShape(b)}`);
  const a2 = a.length === 1 ? [{ value: 1, expr: null }, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], { value: 1, expr: null }] : b;
  const k1 = a2[a2.length - 1];
  const k2 = b2[b2.length - 2];
  if (dimEquals(k1, k2) === false) throw innerMismatch(op, a, b, k1, k2);
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2), `${op} (batch dims)`);
  const out: Dim[] = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

function strictShape(op: string, a: Shape, b: Shape, rank: number): Shape {
  if (a.length !== rank || b.length !== rank) {
    throw new ShapeError(`${op} expects two ${rank}-D tensors, got ${showShape(a)} and ${showShape(b)}`);
  }
  if (rank === 3 && dimEquals(a[0], b[0]) === false) {
    throw new ShapeError(`${op}: batch sizes differ: ${a[0].value} in ${showShape(a)} and ${b[0].value} in ${showShape(b)}`);
  }
  const k1 = a[rank - 1];
  const k2 = b[rank - 2];
  if (dimEquals(k1, k2) === false) throw innerMismatch(op, a, b, k1, k2);
  return rank === 3 ? [a[0], a[1], b[2]] : [a[0], b[1]];
}

/** 2 FLOPs per multiply-accumulate: output elements × inner size. */
function matmulFlops(a: PyValue | undefined, out: PyValue): number {
  if (!a || a.kind !== 'tensor' || !a.shape || !a.shape.length) return 0;
  return 2 * numelOf(out) * (a.shape[a.shape.length - 1].value ?? 0);
}

function product(first: string, second: string, mode: 'matmul' | 'mm' | 'bmm') {
  return (args: BoundArgs, op: string, ctx: Parameters<FunctionOpDef['infer']>[1]): PyValue => {
    const a = tensorArg(args, first, op);
    const b = tensorArg(args, second, op);
    const dt = promoteTypes(a.dtype, b.dtype);
    if (!a.shape || !b.shape) return ctx.tensor(null, dt);
    const shape = mode === 'matmul' ? matmulShape(op, a.shape, b.shape) : strictShape(op, a.shape, b.shape, mode === 'mm' ? 2 : 3);
    return ctx.tensor(shape, dt);
  };
}

const matmulOp: FunctionOpDef = {
  kind: 'function',
  name: 'op.matmul',
  family: 'matmul',
  signature: [req('a'), req('b')],
  infer: (args, ctx) => product('a', 'b', 'matmul')(args, 'op.matmul (@)', ctx),
  flops: (args, out) => matmulFlops(args.a, out),
  onnx: matmulLowering,
};

function fnPair(torchName: string, second: string, mode: 'matmul' | 'mm' | 'bmm'): OpDef[] {
  return tensorFn({
    keys: [`torch.${torchName}`, `Tensor.${torchName}`],
    family: 'matmul',
    params: [req(second), kw('out', vNone)],
    infer: (_x, args, ctx, op) => product(args.self ? 'self' : 'input', second, mode)(args, op, ctx),
    flops: (args, out) => matmulFlops(args.input ?? args.self, out),
    onnx: matmulLowering,
  }).map((d) => (d.kind === 'method' ? { ...d, signature: d.signature.filter((p) => p.name !== 'out') } : d));
}

/** `a @= b`: tensors have no __imatmul__, so Python rebinds `a = a @ b` (a new tensor, not in place). */
const imatmulOp: FunctionOpDef = { ...matmulOp, name: 'op.imatmul', infer: (args, ctx) => product('a', 'b', 'matmul')(args, 'op.imatmul (@=)', ctx) };

/** addmm / baddbmm: the product's shape, with `input` broadcast onto it. */
function addProduct(name: string, m1: string, m2: string, mode: 'mm' | 'bmm'): OpDef[] {
  return tensorFn({
    keys: [`torch.${name}`, `Tensor.${name}`],
    family: 'matmul',
    params: [req(m1), req(m2), kw('beta', vInt(1)), kw('alpha', vInt(1))],
    onnx: addProductLowering(m1, m2),
    infer(x, args, ctx, op) {
      const prod = product(m1, m2, mode)(args, op, ctx) as TensorValue;
      if (!x.shape || !prod.shape) return prod;
      const b = broadcastShapes(x.shape, prod.shape, op);
      if (b.length !== prod.shape.length || b.some((d, i) => dimEquals(d, prod.shape![i]) === false)) {
        throw new ShapeError(`${op}: input ${showShape(x.shape)} cannot be broadcast to the product's shape ${showShape(prod.shape)}`);
      }
      return ctx.tensor(prod.shape, promoteTypes(x.dtype, prod.dtype));
    },
    flops: (args, out) => matmulFlops(args[m1], out),
  });
}

const vectorProducts: OpDef[] = [
  ...tensorFn({
    keys: ['torch.outer', 'Tensor.outer', 'torch.ger', 'Tensor.ger'],
    family: 'matmul',
    params: [req('vec2')],
    onnx: outerLowering,
    infer(x, args, ctx, op) {
      const v = tensorArg(args, 'vec2', op);
      if (!x.shape || !v.shape) return ctx.tensor(null, promoteTypes(x.dtype, v.dtype));
      if (x.shape.length !== 1 || v.shape.length !== 1)
        throw new ShapeError(`${op}: expects two 1-D vectors, got ${showShape(x.shape)} and ${showShape(v.shape)}`);
      return ctx.tensor([x.shape[0], v.shape[0]], promoteTypes(x.dtype, v.dtype));
    },
  }),
  ...tensorFn({
    keys: ['torch.dot', 'Tensor.dot'],
    family: 'matmul',
    params: [req('other')],
    onnx: dotLowering,
    infer(x, args, ctx, op) {
      const v = tensorArg(args, 'other', op);
      if (x.dtype !== v.dtype) throw new ShapeError(`${op}: expected both vectors to have the same dtype, but found ${x.dtype} and ${v.dtype}`);
      if (x.shape && v.shape) {
        if (x.shape.length !== 1 || v.shape.length !== 1)
          throw new ShapeError(`${op}: 1D tensors expected, but got ${x.shape.length}D and ${v.shape.length}D tensors`);
        if (dimEquals(x.shape[0], v.shape[0]) === false)
          throw new ShapeError(
            `${op}: inconsistent tensor size, expected tensor [${x.shape[0].value}] and src [${v.shape[0].value}] to have the same number of elements`,
          );
      }
      return ctx.tensor([], x.dtype);
    },
  }),
];

registerOps([imatmulOp, ...addProduct('addmm', 'mat1', 'mat2', 'mm'), ...addProduct('baddbmm', 'batch1', 'batch2', 'bmm'), ...vectorProducts]);
registerOps([matmulOp, ...fnPair('matmul', 'other', 'matmul'), ...fnPair('mm', 'mat2', 'mm'), ...fnPair('bmm', 'mat2', 'bmm')]);
