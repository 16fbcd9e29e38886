// ONNX lowerings of padding, interpolation (torch coordinate conventions), pixel (un)shuffle, grid_sample and affine_grid.
import { argInts, argNumber, attr, LoweringArg, OnnxAttr, OnnxLowering, OnnxLoweringContext } from './lowering';
import { mainInput, opt, optBool, optNumber, optString, shapeConst } from './lowerCommon';
import { adaptiveAvgPoolLowering } from './lowerConvPool';

type Ctx = OnnxLoweringContext;

/** Pad with torch's pad list (last dim first, [before, after] pairs; negative values crop). */
function emitPad(ctx: Ctx, list: readonly number[], mode: string): void {
  const x = mainInput(ctx);
  const rank = ctx.shape(x).length;
  const begins = Array(rank).fill(0);
  const ends = Array(rank).fill(0);
  for (let k = 0; k < list.length / 2; k++) {
    begins[rank - 1 - k] = list[2 * k]!;
    ends[rank - 1 - k] = list[2 * k + 1]!;
  }
  const onnxMode =
    mode === 'constant' ? 'constant' : mode === 'reflect' ? 'reflect' : mode === 'replicate' ? 'edge' : ctx.fail(`pad mode '${mode}' is not in ONNX opset 17`);
  const ins = [x, ctx.constInt64([...begins, ...ends])];
  if (onnxMode === 'constant') {
    const v = optNumber(ctx, 'value', 0);
    if (v !== 0) ins.push(ctx.constFloat([v], [], ctx.dtype(x)));
  }
  ctx.node('Pad', ins, { mode: attr.string(onnxMode) }, ctx.outputs);
}

/** F.pad(input, pad, mode, value). */
export function padLowering(): OnnxLowering {
  return (ctx) => {
    const raw = opt(ctx, 'pad');
    const list = Array.isArray(raw) ? argInts(raw, raw.length) : null;
    if (!list) ctx.fail('pad must be a list of known ints');
    emitPad(ctx, list!, optString(ctx, 'mode', 'constant'));
  };
}

/** ZeroPad2d, ConstantPadNd, ReflectionPadNd, ReplicationPadNd: `padding` is an int or 2·nd ints. */
export function padModuleLowering(nd: number, mode: string): OnnxLowering {
  return (ctx) => {
    const list = argInts(opt(ctx, 'padding') ?? null, 2 * nd);
    if (!list) ctx.fail('padding must be known');
    emitPad(ctx, list!, mode);
  };
}

/** F.interpolate / nn.Upsample: Resize with torch's coordinate conventions for each mode. */
export function resizeLowering(fixedMode?: string, fixedAlign?: boolean): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const inShape = ctx.shape(x);
    const outShape = ctx.shape(ctx.outputs[0]!);
    const nd = inShape.length - 2;
    const mode = fixedMode ?? optString(ctx, 'mode', 'nearest');
    const align = fixedAlign ?? optBool(ctx, 'align_corners', false);
    if (mode === 'area') {
      adaptiveAvgPoolLowering(nd)(ctx);
      return;
    }
    const attrs: Record<string, OnnxAttr> = {};
    if (mode === 'nearest') {
      attrs.mode = attr.string('nearest');
      attrs.coordinate_transformation_mode = attr.string('asymmetric');
      attrs.nearest_mode = attr.string('floor');
    } else if (mode === 'nearest-exact') {
      attrs.mode = attr.string('nearest');
      attrs.coordinate_transformation_mode = attr.string('half_pixel');
      attrs.nearest_mode = attr.string('round_prefer_ceil');
    } else if (mode === 'linear' || mode === 'bilinear' || mode === 'trilinear' || mode === 'bicubic') {
      attrs.mode = attr.string(mode === 'bicubic' ? 'cubic' : 'linear');
      attrs.coordinate_transformation_mode = attr.string(align ? 'align_corners' : 'pytorch_half_pixel');
      if (mode === 'bicubic') attrs.cubic_coeff_a = attr.float(-0.75);
    } else ctx.fail(`interpolation mode '${mode}' is not supported`);
    // With a scale factor (and no recompute), torch maps coordinates with the given scale, not out/in.
    const sf = opt(ctx, 'scale_factor');
    const recompute = optBool(ctx, 'recompute_scale_factor', false);
    const size = opt(ctx, 'size');
    if (sf !== null && sf !== undefined && (size === null || size === undefined) && !recompute && !align) {
      const scales = argInts(sf, nd);
      const fs = Array.isArray(sf) ? (sf as LoweringArg[]).map(argNumber) : Array(nd).fill(argNumber(sf));
      if (!scales || fs.some((v) => v === null)) ctx.fail('scale_factor must be known');
      ctx.node('Resize', [x, '', ctx.constFloat([1, 1, ...(fs as number[])])], attrs, ctx.outputs);
      return;
    }
    ctx.node('Resize', [x, '', '', ctx.constInt64(outShape)], attrs, ctx.outputs);
  };
}

