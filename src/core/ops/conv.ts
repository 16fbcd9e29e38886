// Convolutions: nn.Conv1d/2d/3d, nn.ConvTranspose1d/2d/3d and their F.* forms.
import { Dim, dim, dimEquals } from '../shape/dim';
import { Shape } from '../shape/shape';
import { concreteOf, dimsOf, isNone, numArg, optTensorArg, seqItems, strArg, tensorArg, tupleArg } from './args';
import { numelOf, prod } from './flopsCount';
import { channelsFirstInput } from './impliedInput';
import { registerOps } from './registry';
import { factoryKwargs, opt, req, vBool, vInt, vNone, vStr } from './sig';
import { showShape } from './showShape';
import { BoundArgs, FunctionOpDef, InferContext, ModuleOpDef, ShapeError, TensorSpec } from './types';
import { PyValue, TensorValue } from './values';
import { slidingOut, transposedOut } from './windowSize';
import { convLowering, convTransposeLowering } from './lowerConvPool';
import { paramDtype, requireInputDtype, withParamDtype } from './paramDtype';

interface ConvGeometry {
  readonly op: string;
  readonly nd: number;
  readonly inChannels: number | null;
  readonly outChannels: number;
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  /** Explicit per-dim padding, or torch's string modes. */
  readonly padding: readonly number[] | 'same' | 'valid';
  readonly dilation: readonly number[];
  readonly groups: number;
}

/** Checks the input's rank and channels; returns the spatial dims and whether there is a batch dim. */
function splitInput(g: ConvGeometry, x: TensorValue, inChannels: number | null): { lead: Dim[]; spatial: Dim[] } | null {
  if (!x.shape) return null;
  const r = x.shape.length;
  if (r !== g.nd + 1 && r !== g.nd + 2) {
    throw new ShapeError(`${g.op} expects a ${g.nd + 1}D (unbatched) or ${g.nd + 2}D (batched) input, but got input ${showShape(x.shape)} of rank ${r}`);
  }
  const c = x.shape[r - g.nd - 1];
  if (inChannels !== null && dimEquals(c, inChannels) === false) {
    const more = g.groups > 1 ? ` (groups=${g.groups})` : '';
    throw new ShapeError(
      `${g.op} expects ${inChannels} input channels${more} but got ${c.value} (input ${showShape(x.shape)})`,
      c.value === null
        ? undefined
        : `set in_channels=${g.groups > 1 ? `${c.value} (divisible by groups=${g.groups})` : c.value}, or make the previous layer output ${inChannels} channels`,
    );
  }
  return { lead: x.shape.slice(0, r - g.nd - 1) as Dim[], spatial: x.shape.slice(r - g.nd) as Dim[] };
}

function convOutShape(g: ConvGeometry, x: TensorValue): Shape | null {
  const parts = splitInput(g, x, g.inChannels);
  if (!parts) return null;
  const spatial = parts.spatial.map((n, i) => {
    if (g.padding === 'same') return n;
    const p = g.padding === 'valid' ? 0 : g.padding[i];
    const out = slidingOut(n, g.kernel[i], g.stride[i], p, g.dilation[i], false);
    if (out.value !== null && out.value < 1) {
      const padded = n.value === null ? '?' : n.value + 2 * p;
      const eff = g.dilation[i] * (g.kernel[i] - 1) + 1;
      throw new ShapeError(
        `${g.op}: input ${showShape(x.shape)} is too small: spatial dim ${i} is ${padded} after padding, ` + `smaller than the (dilated) kernel size ${eff}`,
      );
    }
    return out;
  });
  return [...parts.lead, dim(g.outChannels), ...spatial];
}

