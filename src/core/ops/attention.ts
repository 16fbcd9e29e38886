// Attention: nn.MultiheadAttention (with its out_proj child) and F.scaled_dot_product_attention.
import { Dim, dim, dimAdd, dimEquals } from '../shape/dim';
import { DType, Shape } from '../shape/shape';
import { boolArg, floatArg, isNone, numArg, optNumArg, tensorArg } from './args';
import { linearTensors } from './linear';
import { matmulShape } from './matmul';
import { registerOps } from './registry';
import { factoryKwargs, kw, opt, req, vBool, vFloat, vNone } from './sig';
import { showShape } from './showShape';
import { BoundArgs, FunctionOpDef, ModuleOpDef, ShapeError, TensorSpec } from './types';
import { PyValue } from './values';
import { multiheadAttentionLowering, sdpaLowering } from './lowerLinear';
import { paramDtype, requireInputDtype, withParamDtype } from './paramDtype';

const T = 'MultiheadAttention';

interface MhaConfig {
  readonly e: number;
  readonly heads: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly bias: boolean;
  readonly biasKv: boolean;
  readonly zeroAttn: boolean;
  readonly batchFirst: boolean;
  /** Output features when not embed_dim (the functional form's out_proj_weight rows). */
  readonly outFeat?: Dim;
}

function config(attrs: BoundArgs): MhaConfig {
  const e = numArg(attrs, 'embed_dim', T);
  return {
    e,
    heads: numArg(attrs, 'num_heads', T),
    kdim: optNumArg(attrs, 'kdim', T) ?? e,
    vdim: optNumArg(attrs, 'vdim', T) ?? e,
    bias: boolArg(attrs, 'bias', T),
    biasKv: boolArg(attrs, 'add_bias_kv', T),
    zeroAttn: boolArg(attrs, 'add_zero_attn', T),
    batchFirst: boolArg(attrs, 'batch_first', T),
  };
}

function mhaTensors(c: MhaConfig): TensorSpec[] {
  const specs: TensorSpec[] = [];
  const xavier = (name: string, rows: number, cols: number): TensorSpec => ({
    name,
    shape: [rows, cols],
    dtype: 'float32',
    role: 'param',
    init: { kind: 'xavier_uniform', fanIn: cols, fanOut: rows },
  });
  if (c.kdim === c.e && c.vdim === c.e) specs.push(xavier('in_proj_weight', 3 * c.e, c.e));
  else specs.push(xavier('q_proj_weight', c.e, c.e), xavier('k_proj_weight', c.e, c.kdim), xavier('v_proj_weight', c.e, c.vdim));
  if (c.bias) specs.push({ name: 'in_proj_bias', shape: [3 * c.e], dtype: 'float32', role: 'param', init: { kind: 'zeros' } });
  if (c.biasKv) {
    for (const name of ['bias_k', 'bias_v']) {
      // xavier_normal_ on a [1, 1, E] tensor: fan_in = 1 * E, fan_out = 1 * E.
      specs.push({ name, shape: [1, 1, c.e], dtype: 'float32', role: 'param', init: { kind: 'xavier_normal', fanIn: c.e, fanOut: c.e } });
    }
  }
  return specs;
}

/** Splits a query/key/value shape into (seq, batch | null, features) following batch_first. */
function parts(s: Shape, batched: boolean, batchFirst: boolean): { seq: Dim; batch: Dim | null; feat: Dim } {
  if (!batched) return { seq: s[0], batch: null, feat: s[1] };
  return batchFirst ? { seq: s[1], batch: s[0], feat: s[2] } : { seq: s[0], batch: s[1], feat: s[2] };
}

