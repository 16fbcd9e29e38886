// Recurrent layers: nn.RNN, nn.LSTM (with proj_size), nn.GRU — parameters per layer/direction and output shapes.
import { Dim, dim, dimEquals } from '../shape/dim';
import { DType } from '../shape/shape';
import { boolArg, floatArg, isNone, numArg, strArg, tensorArg } from './args';
import { registerOps } from './registry';
import { kw, opt, req, vBool, vFloat, vInt, vNone, vStr } from './sig';
import { showShape } from './showShape';
import { BoundArgs, ModuleOpDef, ParamSpec, ShapeError, TensorSpec } from './types';
import { PyValue } from './values';
import { paramDtype, requireInputDtype, withParamDtype } from './paramDtype';
import { cellLowering, rnnLowering } from './lowerRecurrent';

type Mode = 'RNN' | 'LSTM' | 'GRU';
const GATES: Readonly<Record<Mode, number>> = { RNN: 1, LSTM: 4, GRU: 3 };

interface RnnConfig {
  readonly input: number;
  readonly hidden: number;
  readonly layers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dirs: number;
  readonly proj: number;
}

function config(attrs: BoundArgs, mode: Mode): RnnConfig {
  return {
    input: numArg(attrs, 'input_size', mode),
    hidden: numArg(attrs, 'hidden_size', mode),
    layers: numArg(attrs, 'num_layers', mode),
    bias: boolArg(attrs, 'bias', mode),
    batchFirst: boolArg(attrs, 'batch_first', mode),
    dirs: boolArg(attrs, 'bidirectional', mode) ? 2 : 1,
    proj: mode === 'LSTM' ? numArg(attrs, 'proj_size', mode) : 0,
  };
}

function rnnTensors(c: RnnConfig, mode: Mode): TensorSpec[] {
  const g = GATES[mode] * c.hidden;
  const out = c.proj > 0 ? c.proj : c.hidden;
  // reset_parameters: every weight and bias ~ U(±1/sqrt(hidden_size)).
  const init = { kind: 'uniform' as const, bound: 1 / Math.sqrt(c.hidden) };
  const specs: TensorSpec[] = [];
  const add = (name: string, shape: number[]) => specs.push({ name, shape, dtype: 'float32', role: 'param', init });
  for (let l = 0; l < c.layers; l++) {
    for (let d = 0; d < c.dirs; d++) {
      const sfx = `l${l}${d === 1 ? '_reverse' : ''}`;
      add(`weight_ih_${sfx}`, [g, l === 0 ? c.input : out * c.dirs]);
      add(`weight_hh_${sfx}`, [g, out]);
      if (c.bias) {
        add(`bias_ih_${sfx}`, [g]);
        add(`bias_hh_${sfx}`, [g]);
      }
      if (c.proj > 0) add(`weight_hr_${sfx}`, [c.proj, c.hidden]);
    }
  }
  return specs;
}

