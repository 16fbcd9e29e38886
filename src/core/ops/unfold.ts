// Sliding-block extraction and its inverse: F.unfold / nn.Unfold (im2col) and F.fold / nn.Fold (col2im).
import { Dim, dim, dimEquals, dimFloorDiv, dimMul } from '../shape/dim';
import { Shape } from '../shape/shape';
import { tensorArg, tupleArg } from './args';
import { prod } from './flopsCount';
import { registerOps } from './registry';
import { opt, req, vInt } from './sig';
import { showShape } from './showShape';
import { BoundArgs, FunctionOpDef, ModuleOpDef, OpDef, ShapeError } from './types';
import { TensorValue } from './values';
import { slidingOut } from './windowSize';
import { unfoldLowering } from './lowerConvPool';

interface Geometry {
  readonly k: number[];
  readonly d: number[];
  readonly p: number[];
  readonly s: number[];
}

function geometry(args: BoundArgs, op: string): Geometry {
  return {
    k: tupleArg(args, 'kernel_size', 2, op),
    d: tupleArg(args, 'dilation', 2, op),
    p: tupleArg(args, 'padding', 2, op),
    s: tupleArg(args, 'stride', 2, op),
  };
}

function blocks(op: string, spatial: readonly Dim[], g: Geometry, input: Shape): Dim[] {
  const out = spatial.map((n, i) => slidingOut(n, g.k[i], g.s[i], g.p[i], g.d[i], false));
  if (out.some((o) => o.value !== null && o.value < 1)) {
    throw new ShapeError(
      `${op}: input ${showShape(input)} is too small for kernel ${g.k.join('x')} (dilation ${g.d.join('x')}, padding ${g.p.join('x')}, stride ${g.s.join('x')})`,
    );
  }
  return out;
}

export function unfoldShape(op: string, x: TensorValue, g: Geometry): Shape | null {
  if (!x.shape) return null;
  const s = x.shape;
  if (s.length !== 3 && s.length !== 4) throw new ShapeError(`${op}: expected 3D or 4D (batch mode) input, got ${showShape(s)}`);
  const [l1, l2] = blocks(op, s.slice(-2), g, s);
  return [...s.slice(0, -3), dimMul(s[s.length - 3], prod(g.k)), dimMul(l1, l2)];
}

export function foldShape(op: string, x: TensorValue, outputSize: number[], g: Geometry): Shape | null {
  if (!x.shape) return null;
  const s = x.shape;
  if (s.length !== 2 && s.length !== 3) throw new ShapeError(`${op}: expected 2D or 3D (batch mode) input, got ${showShape(s)}`);
  const kk = prod(g.k);
  const c = s[s.length - 2];
  if (c.value !== null && c.value % kk !== 0) {
    throw new ShapeError(`${op}: expected size of input's dimension ${s.length - 2} to be divisible by the product of kernel_size (${kk}), but got ${c.value}`);
  }
  const [l1, l2] = blocks(
    op,
    outputSize.map((n) => dim(n)),
    g,
    s,
  );
  const l = dimMul(l1, l2);
  if (dimEquals(s[s.length - 1], l) === false) {
    throw new ShapeError(
      `${op}: given output_size=(${outputSize.join(', ')}), kernel_size=(${g.k.join(', ')}), dilation=(${g.d.join(', ')}), padding=(${g.p.join(', ')}), stride=(${g.s.join(', ')}), expected ${l.value} blocks in the last dim of the input, but got ${s[s.length - 1].value}`,
    );
  }
  return [...s.slice(0, -2), dimFloorDiv(c, kk), dim(outputSize[0]), dim(outputSize[1])];
}

const geo = [opt('dilation', vInt(1)), opt('padding', vInt(0)), opt('stride', vInt(1))];

const unfoldFn: FunctionOpDef = {
  kind: 'function',
  name: 'F.unfold',
  aliases: ['torch.nn.functional.unfold'],
  family: 'unfold',
  signature: [req('input'), req('kernel_size'), ...geo],
  infer(args, ctx) {
    const x = tensorArg(args, 'input', 'F.unfold');
    return ctx.tensor(unfoldShape('F.unfold', x, geometry(args, 'F.unfold')), x.dtype);
  },
  onnx: unfoldLowering,
};

const foldFn: FunctionOpDef = {
  kind: 'function',
  name: 'F.fold',
  aliases: ['torch.nn.functional.fold'],
  family: 'unfold',
  signature: [req('input'), req('output_size'), req('kernel_size'), ...geo],
  infer(args, ctx) {
    const x = tensorArg(args, 'input', 'F.fold');
    return ctx.tensor(foldShape('F.fold', x, tupleArg(args, 'output_size', 2, 'F.fold'), geometry(args, 'F.fold')), x.dtype);
  },
};

const unfoldModule: ModuleOpDef = {
  kind: 'module',
  type: 'Unfold',
  family: 'unfold',
  ctor: [req('kernel_size'), ...geo],
  forward: [req('input')],
  tensors: () => [],
  infer(attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'Unfold');
    return ctx.tensor(unfoldShape('Unfold', x, geometry(attrs, 'Unfold')), x.dtype);
  },
  flops: () => 0,
  onnx: unfoldLowering,
};

const foldModule: ModuleOpDef = {
  kind: 'module',
  type: 'Fold',
  family: 'unfold',
  ctor: [req('output_size'), req('kernel_size'), ...geo],
  forward: [req('input')],
  tensors: () => [],
  infer(attrs, args, ctx) {
    const x = tensorArg(args, 'input', 'Fold');
    return ctx.tensor(foldShape('Fold', x, tupleArg(attrs, 'output_size', 2, 'Fold'), geometry(attrs, 'Fold')), x.dtype);
  },
  flops: () => 0,
};

const defs: OpDef[] = [unfoldFn, foldFn, unfoldModule, foldModule];
registerOps(defs);
