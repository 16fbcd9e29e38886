// Resampling: F.interpolate / F.upsample, nn.Upsample(+Nearest2d/Bilinear2d), PixelShuffle/PixelUnshuffle.
import { Dim, dimFloorDiv, dimMul, dimMod } from '../shape/dim';
import { Shape } from '../shape/shape';
import { boolArg, dimsOf, floatOf, isNone, numArg, seqItems, strArg, tensorArg } from './args';
import { numelOf } from './flopsCount';
import { registerOps } from './registry';
import { opt, req, vBool, vNone, vStr } from './sig';
import { showShape } from './showShape';
import { BoundArgs, FunctionOpDef, ModuleOpDef, ShapeError } from './types';
import { PyValue, TensorValue } from './values';
import { pixelShuffleLowering, resizeLowering } from './lowerResample';

/** Rank each interpolation mode needs (null: any of 3/4/5). */
const MODE_RANK: Readonly<Record<string, number | null>> = {
  nearest: null,
  'nearest-exact': null,
  area: null,
  linear: 3,
  bilinear: 4,
  bicubic: 4,
  trilinear: 5,
};
const INTERPOLATING = ['linear', 'bilinear', 'bicubic', 'trilinear'];
/** Source pixels read per output element (FLOPs are 2 per tap; nearest copies). */
const TAPS: Readonly<Record<string, number>> = { nearest: 0, 'nearest-exact': 0, area: 1, linear: 2, bilinear: 4, bicubic: 16, trilinear: 8 };

/** The smallest-denominator fraction equal to `x` (as a double), if there is a small one. */
function asFraction(x: number): [number, number] | null {
  for (let q = 1; q <= 4096; q++) {
    const p = Math.round(x * q);
    if (p / q === x) return [p, q];
  }
  return null;
}

/** floor(n * scale) computed the way torch does (in double), kept symbolic when the scale is a simple fraction. */
export function scaleDim(n: Dim, scale: number): Dim {
  const value = n.value === null ? null : Math.floor(n.value * scale);
  const frac = asFraction(scale);
  if (frac && frac[0] >= 0) {
    const d = dimFloorDiv(dimMul(n, frac[0]), frac[1]);
    if (d.value === value) return d;
  }
  return { value, expr: null };
}

export interface InterpolateArgs {
  readonly size: PyValue;
  readonly scale: PyValue;
  readonly mode: string;
  readonly alignCorners: PyValue;
  readonly recompute: PyValue;
  readonly antialias: boolean;
}

