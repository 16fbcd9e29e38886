// Matrix products: `@` (op.matmul), torch.matmul / mm / bmm and their Tensor methods, with batch broadcasting.
import { Dim, dimEquals } from '../shape/dim';
import { Shape } from '../shape/shape';
import { tensorArg } from './args';
import { broadcastShapes } from './broadcast';
import { numelOf } from './flopsCount';
import { promoteTypes } from './promote';
import { registerOps } from './registry';
import { kw, req, vNone } from './sig';
import { showShape } from './showShape';
import { tensorFn } from './tensorFn';
import { BoundArgs, FunctionOpDef, OpDef, ShapeError } from './types';
import { PyValue } from './values';
import { matmulLowering } from './lowerLinear';

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

registerOps([matmulOp, ...fnPair('matmul', 'other', 'matmul'), ...fnPair('mm', 'mat2', 'mm'), ...fnPair('bmm', 'mat2', 'bmm')]);
