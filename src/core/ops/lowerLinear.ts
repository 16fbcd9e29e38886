// ONNX lowerings of matmul, addmm, outer/dot, einsum, linear, embedding and attention (scaled dot-product and nn.MultiheadAttention).
import type { DType } from '../shape/shape';
import { argNumber, attr, OnnxLowering, OnnxLoweringContext } from './lowering';
import { castTo, mainInput, opt, optBool, optNumber, reduceNode, scalar, shapeConst } from './lowerCommon';
import { binaryOperands } from './lowerElementwise';

type Ctx = OnnxLoweringContext;

export const matmulLowering: OnnxLowering = (ctx) => {
  const [a, b] = binaryOperands(ctx, ctx.dtype(ctx.outputs[0]!));
  ctx.node('MatMul', [a, b], {}, ctx.outputs);
};

/** y = x·Wᵀ + b: Gemm for 2-d inputs, MatMul (+ Add) otherwise. */
export const linearLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const w = ctx.tensorArg('weight') ?? ctx.param('weight') ?? ctx.fail('no weight');
  const b = ctx.tensorArg('bias') ?? ctx.param('bias');
  if (ctx.shape(x).length === 2) {
    ctx.node('Gemm', b ? [x, w, b] : [x, w], { transB: attr.int(1) }, ctx.outputs);
    return;
  }
  const wt = ctx.node('Transpose', [w], { perm: attr.ints([1, 0]) })[0]!;
  if (!b) {
    ctx.node('MatMul', [x, wt], {}, ctx.outputs);
    return;
  }
  ctx.node('Add', [ctx.node('MatMul', [x, wt])[0]!, b], {}, ctx.outputs);
};

/** Embedding lookup: Gather rows of the weight (max_norm renormalisation is refused). */
export const embeddingLowering: OnnxLowering = (ctx) => {
  const v = opt(ctx, 'max_norm');
  if (v !== null && v !== undefined) ctx.fail('max_norm renormalises the weight in place; not expressible in ONNX');
  const w = ctx.tensorArg('weight') ?? ctx.param('weight') ?? ctx.fail('no weight');
  const idx = ctx.tensorArg('input') ?? ctx.inputs[0] ?? ctx.fail('no indices');
  ctx.node('Gather', [w, castTo(ctx, idx, 'int64')], { axis: attr.int(0) }, ctx.outputs);
};

// attention

/** softmax(Q·Kᵀ·scale + mask)·V on [..., L, E] tensors; returns [output, weights]. */
function attend(
  ctx: Ctx,
  q: string,
  k: string,
  v: string,
  rank: number,
  dt: DType,
  scaleValue: number,
  mask: string | null,
  causal: { l: number; s: number } | null,
): [string, string] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  const kt = ctx.node('Transpose', [k], { perm: attr.ints(perm) })[0]!;
  let scores = ctx.node('Mul', [ctx.node('MatMul', [q, kt])[0]!, scalar(ctx, scaleValue, dt)])[0]!;
  if (causal) {
    const tri: number[] = [];
    for (let i = 0; i < causal.l; i++) for (let j = 0; j < causal.s; j++) tri.push(j > i ? -Infinity : 0);
    scores = ctx.node('Add', [scores, ctx.constFloat(tri, [causal.l, causal.s], dt)])[0]!;
  }
  if (mask) {
    if (ctx.dtype(mask) === 'bool') {
      // Boolean masks mark the positions that may attend (SDPA) — others get −inf.
      const neg = ctx.node('Where', [mask, scalar(ctx, 0, dt), scalar(ctx, -Infinity, dt)])[0]!;
      scores = ctx.node('Add', [scores, neg])[0]!;
    } else scores = ctx.node('Add', [scores, castTo(ctx, mask, dt)])[0]!;
  }
  const weights = ctx.node('Softmax', [scores], { axis: attr.int(-1) })[0]!;
  return [ctx.node('MatMul', [weights, v])[0]!, weights];
}

/** F.scaled_dot_product_attention (dropout_p must be 0 in export). */
export const sdpaLowering: OnnxLowering = (ctx) => {
  const q = ctx.tensorArg('query') ?? ctx.fail('no query');
  const k = ctx.tensorArg('key') ?? ctx.fail('no key');
  const v = ctx.tensorArg('value') ?? ctx.fail('no value');
  if (optNumber(ctx, 'dropout_p', 0) !== 0) ctx.fail('dropout_p > 0 is random; not exported');
  const qs = ctx.shape(q);
  const ks = ctx.shape(k);
  const e = qs[qs.length - 1]!;
  const sc = opt(ctx, 'scale');
  const scaleValue = sc === null || sc === undefined ? 1 / Math.sqrt(e) : (argNumber(sc) ?? ctx.fail('scale must be known'));
  const causal = optBool(ctx, 'is_causal', false) ? { l: qs[qs.length - 2]!, s: ks[ks.length - 2]! } : null;
  const [out] = attend(ctx, q, k, v, ks.length, ctx.dtype(q), scaleValue, ctx.tensorArg('attn_mask'), causal);
  ctx.node('Identity', [out], {}, ctx.outputs);
};