export function interpolateShape(op: string, x: TensorValue, a: InterpolateArgs): Shape | null {
  if (!(a.mode in MODE_RANK)) {
    throw new ShapeError(`${op}: unsupported mode '${a.mode}' (expected one of ${Object.keys(MODE_RANK).join(', ')})`);
  }
  if (!isNone(a.alignCorners) && !INTERPOLATING.includes(a.mode)) {
    throw new ShapeError(
      `${op}: align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear (mode is '${a.mode}')`,
    );
  }
  if (a.antialias && a.mode !== 'bilinear' && a.mode !== 'bicubic') {
    throw new ShapeError(`${op}: anti-alias option is only supported for bilinear and bicubic modes`);
  }
  const hasSize = !isNone(a.size);
  const hasScale = !isNone(a.scale);
  if (hasSize && hasScale) throw new ShapeError(`${op}: only one of size or scale_factor should be defined`);
  if (!hasSize && !hasScale) throw new ShapeError(`${op}: either size or scale_factor should be defined`);
  if (hasSize && !isNone(a.recompute) && boolFrom(a.recompute)) {
    throw new ShapeError(`${op}: recompute_scale_factor is not meaningful with an explicit size`);
  }
  if (!x.shape) return null;
  const r = x.shape.length;
  if (r < 3 || r > 5) {
    throw new ShapeError(`${op}: only 3D, 4D and 5D inputs [N, C, *spatial] are supported, got ${r}D input ${showShape(x.shape)} (mode '${a.mode}')`);
  }
  const need = MODE_RANK[a.mode];
  if (need !== null && need !== r) throw new ShapeError(`${op}: got ${r}D input ${showShape(x.shape)}, but ${a.mode} mode needs ${need}D input`);
  const nd = r - 2;
  const spatialIn = x.shape.slice(2);
  let spatialOut: Dim[];
  if (hasSize) {
    const items = seqItems(a.size);
    if (items && items.length !== nd) {
      throw new ShapeError(
        `${op}: input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ` +
          `${showShape(spatialIn)} and output size of ${items.length} elements`,
      );
    }
    const sizes = dimsOf(a.size, op, 'size');
    spatialOut = items ? sizes : spatialIn.map(() => sizes[0]);
  } else {
    const items = seqItems(a.scale);
    if (items && items.length !== nd) {
      throw new ShapeError(`${op}: scale_factor has ${items.length} elements but the input ${showShape(x.shape)} has ${nd} spatial dimensions`);
    }
    const scales = (items ?? spatialIn.map(() => a.scale)).map((v, i) => floatOf(v, op, `scale_factor[${i}]`));
    spatialOut = spatialIn.map((n, i) => scaleDim(n, scales[i]));
  }
  // 'area' is adaptive average pooling, which accepts empty outputs; the interpolation kernels do not.
  const minimum = a.mode === 'area' ? 0 : 1;
  if (spatialOut.some((d) => d.value !== null && d.value < minimum)) {
    throw new ShapeError(`${op}: input and output sizes should be greater than 0, but got input ${showShape(spatialIn)} and output ${showShape(spatialOut)}`);
  }
  return [...x.shape.slice(0, 2), ...spatialOut];
}

function boolFrom(v: PyValue): boolean {
  return v.kind === 'bool' ? v.value : v.kind === 'int' ? v.dim.value !== 0 : true;
}

function interpolateFlops(mode: string, out: PyValue): number {
  return 2 * (TAPS[mode] ?? 0) * numelOf(out);
}

const interpolateSig = [
  req('input'),
  opt('size', vNone),
  opt('scale_factor', vNone),
  opt('mode', vStr('nearest')),
  opt('align_corners', vNone),
  opt('recompute_scale_factor', vNone),
  opt('antialias', vBool(false)),
];

function interpolateFn(name: string, aliases: string[], withExtras: boolean): FunctionOpDef {
  return {
    kind: 'function',
    name,
    aliases,
    family: 'resample',
    signature: withExtras ? interpolateSig : interpolateSig.slice(0, 5),
    infer(args, ctx) {
      const x = tensorArg(args, 'input', name);
      const shape = interpolateShape(name, x, {
        size: args.size,
        scale: args.scale_factor,
        mode: strArg(args, 'mode', name),
        alignCorners: args.align_corners,
        recompute: args.recompute_scale_factor ?? vNone,
        antialias: withExtras && boolArg(args, 'antialias', name),
      });
      return ctx.tensor(shape, x.dtype);
    },
    flops: (args, out) => interpolateFlops(args.mode && args.mode.kind === 'str' ? args.mode.value : 'nearest', out),
    onnx: resizeLowering(),
  };
}

