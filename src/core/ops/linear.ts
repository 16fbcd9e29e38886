// Fully connected layers: nn.Linear (and MultiheadAttention's NonDynamicallyQuantizableLinear), F.linear.
import { Dim, dim, dimEquals } from '../shape/dim';
import { Shape } from '../shape/shape';
import { numArg, optTensorArg, tensorArg } from './args';
import { numelOf } from './flopsCount';
import { vectorInput } from './impliedInput';
import { registerOps } from './registry';
import { factoryKwargs, opt, req, vBool, vNone } from './sig';
import { showShape } from './showShape';
import { FunctionOpDef, ModuleOpDef, ShapeError, TensorSpec } from './types';
import { TensorValue } from './values';
import { bilinearLowering, linearLowering } from './lowerLinear';
import { paramDtype, requireInputDtype, withParamDtype } from './paramDtype';

/** `[..., in] → [..., out]`, with a message that says which in_features the input would need. */
export function linearOutShape(op: string, x: Shape | null, inFeatures: number, outFeatures: number): Shape | null {
  if (!x) return null;
  if (x.length === 0) throw new ShapeError(`${op}: input must have at least 1 dimension, got a 0-d tensor`);
  const last = x[x.length - 1];
  if (dimEquals(last, inFeatures) === false) {
    let hint = `in_features=${last.value} would fit this input`;
    if (x.length >= 3) {
      const flat = x.slice(1).reduce<number | null>((a, d) => (a === null || d.value === null ? null : a * d.value), 1);
      if (flat === inFeatures) hint = `flatten the input from dim 1 first: its ${x.length - 1} trailing dims hold exactly ${flat} elements`;
      else if (flat !== null) hint += ` (after flattening from dim 1 it would need in_features=${flat})`;
    }
    // The hint is the fix, the message the cause (consumers print both).
    const fix = last.value === null ? undefined : `set in_features=${last.value}, or reshape the input so that its last dimension is ${inFeatures}`;
    throw new ShapeError(`${op} expects in_features=${inFeatures} but the input's last dimension is ${last.value} (input ${showShape(x)}); ${hint}`, fix);
  }
  return [...x.slice(0, -1), dim(outFeatures)] as Dim[];
}

export function linearTensors(inF: number, outF: number, bias: boolean): TensorSpec[] {
  // reset_parameters: kaiming_uniform_(a=sqrt(5)) weight, bias ~ U(±1/sqrt(in_features)).
  const specs: TensorSpec[] = [
    { name: 'weight', shape: [outF, inF], dtype: 'float32', role: 'param', init: { kind: 'kaiming_uniform', a: Math.sqrt(5), fanIn: inF } },
  ];
  if (bias) specs.push({ name: 'bias', shape: [outF], dtype: 'float32', role: 'param', init: { kind: 'uniform', bound: inF > 0 ? 1 / Math.sqrt(inF) : 0 } });
  return specs;
}

function linearModule(type: string): ModuleOpDef {
  return {
    kind: 'module',
    type,
    family: 'linear',
    impliedInput: vectorInput('in_features'),
    optionalTensors: ['bias'],
    lastAxisArg: 'in_features',
    ctor: [req('in_features'), req('out_features'), opt('bias', vBool(true)), ...factoryKwargs],
    forward: [req('input')],
    validate(attrs) {
      const i = numArg(attrs, 'in_features', type);
      const o = numArg(attrs, 'out_features', type);
      if (i < 0 || o < 0) throw new ShapeError(`${type}: in_features and out_features must be non-negative, got (${i}, ${o})`);
    },
    tensors(attrs) {
      const b = attrs.bias;
      return withParamDtype(
        linearTensors(numArg(attrs, 'in_features', type), numArg(attrs, 'out_features', type), !b || b.kind !== 'bool' || b.value),
        attrs,
        type,
      );
    },
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      requireInputDtype(type, x, paramDtype(attrs, type));
      return ctx.tensor(linearOutShape(type, x.shape, numArg(attrs, 'in_features', type), numArg(attrs, 'out_features', type)), x.dtype);
    },
    flops(attrs, _args, out) {
      return 2 * numelOf(out) * numArg(attrs, 'in_features', type);
    },
    onnx: linearLowering,
  };
}

