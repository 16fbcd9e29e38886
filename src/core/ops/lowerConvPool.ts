// ONNX lowerings of convolutions (incl. transposed), max/avg/adaptive pooling and unfold (im2col).
import { argInts, attr, OnnxLowering, OnnxLoweringContext } from './lowering';
import { mainInput, opt, optBool, optNumber, optString, shapeConst } from './lowerCommon';

type Ctx = OnnxLoweringContext;

/** Explicit [begins…, ends…] pads for torch's padding (ints, 'same' or 'valid'). */
function convPads(ctx: Ctx, nd: number, kernel: readonly number[], dilation: readonly number[]): number[] {
  const p = opt(ctx, 'padding');
  if (p === 'valid') return Array(2 * nd).fill(0);
  if (p === 'same') {
    const total = kernel.map((k, i) => dilation[i]! * (k - 1));
    return [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
  }
  const pads = argInts(p ?? 0, nd) ?? ctx.fail('padding must be known');
  return [...pads, ...pads];
}

function kernelOf(ctx: Ctx, nd: number, w: string | null): number[] {
  const k = opt(ctx, 'kernel_size');
  if (k !== undefined && k !== null) return argInts(k, nd) ?? ctx.fail('kernel_size must be known');
  if (!w) return ctx.fail('no kernel size');
  return [...ctx.shape(w).slice(2)];
}

/** nn.ConvNd and F.convNd, including non-zero padding modes via an explicit Pad. */
export function convLowering(nd: number): OnnxLowering {
  return (ctx) => {
    let x = mainInput(ctx);
    const w = ctx.tensorArg('weight') ?? ctx.param('weight') ?? ctx.fail('no weight');
    const b = ctx.tensorArg('bias') ?? ctx.param('bias');
    const kernel = kernelOf(ctx, nd, w);
    const dilation = argInts(opt(ctx, 'dilation') ?? 1, nd) ?? ctx.fail('dilation must be known');
    const strides = argInts(opt(ctx, 'stride') ?? 1, nd) ?? ctx.fail('stride must be known');
    let pads = convPads(ctx, nd, kernel, dilation);
    const mode = optString(ctx, 'padding_mode', 'zeros');
    const unbatched = ctx.shape(x).length === nd + 1;
    if (unbatched) x = ctx.node('Unsqueeze', [x, ctx.constInt64([0])])[0]!;
    if (mode !== 'zeros' && pads.some((p) => p > 0)) {
      const onnxMode = mode === 'reflect' ? 'reflect' : mode === 'replicate' ? 'edge' : ctx.fail(`padding_mode '${mode}' needs ONNX opset 19 (wrap)`);
      const full = [0, 0, ...pads.slice(0, nd), 0, 0, ...pads.slice(nd)];
      x = ctx.node('Pad', [x, ctx.constInt64(full)], { mode: attr.string(onnxMode) })[0]!;
      pads = Array(2 * nd).fill(0);
    }
    const attrs = {
      kernel_shape: attr.ints(kernel),
      strides: attr.ints(strides),
      pads: attr.ints(pads),
      dilations: attr.ints(dilation),
      group: attr.int(optNumber(ctx, 'groups', 1)),
    };
    const ins = b ? [x, w, b] : [x, w];
    if (unbatched) {
      const y = ctx.node('Conv', ins, attrs)[0]!;
      ctx.node('Squeeze', [y, ctx.constInt64([0])], {}, ctx.outputs);
    } else ctx.node('Conv', ins, attrs, ctx.outputs);
  };
}

/** nn.ConvTransposeNd and F.conv_transposeNd; `output_size` becomes the matching output_padding. */
export function convTransposeLowering(nd: number): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    if (ctx.shape(x).length === nd + 1) ctx.fail('unbatched input is not supported for transposed convolution export');
    const w = ctx.tensorArg('weight') ?? ctx.param('weight') ?? ctx.fail('no weight');
    const b = ctx.tensorArg('bias') ?? ctx.param('bias');
    const kernel = kernelOf(ctx, nd, w);
    const dilation = argInts(opt(ctx, 'dilation') ?? 1, nd) ?? ctx.fail('dilation must be known');
    const strides = argInts(opt(ctx, 'stride') ?? 1, nd) ?? ctx.fail('stride must be known');
    const pad = argInts(opt(ctx, 'padding') ?? 0, nd) ?? ctx.fail('padding must be known');
    const inShape = ctx.shape(x);
    const outShape = ctx.shape(ctx.outputs[0]!);
    // output_padding is whatever makes the formula reach the output size the shape rule computed.
    const outPad = kernel.map((k, i) => outShape[2 + i]! - ((inShape[2 + i]! - 1) * strides[i]! - 2 * pad[i]! + dilation[i]! * (k - 1) + 1));
    ctx.node(
      'ConvTranspose',
      b ? [x, w, b] : [x, w],
      {
        kernel_shape: attr.ints(kernel),
        strides: attr.ints(strides),
        pads: attr.ints([...pad, ...pad]),
        dilations: attr.ints(dilation),
        output_padding: attr.ints(outPad),
        group: attr.int(optNumber(ctx, 'groups', 1)),
      },
      ctx.outputs,
    );
  };
}