function upsampleModule(type: string, fixedMode: string | null): ModuleOpDef {
  const ctor = fixedMode
    ? [opt('size', vNone), opt('scale_factor', vNone)]
    : [opt('size', vNone), opt('scale_factor', vNone), opt('mode', vStr('nearest')), opt('align_corners', vNone), opt('recompute_scale_factor', vNone)];
  const modeOf = (attrs: BoundArgs): string => fixedMode ?? strArg(attrs, 'mode', type);
  return {
    kind: 'module',
    type,
    family: 'resample',
    ctor,
    forward: [req('input')],
    tensors: () => [],
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      const mode = modeOf(attrs);
      // UpsamplingBilinear2d is bilinear with align_corners=True.
      const alignCorners: PyValue = fixedMode === 'bilinear' ? { kind: 'bool', value: true } : (attrs.align_corners ?? vNone);
      const shape = interpolateShape(type, x, {
        size: attrs.size ?? vNone,
        scale: attrs.scale_factor ?? vNone,
        mode,
        alignCorners,
        recompute: attrs.recompute_scale_factor ?? vNone,
        antialias: false,
      });
      return ctx.tensor(shape, x.dtype);
    },
    flops: (attrs, _args, out) => interpolateFlops(modeOf(attrs), out),
    // UpsamplingBilinear2d is bilinear with align_corners=True; UpsamplingNearest2d is nearest.
    onnx: resizeLowering(fixedMode ?? undefined, fixedMode === 'bilinear' ? true : undefined),
  };
}

function pixelShuffleShape(op: string, x: TensorValue, r: number, inverse: boolean): Shape | null {
  if (r < 1) throw new ShapeError(`${op}: the factor must be positive, got ${r}`);
  if (!x.shape) return null;
  const s = x.shape;
  if (s.length < 3) throw new ShapeError(`${op} expects an input with at least 3 dims [*, C, H, W], got ${showShape(s)}`);
  const [c, h, w] = s.slice(-3);
  const lead = s.slice(0, -3);
  if (!inverse) {
    if (c.value !== null && c.value % (r * r) !== 0) {
      throw new ShapeError(`${op}: the channel dim (dim -3) must be divisible by upscale_factor² = ${r * r}, but it is ${c.value} (input ${showShape(s)})`);
    }
    return [...lead, dimFloorDiv(c, r * r), dimMul(h, r), dimMul(w, r)];
  }
  for (const [d, label] of [
    [h, 'height'],
    [w, 'width'],
  ] as const) {
    const rem = dimMod(d, r);
    if (rem.value !== null && rem.value !== 0) {
      throw new ShapeError(`${op}: the ${label} (${d.value}) must be divisible by downscale_factor=${r} (input ${showShape(s)})`);
    }
  }
  return [...lead, dimMul(c, r * r), dimFloorDiv(h, r), dimFloorDiv(w, r)];
}

function pixelShuffleModule(type: string, param: string, inverse: boolean): ModuleOpDef {
  return {
    kind: 'module',
    type,
    family: 'resample',
    ctor: [req(param)],
    forward: [req('input')],
    tensors: () => [],
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      return ctx.tensor(pixelShuffleShape(type, x, numArg(attrs, param, type), inverse), x.dtype);
    },
    flops: () => 0,
    onnx: pixelShuffleLowering(inverse),
  };
}

function pixelShuffleFn(fn: string, param: string, inverse: boolean): FunctionOpDef {
  const name = `F.${fn}`;
  return {
    kind: 'function',
    name,
    aliases: [`torch.nn.functional.${fn}`, `torch.${fn}`],
    family: 'resample',
    signature: [req('input'), req(param)],
    infer(args, ctx) {
      const x = tensorArg(args, 'input', name);
      return ctx.tensor(pixelShuffleShape(name, x, numArg(args, param, name), inverse), x.dtype);
    },
    onnx: pixelShuffleLowering(inverse),
  };
}

registerOps([
  interpolateFn('F.interpolate', ['torch.nn.functional.interpolate'], true),
  interpolateFn('F.upsample', ['torch.nn.functional.upsample'], false),
  upsampleModule('Upsample', null),
  upsampleModule('UpsamplingNearest2d', 'nearest'),
  upsampleModule('UpsamplingBilinear2d', 'bilinear'),
  pixelShuffleModule('PixelShuffle', 'upscale_factor', false),
  pixelShuffleModule('PixelUnshuffle', 'downscale_factor', true),
  pixelShuffleFn('pixel_shuffle', 'upscale_factor', false),
  pixelShuffleFn('pixel_unshuffle', 'downscale_factor', true),
]);