function rnnInfer(c: RnnConfig, mode: Mode, args: BoundArgs, ctx: Parameters<ModuleOpDef['infer']>[2], dtype: DType): PyValue {
  const x = tensorArg(args, 'input', mode);
  requireInputDtype(mode, x, dtype);
  const out = c.proj > 0 ? c.proj : c.hidden;
  if (!x.shape) {
    const unknownState =
      mode === 'LSTM' ? { kind: 'tuple' as const, items: [ctx.tensor(null, x.dtype), ctx.tensor(null, x.dtype)] } : ctx.tensor(null, x.dtype);
    return { kind: 'tuple', items: [ctx.tensor(null, x.dtype), unknownState] };
  }
  const s = x.shape;
  if (s.length !== 2 && s.length !== 3) throw new ShapeError(`${mode}: expected input to be 2D (unbatched) or 3D, got ${s.length}D input ${showShape(s)}`);
  const feat = s[s.length - 1];
  if (dimEquals(feat, c.input) === false) {
    throw new ShapeError(`${mode} expects input_size=${c.input} features in the last dim but got ${feat.value} (input ${showShape(s)})`);
  }
  const batched = s.length === 3;
  const batch: Dim | null = batched ? (c.batchFirst ? s[0] : s[1]) : null;
  const output = [...s.slice(0, -1), dim(c.dirs * out)];
  const stateShape = (size: number): Dim[] => (batch ? [dim(c.dirs * c.layers), batch, dim(size)] : [dim(c.dirs * c.layers), dim(size)]);
  const h = ctx.tensor(stateShape(out), x.dtype);
  if (!isNone(args.hx)) {
    const hx = args.hx;
    const h0 = hx.kind === 'tuple' ? hx.items[0] : hx;
    if (h0 && h0.kind === 'tensor' && h0.shape && h0.shape.length === stateShape(out).length) {
      const want = stateShape(out);
      if (h0.shape.some((d, i) => dimEquals(d, want[i]) === false)) {
        throw new ShapeError(`${mode}: expected hidden size ${showShape(want)}, got ${showShape(h0.shape)}`);
      }
    }
  }
  const state: PyValue = mode === 'LSTM' ? { kind: 'tuple', items: [h, ctx.tensor(stateShape(c.hidden), x.dtype)] } : h;
  return { kind: 'tuple', items: [ctx.tensor(output, x.dtype), state] };
}

function rnnModule(mode: Mode): ModuleOpDef {
  // RNNBase's order; in torch 1.13 nn.RNN pops `nonlinearity` from its **kwargs (keyword-only).
  const ctor: ParamSpec[] = [
    req('input_size'),
    req('hidden_size'),
    opt('num_layers', vInt(1)),
    opt('bias', vBool(true)),
    opt('batch_first', vBool(false)),
    opt('dropout', vFloat(0)),
    opt('bidirectional', vBool(false)),
    ...(mode === 'LSTM' ? [opt('proj_size', vInt(0))] : []),
    opt('device', vNone),
    opt('dtype', vNone),
    ...(mode === 'RNN' ? [kw('nonlinearity', vStr('tanh'))] : []),
  ];
  return {
    kind: 'module',
    type: mode,
    family: 'recurrent',
    ctor,
    forward: [req('input'), opt('hx', vNone)],
    validate(attrs) {
      const c = config(attrs, mode);
      const p = floatArg(attrs, 'dropout', mode);
      if (p < 0 || p > 1) throw new ShapeError(`${mode}: dropout should be a number in range [0, 1] representing the probability of an element being zeroed`);
      if (c.hidden <= 0) throw new ShapeError(`${mode}: hidden_size must be greater than zero`);
      if (c.layers <= 0) throw new ShapeError(`${mode}: num_layers must be greater than zero`);
      if (c.proj < 0) throw new ShapeError(`${mode}: proj_size should be a positive integer or zero to disable projections`);
      if (c.proj >= c.hidden && c.proj > 0) throw new ShapeError(`${mode}: proj_size has to be smaller than hidden_size`);
      if (mode === 'RNN') {
        const nl = strArg(attrs, 'nonlinearity', mode);
        if (nl !== 'tanh' && nl !== 'relu') throw new ShapeError(`RNN: unknown nonlinearity '${nl}'`);
      }
    },
    tensors: (attrs) => withParamDtype(rnnTensors(config(attrs, mode), mode), attrs, mode),
    infer: (attrs, args, ctx) => rnnInfer(config(attrs, mode), mode, args, ctx, paramDtype(attrs, mode)),
    flops(attrs, args) {
      const c = config(attrs, mode);
      const x = args.input;
      if (!x || x.kind !== 'tensor' || !x.shape) return 0;
      const steps = x.shape.slice(0, -1).reduce((a, d) => a * (d.value ?? 0), 1);
      const out = c.proj > 0 ? c.proj : c.hidden;
      let total = 0;
      for (let l = 0; l < c.layers; l++) {
        const inSize = l === 0 ? c.input : out * c.dirs;
        total += c.dirs * 2 * GATES[mode] * c.hidden * (inSize + out) + (c.proj > 0 ? c.dirs * 2 * c.proj * c.hidden : 0);
      }
      return steps * total;
    },
    onnx: rnnLowering(mode),
  };
}