/** pixel_shuffle / pixel_unshuffle as Reshape → Transpose → Reshape (torch's channel order). */
export function pixelShuffleLowering(unshuffle: boolean): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const s = ctx.shape(x);
    const r = optNumber(ctx, unshuffle ? 'downscale_factor' : 'upscale_factor', 1);
    const lead = s.slice(0, s.length - 3);
    const [c, h, w] = s.slice(-3) as [number, number, number];
    const L = lead.length;
    let mid: number[];
    let perm: number[];
    if (!unshuffle) {
      mid = [...lead, c / (r * r), r, r, h, w];
      perm = [...lead.map((_, i) => i), L, L + 3, L + 1, L + 4, L + 2];
    } else {
      mid = [...lead, c, h / r, r, w / r, r];
      perm = [...lead.map((_, i) => i), L, L + 2, L + 4, L + 1, L + 3];
    }
    const a = ctx.node('Reshape', [x, shapeConst(ctx, mid)])[0]!;
    const t = ctx.node('Transpose', [a], { perm: attr.ints(perm) })[0]!;
    ctx.node('Reshape', [t, shapeConst(ctx, ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
  };
}

/** F.grid_sample on 4-D inputs: ONNX GridSample (opset 16) with torch's modes and align_corners (default False). */
export const gridSampleLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  if (ctx.shape(x).length !== 4) ctx.fail('only 4-D grid_sample is in ONNX opset 17');
  const grid = ctx.tensorArg('grid') ?? ctx.fail('no grid');
  const mode = optString(ctx, 'mode', 'bilinear');
  ctx.node(
    'GridSample',
    [x, grid],
    {
      mode: attr.string(mode),
      padding_mode: attr.string(optString(ctx, 'padding_mode', 'zeros')),
      align_corners: attr.int(optBool(ctx, 'align_corners', false) ? 1 : 0),
    },
    ctx.outputs,
  );
};

/** F.affine_grid(theta, size, align_corners): the normalised base grid [x, y(, z), 1] times θᵀ. */
export const affineGridLowering: OnnxLowering = (ctx) => {
  const theta = ctx.tensorArg('theta') ?? ctx.fail('no theta');
  const out = ctx.shape(ctx.outputs[0]!); // [N, (D,) H, W, k]
  const k = out[out.length - 1]!;
  const spatial = out.slice(1, -1); // (D,) H, W
  const align = optBool(ctx, 'align_corners', false);
  const coord = (i: number, n: number): number => (n === 1 ? 0 : align ? -1 + (2 * i) / (n - 1) : (2 * i + 1) / n - 1);
  // Rows in C order over (D,) H, W; columns x (along W), y (along H), z (along D), then 1.
  const rows: number[] = [];
  const total = spatial.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    const idx: number[] = [];
    for (let d = spatial.length - 1; d >= 0; d--) {
      idx[d] = rest % spatial[d]!;
      rest = Math.floor(rest / spatial[d]!);
    }
    for (let c = 0; c < k; c++) {
      const d = spatial.length - 1 - c;
      rows.push(coord(idx[d]!, spatial[d]!));
    }
    rows.push(1);
  }
  const base = ctx.constFloat(rows, [total, k + 1], ctx.dtype(theta));
  const thetaT = ctx.node('Transpose', [theta], { perm: attr.ints([0, 2, 1]) })[0]!;
  const g = ctx.node('MatMul', [base, thetaT])[0]!;
  ctx.node('Reshape', [g, shapeConst(ctx, out)], {}, ctx.outputs);
};