function convTransposeOutShape(g: ConvGeometry, x: TensorValue, outputPadding: readonly number[], outputSize: Dim[] | null): Shape | null {
  const parts = splitInput(g, x, g.inChannels);
  if (!parts) return null;
  const pads = g.padding as readonly number[];
  const spatial = parts.spatial.map((n, i) => {
    const base = transposedOut(n, g.kernel[i], g.stride[i], pads[i], g.dilation[i], 0);
    if (outputSize) {
      const want = outputSize[outputSize.length - g.nd + i];
      if (base.value !== null && want.value !== null && (want.value < base.value || want.value > base.value + g.stride[i] - 1)) {
        throw new ShapeError(
          `${g.op}: requested output size ${want.value} for spatial dim ${i} is outside the reachable range ` +
            `[${base.value}, ${base.value + g.stride[i] - 1}] for input size ${n.value}`,
        );
      }
      return want;
    }
    const out = transposedOut(n, g.kernel[i], g.stride[i], pads[i], g.dilation[i], outputPadding[i]);
    if (out.value !== null && out.value < 1) {
      throw new ShapeError(`${g.op}: output spatial dim ${i} would be ${out.value} for input ${showShape(x.shape)}`);
    }
    return out;
  });
  return [...parts.lead, dim(g.outChannels), ...spatial];
}

function paddingArg(args: BoundArgs, nd: number, op: string, stored = false): readonly number[] | 'same' | 'valid' {
  const v = args.padding;
  if (v && v.kind === 'str') {
    if (v.value !== 'same' && v.value !== 'valid') {
      throw new ShapeError(`${op}: invalid padding string '${v.value}', should be one of {'valid', 'same'}`);
    }
    return v.value;
  }
  return stored ? storedTuple(args, 'padding', nd, op) : tupleArg(args, 'padding', nd, op, true);
}

/** What the constructors check (torch's _ConvNd.__init__): groups, and padding='same' only without strides. */
function validateCtor(g: ConvGeometry): void {
  if (g.groups < 1) throw new ShapeError(`${g.op}: groups must be a positive integer`);
  if (g.inChannels !== null && g.inChannels % g.groups !== 0)
    throw new ShapeError(`${g.op}: in_channels must be divisible by groups (${g.inChannels} % ${g.groups} != 0)`);
  if (g.outChannels % g.groups !== 0) throw new ShapeError(`${g.op}: out_channels must be divisible by groups (${g.outChannels} % ${g.groups} != 0)`);
  if (g.padding === 'same' && g.stride.some((s) => s !== 1)) {
    throw new ShapeError(`${g.op}: padding='same' is not supported for strided convolutions`);
  }
}

/**
 * What the convolution itself checks when it runs: stride/padding/dilation hold one value or one per kernel dimension
 * (a one-item list is expanded, as torch's argument parser does), the kernel has one size per spatial dimension, and
 * sizes are positive. A layer may be built with other lengths and fixed before its forward (`conv.stride = …`).
 */
function forwardGeometry(g: ConvGeometry): ConvGeometry {
  const k = g.kernel.length;
  const fit = (name: string, v: readonly number[]): readonly number[] => {
    if (v.length === k) return v;
    if (v.length === 1) return Array.from({ length: k }, () => v[0]);
    throw new ShapeError(
      `${g.op}: expected ${name} to be a single integer value or a list of ${k} values to match the convolution dimensions, but got ${name}=[${v.join(', ')}]`,
    );
  };
  const out: ConvGeometry = {
    ...g,
    stride: fit('stride', g.stride),
    padding: Array.isArray(g.padding) ? fit('padding', g.padding as readonly number[]) : g.padding,
    dilation: fit('dilation', g.dilation),
  };
  if (k !== g.nd)
    throw new ShapeError(
      `${g.op}: kernel_size (${g.kernel.join(', ')}) has ${k} values, so the weight is ${k + 2}-D, but a ${g.nd}-D convolution needs ${g.nd}`,
    );
  if (out.stride.some((s) => s < 1)) throw new ShapeError(`${g.op}: non-positive stride is not supported (stride=${out.stride.join('x')})`);
  if (out.dilation.some((s) => s < 1)) throw new ShapeError(`${g.op}: dilation should be greater than zero (dilation=${out.dilation.join('x')})`);
  if (out.kernel.some((x) => x < 1)) throw new ShapeError(`${g.op}: kernel_size must be positive, got ${out.kernel.join('x')}`);
  if (Array.isArray(out.padding) && out.padding.some((p) => p < 0)) throw new ShapeError(`${g.op}: negative padding is not supported`);
  return out;
}