/** nn.MultiheadAttention (packed in-projection, no bias_k/v, no zero-attn); outputs (attn_output, attn_weights). */
export const multiheadAttentionLowering: OnnxLowering = (ctx) => {
  if (optBool(ctx, 'add_bias_kv', false) || optBool(ctx, 'add_zero_attn', false)) ctx.fail('add_bias_kv / add_zero_attn are not exported');
  const inW = ctx.param('in_proj_weight') ?? ctx.fail('separate q/k/v projection weights (kdim/vdim ≠ embed_dim) are not exported');
  const inB = ctx.param('in_proj_bias');
  const outW = ctx.param('out_proj.weight') ?? ctx.fail('no out_proj.weight');
  const outB = ctx.param('out_proj.bias');
  const e = optNumber(ctx, 'embed_dim', 0);
  const h = optNumber(ctx, 'num_heads', 1);
  const d = e / h;
  const batchFirst = optBool(ctx, 'batch_first', false);
  let q = ctx.tensorArg('query') ?? ctx.fail('no query');
  const dt = ctx.dtype(q);
  let k = ctx.tensorArg('key') ?? ctx.fail('no key');
  let v = ctx.tensorArg('value') ?? ctx.fail('no value');
  const qShape = ctx.shape(q);
  if (qShape.length !== 3) ctx.fail('unbatched attention inputs are not exported');
  if (!batchFirst) {
    const p = { perm: attr.ints([1, 0, 2]) };
    q = ctx.node('Transpose', [q], p)[0]!;
    k = ctx.node('Transpose', [k], p)[0]!;
    v = ctx.node('Transpose', [v], p)[0]!;
  }
  const bsz = batchFirst ? qShape[0]! : qShape[1]!;
  const l = batchFirst ? qShape[1]! : qShape[0]!;
  const kShape = ctx.shape(ctx.tensorArg('key')!);
  const s = batchFirst ? kShape[1]! : kShape[0]!;
  // Project with the three row blocks of the packed weight.
  const [wq, wk, wv] = ctx.node('Split', [inW, ctx.constInt64([e, e, e])], { axis: attr.int(0) }, 3) as [string, string, string];
  const [bq, bk, bv] = inB ? (ctx.node('Split', [inB, ctx.constInt64([e, e, e])], { axis: attr.int(0) }, 3) as [string, string, string]) : [null, null, null];
  const project = (x: string, w: string, b: string | null, len: number): string => {
    const wt = ctx.node('Transpose', [w], { perm: attr.ints([1, 0]) })[0]!;
    let y = ctx.node('MatMul', [x, wt])[0]!;
    if (b) y = ctx.node('Add', [y, b])[0]!;
    const heads = ctx.node('Reshape', [y, shapeConst(ctx, [bsz, len, h, d])])[0]!;
    return ctx.node('Transpose', [heads], { perm: attr.ints([0, 2, 1, 3]) })[0]!;
  };
  const qh = project(q, wq, bq, l);
  const kh = project(k, wk, bk, s);
  const vh = project(v, wv, bv, s);
  let mask: string | null = null;
  const am = ctx.tensorArg('attn_mask');
  const kpm = ctx.tensorArg('key_padding_mask');
  const toAdditive = (m: string): string =>
    ctx.dtype(m) === 'bool' ? ctx.node('Where', [m, scalar(ctx, -Infinity, dt), scalar(ctx, 0, dt)])[0]! : castTo(ctx, m, dt);
  if (am) mask = toAdditive(am); // [L, S] or [B·H, L, S]
  if (am && ctx.shape(am).length === 3) mask = ctx.node('Reshape', [mask!, shapeConst(ctx, [bsz, h, l, s])])[0]!;
  if (kpm) {
    const pm = ctx.node('Reshape', [toAdditive(kpm), shapeConst(ctx, [bsz, 1, 1, s])])[0]!;
    mask = mask ? ctx.node('Add', [mask, pm])[0]! : pm;
  }
  const [attnOut, weights] = attend(ctx, qh, kh, vh, 4, dt, 1 / Math.sqrt(d), mask, null);
  const merged = ctx.node('Reshape', [ctx.node('Transpose', [attnOut], { perm: attr.ints([0, 2, 1, 3]) })[0]!, shapeConst(ctx, [bsz, l, e])])[0]!;
  const outT = ctx.node('Transpose', [outW], { perm: attr.ints([1, 0]) })[0]!;
  let out = ctx.node('MatMul', [merged, outT])[0]!;
  if (outB) out = ctx.node('Add', [out, outB])[0]!;
  if (!batchFirst) out = ctx.node('Transpose', [out], { perm: attr.ints([1, 0, 2]) })[0]!;
  ctx.node('Identity', [out], {}, [ctx.outputs[0]!]);
  if (ctx.outputs[1]) {
    const avg = optBool(ctx, 'average_attn_weights', true);
    if (avg) reduceNode(ctx, 'ReduceMean', weights, [1], false, [ctx.outputs[1]]);
    else ctx.node('Identity', [weights], {}, [ctx.outputs[1]]);
  }
};