function mhaInfer(c: MhaConfig, args: BoundArgs, ctx: Parameters<ModuleOpDef['infer']>[2], dtype: DType): PyValue {
  const q = tensorArg(args, 'query', T);
  const k = tensorArg(args, 'key', T);
  const v = tensorArg(args, 'value', T);
  requireInputDtype(T, q, dtype);
  const needWeights = boolArg(args, 'need_weights', T);
  const average = boolArg(args, 'average_attn_weights', T);
  if (!q.shape || !k.shape || !v.shape) {
    return { kind: 'tuple', items: [ctx.tensor(null, q.dtype), needWeights ? ctx.tensor(null, q.dtype) : vNone] };
  }
  const rank = q.shape.length;
  if (rank !== 2 && rank !== 3) throw new ShapeError(`${T}: query should be unbatched 2D or batched 3D, but got ${showShape(q.shape)}`);
  if (k.shape.length !== rank || v.shape.length !== rank) {
    throw new ShapeError(`${T}: for a ${rank}D query, key and value must be ${rank}D too, got key ${showShape(k.shape)} and value ${showShape(v.shape)}`);
  }
  const batched = rank === 3;
  const pq = parts(q.shape, batched, c.batchFirst);
  const pk = parts(k.shape, batched, c.batchFirst);
  const pv = parts(v.shape, batched, c.batchFirst);
  const layout = batched ? (c.batchFirst ? '[batch, seq, features]' : '[seq, batch, features]') : '[seq, features]';
  if (dimEquals(pq.feat, c.e) === false)
    throw new ShapeError(`${T}: expects query with embed_dim=${c.e} features but got ${pq.feat.value} (query ${showShape(q.shape)}, layout ${layout})`);
  if (dimEquals(pk.feat, c.kdim) === false)
    throw new ShapeError(`${T}: expects key with kdim=${c.kdim} features but got ${pk.feat.value} (key ${showShape(k.shape)})`);
  if (dimEquals(pv.feat, c.vdim) === false)
    throw new ShapeError(`${T}: expects value with vdim=${c.vdim} features but got ${pv.feat.value} (value ${showShape(v.shape)})`);
  if (dimEquals(pk.seq, pv.seq) === false)
    throw new ShapeError(`${T}: key ${showShape(k.shape)} and value ${showShape(v.shape)} must have the same sequence length`);
  if (batched && (dimEquals(pq.batch as Dim, pk.batch as Dim) === false || dimEquals(pk.batch as Dim, pv.batch as Dim) === false)) {
    throw new ShapeError(
      `${T}: query, key and value must have the same batch size, got ${showShape(q.shape)}, ${showShape(k.shape)} and ${showShape(v.shape)} (layout ${layout})`,
    );
  }
  checkMasks(c, args, pq.seq, pk.seq, pq.batch);
  const s = dimAdd(pk.seq, (c.biasKv ? 1 : 0) + (c.zeroAttn ? 1 : 0));
  const out = ctx.tensor([...q.shape.slice(0, -1), c.outFeat ?? dim(c.e)], q.dtype);
  if (!needWeights) return { kind: 'tuple', items: [out, vNone] };
  const lead = batched ? [pq.batch as Dim] : [];
  const weights = average ? [...lead, pq.seq, s] : [...lead, dim(c.heads), pq.seq, s];
  return { kind: 'tuple', items: [out, ctx.tensor(weights, q.dtype)] };
}

/** attn_mask is [L, S] or [N*heads, L, S]; key_padding_mask is [N, S] (or [S] unbatched). */
function checkMasks(c: MhaConfig, args: BoundArgs, l: Dim, s: Dim, batch: Dim | null): void {
  const same = (a: Shape, b: readonly (Dim | number)[]) => a.length === b.length && a.every((d, i) => dimEquals(d, b[i]) !== false);
  const am = args.attn_mask;
  if (am && am.kind === 'tensor' && am.shape) {
    if (am.shape.length === 2 && !same(am.shape, [l, s])) {
      throw new ShapeError(`${T}: the 2D attn_mask is ${showShape(am.shape)}, but should be [${l.value}, ${s.value}] (target length, source length)`);
    }
    if (am.shape.length === 3) {
      const nh = batch && batch.value !== null ? batch.value * c.heads : null;
      if (!same(am.shape, [nh ?? am.shape[0], l, s])) {
        throw new ShapeError(`${T}: the 3D attn_mask is ${showShape(am.shape)}, but should be [${nh ?? 'batch*num_heads'}, ${l.value}, ${s.value}]`);
      }
    }
    if (am.shape.length !== 2 && am.shape.length !== 3)
      throw new ShapeError(`${T}: attn_mask's dimension ${am.shape.length} is not supported (expected 2D or 3D)`);
  }
  const kpm = args.key_padding_mask;
  if (kpm && kpm.kind === 'tensor' && kpm.shape) {
    const want = batch ? [batch, s] : [s];
    if (!same(kpm.shape, want)) {
      throw new ShapeError(
        `${T}: expecting key_padding_mask shape of [${want.map((d) => d.value).join(', ')}] (batch, source length), but got ${showShape(kpm.shape)}`,
      );
    }
  }
}

function mhaFlops(c: MhaConfig, args: BoundArgs): number {
  const q = args.query;
  const k = args.key;
  if (!q || q.kind !== 'tensor' || !q.shape || !k || k.kind !== 'tensor' || !k.shape) return 0;
  const batched = q.shape.length === 3;
  const pq = parts(q.shape, batched, c.batchFirst);
  const pk = parts(k.shape, batched, c.batchFirst);
  const n = pq.batch?.value ?? 1;
  const l = pq.seq.value ?? 0;
  const s = pk.seq.value ?? 0;
  // Projections (q, k, v, out), scores Q·Kᵀ and the weighted sum, 2 FLOPs per MAC each.
  return 2 * n * (l * c.e * c.e + s * c.e * c.kdim + s * c.e * c.vdim + 2 * l * s * c.e + l * c.e * c.e);
}