/** A constructor's int-or-sequence argument as torch stores it: an int repeated per dimension, a sequence as given. */
function storedTuple(args: BoundArgs, name: string, nd: number, op: string): number[] {
  const v = args[name];
  if (v && seqItems(v)) return dimsOf(v, op, name).map((d, i) => d.value ?? concreteOf(d, op, `${name}[${i}]`));
  return tupleArg(args, name, nd, op);
}

/** Geometry by constructor arguments: validate, tensors, infer and flops of every call ask for it (attrs are immutable). */
const geometryCache = new WeakMap<BoundArgs, ConvGeometry>();

function moduleGeometry(attrs: BoundArgs, nd: number, type: string): ConvGeometry {
  const hit = geometryCache.get(attrs);
  if (hit && hit.nd === nd && hit.op === type) return hit;
  const g = readGeometry(attrs, nd, type);
  geometryCache.set(attrs, g);
  return g;
}

const forwardCache = new WeakMap<BoundArgs, ConvGeometry>();

/** The geometry a module's forward runs with (checked as the convolution checks it). */
function moduleForwardGeometry(attrs: BoundArgs, nd: number, type: string): ConvGeometry {
  const hit = forwardCache.get(attrs);
  if (hit && hit.nd === nd && hit.op === type) return hit;
  const g = forwardGeometry(moduleGeometry(attrs, nd, type));
  forwardCache.set(attrs, g);
  return g;
}

function readGeometry(attrs: BoundArgs, nd: number, type: string): ConvGeometry {
  return {
    op: type,
    nd,
    inChannels: numArg(attrs, 'in_channels', type),
    outChannels: numArg(attrs, 'out_channels', type),
    kernel: storedTuple(attrs, 'kernel_size', nd, type),
    stride: storedTuple(attrs, 'stride', nd, type),
    padding: paddingArg(attrs, nd, type, true),
    dilation: storedTuple(attrs, 'dilation', nd, type),
    groups: numArg(attrs, 'groups', type),
  };
}

function convTensors(weightShape: number[], fanIn: number, bias: boolean, outChannels: number): TensorSpec[] {
  // reset_parameters: kaiming_uniform_(a=sqrt(5)) on the weight, bias ~ U(±1/sqrt(fan_in)).
  const specs: TensorSpec[] = [
    { name: 'weight', shape: weightShape, dtype: 'float32', role: 'param', init: { kind: 'kaiming_uniform', a: Math.sqrt(5), fanIn } },
  ];
  if (bias) {
    specs.push({ name: 'bias', shape: [outChannels], dtype: 'float32', role: 'param', init: { kind: 'uniform', bound: fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0 } });
  }
  return specs;
}

function boolAttr(attrs: BoundArgs, name: string): boolean {
  const v = attrs[name];
  return !v || v.kind !== 'bool' || v.value;
}

function tensorOut(ctx: InferContext, shape: Shape | null, x: TensorValue): PyValue {
  return ctx.tensor(shape, x.dtype);
}

const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'];

/** Conv modules store these arguments as nd-tuples (`_pair(3)` → `(3, 3)`); a padding string stays as given. */
const TUPLE_ATTRS = new Set(['kernel_size', 'stride', 'padding', 'dilation', 'output_padding']);

function tupleAttr(nd: number) {
  return (attrs: BoundArgs, name: string): PyValue | undefined => {
    const v = attrs[name];
    if (!TUPLE_ATTRS.has(name) || !v) return undefined;
    if (v.kind === 'int') return { kind: 'tuple', items: Array.from({ length: nd }, () => v) };
    if (v.kind === 'list') return { kind: 'tuple', items: v.items };
    return undefined;
  };
}