/** Pooling lowers batched (N, C, *spatial) inputs only. */
function withBatch(ctx: Ctx, nd: number, body: (x: string, outputs: readonly string[]) => void): void {
  const x = mainInput(ctx);
  if (ctx.shape(x).length !== nd + 2) ctx.fail('unbatched pooling inputs are not supported for export');
  body(x, ctx.outputs);
}

/** MaxPoolNd / F.max_poolNd (return_indices is refused). */
export function maxPoolLowering(nd: number): OnnxLowering {
  return (ctx) => {
    if (optBool(ctx, 'return_indices', false)) ctx.fail('return_indices is not supported for export');
    const kernel = kernelOf(ctx, nd, null);
    const strideArg = opt(ctx, 'stride');
    const strides =
      strideArg === null || strideArg === undefined || (Array.isArray(strideArg) && strideArg.length === 0)
        ? kernel
        : (argInts(strideArg, nd) ?? ctx.fail('stride must be known'));
    const pad = argInts(opt(ctx, 'padding') ?? 0, nd) ?? ctx.fail('padding must be known');
    const dilation = argInts(opt(ctx, 'dilation') ?? 1, nd) ?? ctx.fail('dilation must be known');
    withBatch(ctx, nd, (x, outs) => {
      ctx.node(
        'MaxPool',
        [x],
        {
          kernel_shape: attr.ints(kernel),
          strides: attr.ints(strides),
          pads: attr.ints([...pad, ...pad]),
          dilations: attr.ints(dilation),
          ceil_mode: attr.int(optBool(ctx, 'ceil_mode', false) ? 1 : 0),
        },
        outs,
      );
    });
  };
}

/** AvgPoolNd / F.avg_poolNd (divisor_override is refused). */
export function avgPoolLowering(nd: number): OnnxLowering {
  return (ctx) => {
    const div = opt(ctx, 'divisor_override');
    if (div !== null && div !== undefined) ctx.fail('divisor_override is not supported for export');
    const kernel = kernelOf(ctx, nd, null);
    const strideArg = opt(ctx, 'stride');
    const strides =
      strideArg === null || strideArg === undefined || (Array.isArray(strideArg) && strideArg.length === 0)
        ? kernel
        : (argInts(strideArg, nd) ?? ctx.fail('stride must be known'));
    const pad = argInts(opt(ctx, 'padding') ?? 0, nd) ?? ctx.fail('padding must be known');
    const ceil = optBool(ctx, 'ceil_mode', false);
    if (ceil && pad.some((p) => p > 0)) ctx.fail('ceil_mode with padding averages differently in ONNX; not exported');
    withBatch(ctx, nd, (x, outs) => {
      ctx.node(
        'AveragePool',
        [x],
        {
          kernel_shape: attr.ints(kernel),
          strides: attr.ints(strides),
          pads: attr.ints([...pad, ...pad]),
          ceil_mode: attr.int(ceil ? 1 : 0),
          count_include_pad: attr.int(optBool(ctx, 'count_include_pad', true) ? 1 : 0),
        },
        outs,
      );
    });
  };
}

/** Row-stochastic matrix [in, out] whose column j averages torch's adaptive window j. */
function adaptiveAvgMatrix(inSize: number, outSize: number): number[] {
  const m = Array(inSize * outSize).fill(0);
  for (let j = 0; j < outSize; j++) {
    const start = Math.floor((j * inSize) / outSize);
    const end = Math.ceil(((j + 1) * inSize) / outSize);
    for (let i = start; i < end; i++) m[i * outSize + j] = 1 / (end - start);
  }
  return m;
}