const mha: ModuleOpDef = {
  kind: 'module',
  type: T,
  family: 'attention',
  optionalTensors: ['in_proj_weight', 'q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'in_proj_bias', 'bias_k', 'bias_v'],
  ctor: [
    req('embed_dim'),
    req('num_heads'),
    opt('dropout', vFloat(0)),
    opt('bias', vBool(true)),
    opt('add_bias_kv', vBool(false)),
    opt('add_zero_attn', vBool(false)),
    opt('kdim', vNone),
    opt('vdim', vNone),
    opt('batch_first', vBool(false)),
    ...factoryKwargs,
  ],
  forward: [
    req('query'),
    req('key'),
    req('value'),
    opt('key_padding_mask', vNone),
    opt('need_weights', vBool(true)),
    opt('attn_mask', vNone),
    opt('average_attn_weights', vBool(true)),
  ],
  validate(attrs) {
    const c = config(attrs);
    if (c.heads < 1 || c.e % c.heads !== 0) throw new ShapeError(`${T}: embed_dim must be divisible by num_heads (${c.e} % ${c.heads} != 0)`);
    const p = floatArg(attrs, 'dropout', T);
    if (p < 0 || p > 1) throw new ShapeError(`${T}: dropout must be between 0 and 1, got ${p}`);
  },
  tensors: (attrs) => withParamDtype(mhaTensors(config(attrs)), attrs, T),
  submodules(attrs) {
    const c = config(attrs);
    // out_proj is applied through its weight inside the attention function, never called as a module.
    const tensors = linearTensors(c.e, c.e, c.bias).map((t): TensorSpec => (t.name === 'bias' ? { ...t, init: { kind: 'zeros' } } : t));
    return [{ name: 'out_proj', type: 'NonDynamicallyQuantizableLinear', tensors: withParamDtype(tensors, attrs, T) }];
  },
  infer: (attrs, args, ctx) => mhaInfer(config(attrs), args, ctx, paramDtype(attrs, T)),
  // kdim/vdim are stored as embed_dim when not given.
  attr: (attrs, name) => ((name === 'kdim' || name === 'vdim') && isNone(attrs[name]) ? attrs.embed_dim : undefined),
  flops: (attrs, args) => mhaFlops(config(attrs), args),
  onnx: multiheadAttentionLowering,
};

const sdpa: FunctionOpDef = {
  kind: 'function',
  name: 'F.scaled_dot_product_attention',
  aliases: ['torch.nn.functional.scaled_dot_product_attention'],
  family: 'attention',
  signature: [req('query'), req('key'), req('value'), opt('attn_mask', vNone), opt('dropout_p', vFloat(0)), opt('is_causal', vBool(false)), kw('scale', vNone)],
  infer(args, ctx) {
    const op = 'F.scaled_dot_product_attention';
    const q = tensorArg(args, 'query', op);
    const k = tensorArg(args, 'key', op);
    const v = tensorArg(args, 'value', op);
    if (!isNone(args.attn_mask)) tensorArg(args, 'attn_mask', op);
    if (!q.shape || !k.shape || !v.shape) return ctx.tensor(null, q.dtype);
    for (const [name, t] of [
      ['query', q],
      ['key', k],
      ['value', v],
    ] as const) {
      if ((t.shape as Shape).length < 2) throw new ShapeError(`${op}: ${name} must have at least 2 dims [..., L, E], got ${showShape(t.shape)}`);
    }
    // softmax(Q Kᵀ) V: [..., L, E] x [..., E, S] → [..., L, S], then x [..., S, Ev].
    const kt = [...k.shape.slice(0, -2), k.shape[k.shape.length - 1], k.shape[k.shape.length - 2]];
    const scores = matmulShape(`${op} (query @ key^T)`, q.shape, kt);
    return ctx.tensor(matmulShape(`${op} (weights @ value)`, scores, v.shape), q.dtype);
  },
  flops(args) {
    const q = args.query;
    const k = args.key;
    if (!q || q.kind !== 'tensor' || !q.shape || !k || k.kind !== 'tensor' || !k.shape || q.shape.length < 2 || k.shape.length < 2) return 0;
    const l = q.shape[q.shape.length - 2].value ?? 0;
    const e = q.shape[q.shape.length - 1].value ?? 0;
    const s = k.shape[k.shape.length - 2].value ?? 0;
    const batch = q.shape.slice(0, -2).reduce((a, d) => a * (d.value ?? 0), 1);
    return 2 * 2 * batch * l * s * e;
  },
  onnx: sdpaLowering,
};

const MHF = 'F.multi_head_attention_forward';

/** The functional form nn.MultiheadAttention runs: sequence-first (L, N, E) or unbatched, weights passed in. */
function mhaForwardConfig(args: BoundArgs): MhaConfig {
  const e = numArg(args, 'embed_dim_to_check', MHF);
  const heads = numArg(args, 'num_heads', MHF);
  if (heads < 1 || e % heads !== 0) throw new ShapeError(`${MHF}: embed_dim ${e} not divisible by num_heads ${heads}`);
  const separate = boolArg(args, 'use_separate_proj_weight', MHF);
  const weight = (name: string, rows: Dim | number, cols: Dim | number | null): Dim | null => {
    const w = args[name];
    if (!w || w.kind !== 'tensor') throw new ShapeError(`${MHF}: ${name} must be a tensor when use_separate_proj_weight is ${separate ? 'True' : 'False'}`);
    if (!w.shape) return null;
    if (w.shape.length !== 2 || dimEquals(w.shape[0], rows) === false || (cols !== null && dimEquals(w.shape[1], cols) === false))
      throw new ShapeError(
        `${MHF}: ${name} is ${showShape(w.shape)}, but should be [${typeof rows === 'number' ? rows : rows.value}, ${cols === null ? 'features' : typeof cols === 'number' ? cols : cols.value}]`,
      );
    return w.shape[1];
  };
  let kdim = e;
  let vdim = e;
  if (separate) {
    weight('q_proj_weight', e, e);
    kdim = weight('k_proj_weight', e, null)?.value ?? e;
    vdim = weight('v_proj_weight', e, null)?.value ?? e;
  } else weight('in_proj_weight', 3 * e, e);
  const ow = args.out_proj_weight;
  const outFeat = ow && ow.kind === 'tensor' && ow.shape && ow.shape.length === 2 ? ow.shape[0] : undefined;
  if (outFeat && ow && ow.kind === 'tensor' && ow.shape && dimEquals(ow.shape[1], e) === false)
    throw new ShapeError(`${MHF}: out_proj_weight is ${showShape(ow.shape)}, but its second dimension should be embed_dim ${e}`);
  return {
    e,
    heads,
    kdim,
    vdim,
    bias: !isNone(args.in_proj_bias),
    biasKv: !isNone(args.bias_k),
    zeroAttn: boolArg(args, 'add_zero_attn', MHF),
    batchFirst: false,
    outFeat,
  };
}

const mhaForward: FunctionOpDef = {
  kind: 'function',
  name: MHF,
  aliases: ['torch.nn.functional.multi_head_attention_forward'],
  family: 'attention',
  signature: [
    req('query'),
    req('key'),
    req('value'),
    req('embed_dim_to_check'),
    req('num_heads'),
    req('in_proj_weight'),
    req('in_proj_bias'),
    req('bias_k'),
    req('bias_v'),
    req('add_zero_attn'),
    req('dropout_p'),
    req('out_proj_weight'),
    req('out_proj_bias'),
    opt('training', vBool(true)),
    opt('key_padding_mask', vNone),
    opt('need_weights', vBool(true)),
    opt('attn_mask', vNone),
    opt('use_separate_proj_weight', vBool(false)),
    opt('q_proj_weight', vNone),
    opt('k_proj_weight', vNone),
    opt('v_proj_weight', vNone),
    opt('static_k', vNone),
    opt('static_v', vNone),
    opt('average_attn_weights', vBool(true)),
  ],
  infer(args, ctx) {
    const c = mhaForwardConfig(args);
    const k = tensorArg(args, 'key', MHF);
    const v = tensorArg(args, 'value', MHF);
    if (k.shape && v.shape && !boolArg(args, 'use_separate_proj_weight', MHF)) {
      if (k.shape.length !== v.shape.length || k.shape.some((d, i) => dimEquals(d, v.shape![i]) === false))
        throw new ShapeError(`${MHF}: key shape ${showShape(k.shape)} does not match value shape ${showShape(v.shape)}`);
    }
    return mhaInfer(c, args, ctx, tensorArg(args, 'query', MHF).dtype);
  },
  flops: (args) => {
    try {
      return mhaFlops(mhaForwardConfig(args), args);
    } catch {
      return 0;
    }
  },
};

registerOps([mha, sdpa, mhaForward]);