/** nn.RNNCell / LSTMCell / GRUCell: one time step; input [N, in] (or [in]) → h [N, H] (LSTM: (h, c)). */
function cellModule(mode: Mode): ModuleOpDef {
  const type = `${mode}Cell`;
  return {
    kind: 'module',
    type,
    family: 'recurrent',
    ctor: [
      req('input_size'),
      req('hidden_size'),
      opt('bias', vBool(true)),
      ...(mode === 'RNN' ? [opt('nonlinearity', vStr('tanh'))] : []),
      opt('device', vNone),
      opt('dtype', vNone),
    ],
    forward: [req('input'), opt('hx', vNone)],
    validate(attrs) {
      if (mode === 'RNN') {
        const nl = strArg(attrs, 'nonlinearity', type);
        if (nl !== 'tanh' && nl !== 'relu') throw new ShapeError(`RNNCell: unknown nonlinearity '${nl}'`);
      }
    },
    tensors(attrs) {
      const inSize = numArg(attrs, 'input_size', type);
      const h = numArg(attrs, 'hidden_size', type);
      const g = GATES[mode] * h;
      const init = { kind: 'uniform' as const, bound: 1 / Math.sqrt(h) };
      const specs: TensorSpec[] = [
        { name: 'weight_ih', shape: [g, inSize], dtype: 'float32', role: 'param', init },
        { name: 'weight_hh', shape: [g, h], dtype: 'float32', role: 'param', init },
      ];
      if (boolArg(attrs, 'bias', type)) {
        specs.push(
          { name: 'bias_ih', shape: [g], dtype: 'float32', role: 'param', init },
          { name: 'bias_hh', shape: [g], dtype: 'float32', role: 'param', init },
        );
      }
      return withParamDtype(specs, attrs, type);
    },
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      requireInputDtype(type, x, paramDtype(attrs, type));
      const inSize = numArg(attrs, 'input_size', type);
      const h = numArg(attrs, 'hidden_size', type);
      let shape: Dim[] | null = null;
      if (x.shape) {
        if (x.shape.length !== 1 && x.shape.length !== 2)
          throw new ShapeError(`${type}: expected input to be 1D or 2D, got ${x.shape.length}D input ${showShape(x.shape)}`);
        const feat = x.shape[x.shape.length - 1];
        if (dimEquals(feat, inSize) === false)
          throw new ShapeError(`${type} expects input_size=${inSize} features but got ${feat.value} (input ${showShape(x.shape)})`);
        shape = x.shape.length === 2 ? [x.shape[0], dim(h)] : [dim(h)];
      }
      const hx = args.hx;
      const h0 = hx && hx.kind === 'tuple' ? hx.items[0] : hx;
      if (shape && h0 && h0.kind === 'tensor' && h0.shape && (h0.shape.length !== shape.length || h0.shape.some((d, i) => dimEquals(d, shape![i]) === false))) {
        throw new ShapeError(`${type}: hidden state ${showShape(h0.shape)} does not match the expected ${showShape(shape)}`);
      }
      const out = ctx.tensor(shape, x.dtype);
      return mode === 'LSTM' ? { kind: 'tuple', items: [out, ctx.tensor(shape, x.dtype)] } : out;
    },
    flops(attrs, args) {
      const x = args.input;
      const n = x && x.kind === 'tensor' && x.shape && x.shape.length === 2 ? (x.shape[0].value ?? 0) : 1;
      const h = numArg(attrs, 'hidden_size', type);
      return n * 2 * GATES[mode] * h * (numArg(attrs, 'input_size', type) + h);
    },
    onnx: cellLowering(mode),
  };
}

registerOps([rnnModule('RNN'), rnnModule('LSTM'), rnnModule('GRU'), cellModule('RNN'), cellModule('LSTM'), cellModule('GRU')]);