/** AdaptiveAvgPoolNd: AveragePool when the sizes divide, else one MatMul per spatial dim with an averaging matrix. */
export function adaptiveAvgPoolLowering(nd: number): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const inShape = ctx.shape(x);
    const outShape = ctx.shape(ctx.outputs[0]!);
    const r = inShape.length;
    const ins = inShape.slice(r - nd);
    const outs = outShape.slice(r - nd);
    if (r === nd + 2 && outs.every((o) => o === 1)) {
      ctx.node('GlobalAveragePool', [x], {}, ctx.outputs);
      return;
    }
    if (r === nd + 2 && ins.every((n, i) => n % outs[i]! === 0)) {
      const k = ins.map((n, i) => n / outs[i]!);
      ctx.node('AveragePool', [x], { kernel_shape: attr.ints(k), strides: attr.ints(k) }, ctx.outputs);
      return;
    }
    // Average along each spatial dim in turn: move it last, multiply by the [in, out] averaging matrix, move it back.
    let y = x;
    for (let i = 0; i < nd; i++) {
      const axis = r - nd + i;
      const perm = Array.from({ length: r }, (_, k) => k);
      perm[axis] = r - 1;
      perm[r - 1] = axis;
      const moved = axis === r - 1 ? y : ctx.node('Transpose', [y], { perm: attr.ints(perm) })[0]!;
      const m = ctx.constFloat(adaptiveAvgMatrix(ins[i]!, outs[i]!), [ins[i]!, outs[i]!], ctx.dtype(x));
      const pooled = ctx.node('MatMul', [moved, m])[0]!;
      y = axis === r - 1 ? pooled : ctx.node('Transpose', [pooled], { perm: attr.ints(perm) })[0]!;
    }
    ctx.node('Identity', [y], {}, ctx.outputs);
  };
}

/** AdaptiveMaxPoolNd: GlobalMaxPool or an exact MaxPool when the sizes divide; other sizes are refused. */
export function adaptiveMaxPoolLowering(nd: number): OnnxLowering {
  return (ctx) => {
    if (optBool(ctx, 'return_indices', false)) ctx.fail('return_indices is not supported for export');
    const x = mainInput(ctx);
    const inShape = ctx.shape(x);
    const outShape = ctx.shape(ctx.outputs[0]!);
    const r = inShape.length;
    if (r !== nd + 2) ctx.fail('unbatched input is not supported for export');
    const ins = inShape.slice(2);
    const outs = outShape.slice(2);
    if (outs.every((o) => o === 1)) ctx.node('GlobalMaxPool', [x], {}, ctx.outputs);
    else if (ins.every((n, i) => n % outs[i]! === 0)) {
      const k = ins.map((n, i) => n / outs[i]!);
      ctx.node('MaxPool', [x], { kernel_shape: attr.ints(k), strides: attr.ints(k) }, ctx.outputs);
    } else ctx.fail(`adaptive max pooling ${ins.join('x')} → ${outs.join('x')} has overlapping windows; not exported`);
  };
}

/** F.unfold / nn.Unfold (im2col) on [N, C, H, W]: a Conv with one-hot kernels, then [N, C·kh·kw, L]. */
export const unfoldLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const s = ctx.shape(x);
  if (s.length !== 4) ctx.fail('only batched 4-D unfold is exported');
  const c = s[1]!;
  const [kh, kw] = argInts(opt(ctx, 'kernel_size') ?? null, 2) ?? ctx.fail('kernel_size must be known');
  const k = kh! * kw!;
  // Output channel c·k + i·kw + j copies input channel c at kernel offset (i, j): torch's unfold order.
  const w: number[] = Array(c * k * c * k).fill(0);
  for (let ch = 0; ch < c; ch++) for (let p = 0; p < k; p++) w[(ch * k + p) * c * k + ch * k + p] = 1;
  const weight = ctx.constFloat(w, [c * k, c, kh!, kw!], ctx.dtype(x));
  const pad = argInts(opt(ctx, 'padding') ?? 0, 2) ?? ctx.fail('padding must be known');
  const y = ctx.node('Conv', [x, weight], {
    kernel_shape: attr.ints([kh!, kw!]),
    strides: attr.ints(argInts(opt(ctx, 'stride') ?? 1, 2) ?? ctx.fail('stride must be known')),
    dilations: attr.ints(argInts(opt(ctx, 'dilation') ?? 1, 2) ?? ctx.fail('dilation must be known')),
    pads: attr.ints([...pad, ...pad]),
  })[0]!;
  ctx.node('Reshape', [y, shapeConst(ctx, ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
};