function convModule(nd: number): ModuleOpDef {
  const type = `Conv${nd}d`;
  return {
    kind: 'module',
    type,
    family: 'conv',
    impliedInput: channelsFirstInput(nd, 'in_channels'),
    optionalTensors: ['bias'],
    ctor: [
      req('in_channels'),
      req('out_channels'),
      req('kernel_size'),
      opt('stride', vInt(1)),
      opt('padding', vInt(0)),
      opt('dilation', vInt(1)),
      opt('groups', vInt(1)),
      opt('bias', vBool(true)),
      opt('padding_mode', vStr('zeros')),
      ...factoryKwargs,
    ],
    forward: [req('input')],
    validate(attrs) {
      validateCtor(moduleGeometry(attrs, nd, type));
      const mode = strArg(attrs, 'padding_mode', type);
      if (!PADDING_MODES.includes(mode))
        throw new ShapeError(`${type}: padding_mode must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, but got '${mode}'`);
    },
    tensors(attrs) {
      const g = moduleGeometry(attrs, nd, type);
      const inPerGroup = (g.inChannels ?? 0) / g.groups;
      return withParamDtype(
        convTensors([g.outChannels, inPerGroup, ...g.kernel], inPerGroup * prod(g.kernel), boolAttr(attrs, 'bias'), g.outChannels),
        attrs,
        type,
      );
    },
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      requireInputDtype(type, x, paramDtype(attrs, type));
      return tensorOut(ctx, convOutShape(moduleForwardGeometry(attrs, nd, type), x), x);
    },
    flops(attrs, _args, out) {
      const g = moduleGeometry(attrs, nd, type);
      return 2 * numelOf(out) * ((g.inChannels ?? 0) / g.groups) * prod(g.kernel);
    },
    attr: tupleAttr(nd),
    onnx: convLowering(nd),
  };
}

function convTransposeModule(nd: number): ModuleOpDef {
  const type = `ConvTranspose${nd}d`;
  const geometry = (attrs: BoundArgs): ConvGeometry => ({ ...moduleGeometry(attrs, nd, type), padding: storedTuple(attrs, 'padding', nd, type) });
  return {
    kind: 'module',
    type,
    family: 'conv',
    impliedInput: channelsFirstInput(nd, 'in_channels'),
    optionalTensors: ['bias'],
    weightOutputAxis: 1,
    ctor: [
      req('in_channels'),
      req('out_channels'),
      req('kernel_size'),
      opt('stride', vInt(1)),
      opt('padding', vInt(0)),
      opt('output_padding', vInt(0)),
      opt('groups', vInt(1)),
      opt('bias', vBool(true)),
      opt('dilation', vInt(1)),
      opt('padding_mode', vStr('zeros')),
      ...factoryKwargs,
    ],
    forward: [req('input'), opt('output_size', vNone)],
    validate(attrs) {
      validateCtor(geometry(attrs));
      if (strArg(attrs, 'padding_mode', type) !== 'zeros') throw new ShapeError(`${type}: only "zeros" padding mode is supported`);
    },
    tensors(attrs) {
      const g = geometry(attrs);
      const outPerGroup = g.outChannels / g.groups;
      // The weight is [in, out/groups, *k]; torch's fan_in is computed from dim 1, i.e. out/groups * k.
      return withParamDtype(
        convTensors([g.inChannels ?? 0, outPerGroup, ...g.kernel], outPerGroup * prod(g.kernel), boolAttr(attrs, 'bias'), g.outChannels),
        attrs,
        type,
      );
    },
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      requireInputDtype(type, x, paramDtype(attrs, type));
      const size = isNone(args.output_size) ? null : dimsOf(args.output_size, type, 'output_size');
      const g = forwardGeometry(geometry(attrs));
      const outPad = tupleArg(attrs, 'output_padding', g.kernel.length, type, true);
      outPad.forEach((p, i) => {
        if (p >= g.stride[i] && p >= g.dilation[i]) {
          throw new ShapeError(`${type}: output_padding (${p}) must be smaller than either stride (${g.stride[i]}) or dilation (${g.dilation[i]})`);
        }
      });
      return tensorOut(ctx, convTransposeOutShape(g, x, outPad, size), x);
    },
    flops(attrs, args, _out) {
      const g = geometry(attrs);
      return 2 * numelOf(args.input) * (g.outChannels / g.groups) * prod(g.kernel);
    },
    attr: tupleAttr(nd),
    onnx: convTransposeLowering(nd),
  };
}