const linearFn: FunctionOpDef = {
  kind: 'function',
  name: 'F.linear',
  aliases: ['torch.nn.functional.linear'],
  family: 'linear',
  signature: [req('input'), req('weight'), opt('bias', vNone)],
  infer(args, ctx) {
    const x = tensorArg(args, 'input', 'F.linear');
    const w = tensorArg(args, 'weight', 'F.linear');
    requireInputDtype('F.linear', x, w.dtype);
    optTensorArg(args, 'bias', 'F.linear');
    if (!w.shape || !x.shape) return ctx.tensor(null, x.dtype);
    if (w.shape.length !== 2) throw new ShapeError(`F.linear: weight must be 2-D [out_features, in_features], got ${showShape(w.shape)}`);
    const [o, i] = w.shape;
    if (o.value === null || i.value === null) return ctx.tensor(null, x.dtype);
    return ctx.tensor(linearOutShape('F.linear', x.shape, i.value, o.value), x.dtype);
  },
  flops(args, out) {
    const x = args.input;
    const last = x && x.kind === 'tensor' && x.shape && x.shape.length ? (x.shape[x.shape.length - 1].value ?? 0) : 0;
    return 2 * numelOf(out) * last;
  },
  onnx: linearLowering,
};

/** x1 [*, in1], x2 [*, in2] → [*, out]; the leading dims must agree. */
function bilinearShape(op: string, a: TensorValue, b: TensorValue, in1: number, in2: number, out: number): Shape | null {
  if (!a.shape || !b.shape) return null;
  const check = (s: Shape, n: number, which: string) => {
    if (s.length === 0 || dimEquals(s[s.length - 1], n) === false) {
      throw new ShapeError(`${op} expects ${which} with ${n} features in the last dim, got ${showShape(s)}`);
    }
  };
  check(a.shape, in1, 'input1');
  check(b.shape, in2, 'input2');
  if (a.shape.length !== b.shape.length || a.shape.slice(0, -1).some((d, i) => dimEquals(d, b.shape![i]) === false)) {
    throw new ShapeError(`${op}: input1 ${showShape(a.shape)} and input2 ${showShape(b.shape)} must have the same leading dims`);
  }
  return [...a.shape.slice(0, -1), dim(out)];
}

const bilinear: ModuleOpDef = {
  kind: 'module',
  type: 'Bilinear',
  family: 'linear',
  optionalTensors: ['bias'],
  ctor: [req('in1_features'), req('in2_features'), req('out_features'), opt('bias', vBool(true)), ...factoryKwargs],
  forward: [req('input1'), req('input2')],
  tensors(attrs) {
    const [i1, i2, o] = ['in1_features', 'in2_features', 'out_features'].map((n) => numArg(attrs, n, 'Bilinear'));
    // reset_parameters: weight and bias ~ U(±1/sqrt(in1_features)).
    const init = { kind: 'uniform' as const, bound: 1 / Math.sqrt(i1) };
    const b = attrs.bias;
    const specs: TensorSpec[] = [{ name: 'weight', shape: [o, i1, i2], dtype: 'float32', role: 'param', init }];
    if (!b || b.kind !== 'bool' || b.value) specs.push({ name: 'bias', shape: [o], dtype: 'float32', role: 'param', init });
    return withParamDtype(specs, attrs, 'Bilinear');
  },
  infer(attrs, args, ctx) {
    const a = tensorArg(args, 'input1', 'Bilinear');
    requireInputDtype('Bilinear', a, paramDtype(attrs, 'Bilinear'));
    const b = tensorArg(args, 'input2', 'Bilinear');
    const [i1, i2, o] = ['in1_features', 'in2_features', 'out_features'].map((n) => numArg(attrs, n, 'Bilinear'));
    return ctx.tensor(bilinearShape('Bilinear', a, b, i1, i2, o), a.dtype);
  },
  flops(attrs, _args, out) {
    const [i1, i2] = ['in1_features', 'in2_features'].map((n) => numArg(attrs, n, 'Bilinear'));
    return 2 * numelOf(out) * i1 * i2;
  },
  onnx: bilinearLowering,
};

registerOps([linearModule('Linear'), linearModule('NonDynamicallyQuantizableLinear'), linearFn, bilinear]);