// more products

/** torch.einsum(equation, *operands): ONNX Einsum takes the same equation syntax. */
export const einsumLowering: OnnxLowering = (ctx) => {
  const eq = opt(ctx, 'equation');
  if (typeof eq !== 'string') ctx.fail('the equation must be a known string');
  // einsum(eq, a, b) and einsum(eq, [a, b]): the node's tensor inputs are the operands, in order.
  const list = ctx.inputs;
  const dt = ctx.dtype(ctx.outputs[0]!);
  ctx.node(
    'Einsum',
    list.map((t) => castTo(ctx, t, dt)),
    { equation: attr.string((eq as string).replace(/\s+/g, '')) },
    ctx.outputs,
  );
};

/** addmm / baddbmm: beta·input + alpha·(m1 @ m2). */
export function addProductLowering(m1: string, m2: string): OnnxLowering {
  return (ctx) => {
    const dt = ctx.dtype(ctx.outputs[0]!);
    const input = castTo(ctx, mainInput(ctx), dt);
    const a = castTo(ctx, ctx.tensorArg(m1) ?? ctx.fail(`no ${m1}`), dt);
    const b = castTo(ctx, ctx.tensorArg(m2) ?? ctx.fail(`no ${m2}`), dt);
    const beta = optNumber(ctx, 'beta', 1);
    const alpha = optNumber(ctx, 'alpha', 1);
    let prod = ctx.node('MatMul', [a, b])[0]!;
    if (alpha !== 1) prod = ctx.node('Mul', [prod, scalar(ctx, alpha, dt)])[0]!;
    if (beta === 0) {
      ctx.node('Identity', [prod], {}, ctx.outputs);
      return;
    }
    const scaled = beta === 1 ? input : ctx.node('Mul', [input, scalar(ctx, beta, dt)])[0]!;
    ctx.node('Add', [prod, scaled], {}, ctx.outputs);
  };
}

/** outer / ger: x[:, None] · v[None, :]. */
export const outerLowering: OnnxLowering = (ctx) => {
  const dt = ctx.dtype(ctx.outputs[0]!);
  const x = castTo(ctx, mainInput(ctx), dt);
  const v = castTo(ctx, ctx.tensorArg('vec2') ?? ctx.fail('no vec2'), dt);
  const col = ctx.node('Unsqueeze', [x, ctx.constInt64([1])])[0]!;
  ctx.node('Mul', [col, v], {}, ctx.outputs);
};

/** dot of two 1-D vectors: MatMul gives the 0-d result. */
export const dotLowering: OnnxLowering = (ctx) => {
  ctx.node('MatMul', [mainInput(ctx), ctx.tensorArg('other') ?? ctx.fail('no other')], {}, ctx.outputs);
};

/** nn.Bilinear: y[b, o] = x1[b, i] · W[o, i, j] · x2[b, j] + bias[o] (leading dims flattened). */
export const bilinearLowering: OnnxLowering = (ctx) => {
  const a = ctx.tensorArg('input1') ?? ctx.fail('no input1');
  const b = ctx.tensorArg('input2') ?? ctx.fail('no input2');
  const w = ctx.param('weight') ?? ctx.fail('no weight');
  const [, i1, i2] = ctx.shape(w) as [number, number, number];
  const a2 = ctx.node('Reshape', [a, shapeConst(ctx, [-1, i1])])[0]!;
  const b2 = ctx.node('Reshape', [b, shapeConst(ctx, [-1, i2])])[0]!;
  let y = ctx.node('Einsum', [a2, w, b2], { equation: attr.string('bi,oij,bj->bo') })[0]!;
  const bias = ctx.param('bias');
  if (bias) y = ctx.node('Add', [y, bias])[0]!;
  ctx.node('Reshape', [y, shapeConst(ctx, ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
};