/** Geometry of F.conv* from the weight tensor's shape. */
function functionalGeometry(args: BoundArgs, nd: number, op: string, transposed: boolean): ConvGeometry | null {
  const w = tensorArg(args, 'weight', op);
  if (!w.shape) return null;
  if (w.shape.length !== nd + 2) throw new ShapeError(`${op}: weight must be ${nd + 2}-dimensional, got ${showShape(w.shape)}`);
  const ws = w.shape.map((d, i) => concreteOf(d, op, `weight.shape[${i}]`));
  const groups = numArg(args, 'groups', op);
  const kernel = ws.slice(2);
  const g: ConvGeometry = {
    op,
    nd,
    inChannels: transposed ? ws[0] : ws[1] * groups,
    outChannels: transposed ? ws[1] * groups : ws[0],
    kernel,
    stride: storedTuple(args, 'stride', nd, op),
    padding: transposed ? storedTuple(args, 'padding', nd, op) : paddingArg(args, nd, op, true),
    dilation: storedTuple(args, 'dilation', nd, op),
    groups,
  };
  validateCtor(g);
  const b = optTensorArg(args, 'bias', op);
  if (b && b.shape && (b.shape.length !== 1 || dimEquals(b.shape[0], g.outChannels) === false)) {
    throw new ShapeError(`${op}: bias must have shape [${g.outChannels}] to match the weight, got ${showShape(b.shape)}`);
  }
  return forwardGeometry(g);
}

/** F.conv{nd}d and F.conv_transpose{nd}d: the geometry comes from the weight; FLOPs count 2 per MAC. */
function convFunction(nd: number, transposed: boolean): FunctionOpDef {
  const base = transposed ? `conv_transpose${nd}d` : `conv${nd}d`;
  const name = `F.${base}`;
  return {
    kind: 'function',
    name,
    aliases: [`torch.${base}`, `torch.nn.functional.${base}`],
    family: 'conv',
    signature: transposed
      ? [
          req('input'),
          req('weight'),
          opt('bias', vNone),
          opt('stride', vInt(1)),
          opt('padding', vInt(0)),
          opt('output_padding', vInt(0)),
          opt('groups', vInt(1)),
          opt('dilation', vInt(1)),
        ]
      : [req('input'), req('weight'), opt('bias', vNone), opt('stride', vInt(1)), opt('padding', vInt(0)), opt('dilation', vInt(1)), opt('groups', vInt(1))],
    infer(args, ctx) {
      const x = tensorArg(args, 'input', name);
      requireInputDtype(name, x, tensorArg(args, 'weight', name).dtype);
      const g = functionalGeometry(args, nd, name, transposed);
      if (!transposed) return ctx.tensor(g ? convOutShape(g, x) : null, x.dtype);
      const outPad = tupleArg(args, 'output_padding', nd, name);
      return ctx.tensor(g ? convTransposeOutShape(g, x, outPad, null) : null, x.dtype);
    },
    flops(args, out) {
      // Per output element for a convolution, per input element for the transposed one: weight dims 1.. are the MACs.
      const w = args.weight;
      const ws = w && w.kind === 'tensor' && w.shape ? w.shape.map((d) => d.value ?? 0) : [];
      return ws.length ? 2 * numelOf(transposed ? args.input : out) * prod(ws.slice(1)) : 0;
    },
    onnx: transposed ? convTransposeLowering(nd) : convLowering(nd),
  };
}

registerOps([1, 2, 3].flatMap((nd) => [convModule(nd), convTransposeModule(nd), convFunction(nd, false), convFunction(nd, true)]));
