// Spatial sampling and pairwise distances: F.grid_sample, F.affine_grid, torch.cdist, F.gumbel_softmax.
import { Dim, dim, dimEquals } from '../shape/dim';
import { boolArg, numArg, seqItems, strArg, tensorArg, varIntsArg } from './args';
import { normalizeAxis } from './axes';
import { broadcastShapes } from './broadcast';
import { numelOf } from './flopsCount';
import { registerOps } from './registry';
import { opt, req, vBool, vFloat, vInt, vNone, vStr } from './sig';
import { showShape } from './showShape';
import { FunctionOpDef, OpDef, ShapeError } from './types';
import { affineGridLowering, gridSampleLowering } from './lowerResample';
import { cdistLowering } from './lowerNorm';

const GRID_MODES = ['bilinear', 'nearest', 'bicubic'];
const GRID_PADDING = ['zeros', 'border', 'reflection'];

/** input [N, C, H, W] sampled at grid [N, Ho, Wo, 2] → [N, C, Ho, Wo] (and the 5-D analogue). */
const gridSample: FunctionOpDef = {
  kind: 'function',
  name: 'F.grid_sample',
  aliases: ['torch.nn.functional.grid_sample'],
  family: 'resample',
  signature: [req('input'), req('grid'), opt('mode', vStr('bilinear')), opt('padding_mode', vStr('zeros')), opt('align_corners', vNone)],
  infer(args, ctx) {
    const op = 'F.grid_sample';
    const x = tensorArg(args, 'input', op);
    const g = tensorArg(args, 'grid', op);
    const mode = strArg(args, 'mode', op);
    const pad = strArg(args, 'padding_mode', op);
    if (!GRID_MODES.includes(mode)) throw new ShapeError(`${op}: expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${mode}'`);
    if (!GRID_PADDING.includes(pad)) throw new ShapeError(`${op}: expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${pad}'`);
    if (!x.shape || !g.shape) return ctx.tensor(null, x.dtype);
    const r = x.shape.length;
    if (r !== 4 && r !== 5) throw new ShapeError(`${op} expects 4-D or 5-D input, got ${showShape(x.shape)}`);
    if (g.shape.length !== r) throw new ShapeError(`${op}: grid ${showShape(g.shape)} must have the same number of dims as input ${showShape(x.shape)}`);
    if (dimEquals(g.shape[0], x.shape[0]) === false)
      throw new ShapeError(`${op}: grid and input must have the same batch size, got ${g.shape[0].value} and ${x.shape[0].value}`);
    if (dimEquals(g.shape[r - 1], r - 2) === false) throw new ShapeError(`${op}: grid must end in ${r - 2} coordinates (grid ${showShape(g.shape)})`);
    if (mode === 'bicubic' && r === 5) throw new ShapeError(`${op}: bicubic interpolation only supports 4D input`);
    return ctx.tensor([x.shape[0], x.shape[1], ...g.shape.slice(1, -1)], x.dtype);
  },
  flops: (_a, out) => 8 * numelOf(out),
  onnx: gridSampleLowering,
};

/** theta [N, 2, 3] with size (N, C, H, W) → grid [N, H, W, 2]; [N, 3, 4] with 5-D sizes → [N, D, H, W, 3]. */
const affineGrid: FunctionOpDef = {
  kind: 'function',
  name: 'F.affine_grid',
  aliases: ['torch.nn.functional.affine_grid'],
  family: 'resample',
  signature: [req('theta'), req('size'), opt('align_corners', vNone)],
  infer(args, ctx) {
    const op = 'F.affine_grid';
    const theta = tensorArg(args, 'theta', op);
    if (!seqItems(args.size ?? vNone)) throw new ShapeError(`${op}: size must be a list or tuple (N, C, H, W) or (N, C, D, H, W)`);
    const size = varIntsArg({ size: args.size }, 'size', op);
    if (size.length !== 4 && size.length !== 5)
      throw new ShapeError(`${op} only supports 4D and 5D sizes, for 2D and 3D affine transforms, got a size of ${size.length} elements`);
    const k = size.length - 2;
    if (theta.shape) {
      const want: Dim[] = [size[0], dim(k), dim(k + 1)];
      if (theta.shape.length !== 3 || theta.shape.some((d, i) => dimEquals(d, want[i]) === false)) {
        throw new ShapeError(
          `${op}: expected a batch of ${k}D affine matrices of shape [N, ${k}, ${k + 1}] for size ${showShape(size)}, got ${showShape(theta.shape)}`,
        );
      }
    }
    return ctx.tensor([size[0], ...size.slice(2), dim(k)], theta.dtype);
  },
  onnx: affineGridLowering,
};

const cdist: FunctionOpDef = {
  kind: 'function',
  name: 'torch.cdist',
  family: 'distance',
  signature: [req('x1'), req('x2'), opt('p', vFloat(2)), opt('compute_mode', vStr('use_mm_for_euclid_dist_if_necessary'))],
  infer(args, ctx) {
    const op = 'torch.cdist';
    const a = tensorArg(args, 'x1', op);
    const b = tensorArg(args, 'x2', op);
    if (!a.shape || !b.shape) return ctx.tensor(null, a.dtype);
    if (a.shape.length < 2 || b.shape.length < 2)
      throw new ShapeError(`${op} only supports at least 2D tensors, got ${showShape(a.shape)} and ${showShape(b.shape)}`);
    const fa = a.shape[a.shape.length - 1];
    const fb = b.shape[b.shape.length - 1];
    if (dimEquals(fa, fb) === false) throw new ShapeError(`${op}: x1 and x2 must have the same number of columns, got ${fa.value} and ${fb.value}`);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), `${op} (batch dims)`);
    return ctx.tensor([...batch, a.shape[a.shape.length - 2], b.shape[b.shape.length - 2]], a.dtype);
  },
  flops: (args, out) => {
    const a = args.x1;
    const f = a && a.kind === 'tensor' && a.shape && a.shape.length ? (a.shape[a.shape.length - 1].value ?? 0) : 0;
    return 3 * numelOf(out) * f;
  },
  onnx: cdistLowering,
};

const gumbelSoftmax: FunctionOpDef = {
  kind: 'function',
  name: 'F.gumbel_softmax',
  aliases: ['torch.nn.functional.gumbel_softmax'],
  family: 'activation',
  signature: [req('logits'), opt('tau', vInt(1)), opt('hard', vBool(false)), opt('eps', vFloat(1e-10)), opt('dim', vInt(-1))],
  infer(args, ctx) {
    const op = 'F.gumbel_softmax';
    const x = tensorArg(args, 'logits', op);
    boolArg(args, 'hard', op);
    if (x.shape) normalizeAxis(numArg(args, 'dim', op), x.shape.length, op);
    return ctx.tensor(x.shape, x.dtype);
  },
  flops: (_a, out) => 4 * numelOf(out),
};

const defs: OpDef[] = [gridSample, affineGrid, cdist, gumbelSoftmax];
registerOps(defs);
