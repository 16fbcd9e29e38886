// Similarities and distances: F.cosine_similarity / nn.CosineSimilarity, F.pairwise_distance / nn.PairwiseDistance.
import { Shape } from '../shape/shape';
import { boolArg, numArg, tensorArg } from './args';
import { normalizeAxis } from './axes';
import { broadcastShapes } from './broadcast';
import { numelOf } from './flopsCount';
import { registerOps } from './registry';
import { opt, req, vBool, vFloat, vInt } from './sig';
import { FunctionOpDef, ModuleOpDef, OpDef, ShapeError } from './types';
import { TensorValue } from './values';
import { cosineSimilarityLowering, pairwiseDistanceLowering } from './lowerNorm';

function cosineShape(op: string, a: TensorValue, b: TensorValue, d: number): Shape | null {
  if (!a.shape || !b.shape) return null;
  const s = broadcastShapes(a.shape, b.shape, op);
  const axis = normalizeAxis(d, s.length, op);
  return s.filter((_, i) => i !== axis);
}

/** pairwise_distance reduces the last dim (keepdim keeps it as 1). */
function pairwiseShape(op: string, a: TensorValue, b: TensorValue, keepdim: boolean): Shape | null {
  if (!a.shape || !b.shape) return null;
  const s = broadcastShapes(a.shape, b.shape, op);
  if (s.length === 0) throw new ShapeError(`${op}: inputs must have at least 1 dimension`);
  return keepdim ? [...s.slice(0, -1), { value: 1, expr: null }] : s.slice(0, -1);
}

const cosineFn: FunctionOpDef = {
  kind: 'function',
  name: 'F.cosine_similarity',
  aliases: ['torch.cosine_similarity'],
  family: 'distance',
  signature: [req('x1'), req('x2'), opt('dim', vInt(1)), opt('eps', vFloat(1e-8))],
  infer(args, ctx) {
    const a = tensorArg(args, 'x1', 'F.cosine_similarity');
    const b = tensorArg(args, 'x2', 'F.cosine_similarity');
    return ctx.tensor(cosineShape('F.cosine_similarity', a, b, numArg(args, 'dim', 'F.cosine_similarity')), a.dtype);
  },
  flops: (args) => 3 * numelOf(args.x1),
  onnx: cosineSimilarityLowering,
};

const pairwiseFn: FunctionOpDef = {
  kind: 'function',
  name: 'F.pairwise_distance',
  aliases: ['torch.pairwise_distance'],
  family: 'distance',
  signature: [req('x1'), req('x2'), opt('p', vFloat(2)), opt('eps', vFloat(1e-6)), opt('keepdim', vBool(false))],
  infer(args, ctx) {
    const a = tensorArg(args, 'x1', 'F.pairwise_distance');
    const b = tensorArg(args, 'x2', 'F.pairwise_distance');
    return ctx.tensor(pairwiseShape('F.pairwise_distance', a, b, boolArg(args, 'keepdim', 'F.pairwise_distance')), a.dtype);
  },
  flops: (args) => 3 * numelOf(args.x1),
  onnx: pairwiseDistanceLowering,
};

const cosineModule: ModuleOpDef = {
  kind: 'module',
  type: 'CosineSimilarity',
  family: 'distance',
  ctor: [opt('dim', vInt(1)), opt('eps', vFloat(1e-8))],
  forward: [req('x1'), req('x2')],
  tensors: () => [],
  infer(attrs, args, ctx) {
    const a = tensorArg(args, 'x1', 'CosineSimilarity');
    const b = tensorArg(args, 'x2', 'CosineSimilarity');
    return ctx.tensor(cosineShape('CosineSimilarity', a, b, numArg(attrs, 'dim', 'CosineSimilarity')), a.dtype);
  },
  flops: (_a, args) => 3 * numelOf(args.x1),
  onnx: cosineSimilarityLowering,
};

const pairwiseModule: ModuleOpDef = {
  kind: 'module',
  type: 'PairwiseDistance',
  family: 'distance',
  ctor: [opt('p', vFloat(2)), opt('eps', vFloat(1e-6)), opt('keepdim', vBool(false))],
  forward: [req('x1'), req('x2')],
  tensors: () => [],
  infer(attrs, args, ctx) {
    const a = tensorArg(args, 'x1', 'PairwiseDistance');
    const b = tensorArg(args, 'x2', 'PairwiseDistance');
    return ctx.tensor(pairwiseShape('PairwiseDistance', a, b, boolArg(attrs, 'keepdim', 'PairwiseDistance')), a.dtype);
  },
  flops: (_a, args) => 3 * numelOf(args.x1),
  onnx: pairwiseDistanceLowering,
};

const defs: OpDef[] = [cosineFn, pairwiseFn, cosineModule, pairwiseModule];
registerOps(defs);
