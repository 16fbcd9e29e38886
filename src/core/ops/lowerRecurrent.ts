// ONNX lowering of nn.RNN / LSTM / GRU and their cells (eval mode, no projections): one ONNX node per layer or step, torch gate order mapped to ONNX's.
import { attr, OnnxLowering, OnnxLoweringContext } from './lowering';
import { mainInput, optBool, optNumber, optString, shapeConst } from './lowerCommon';

type Ctx = OnnxLoweringContext;
type Mode = 'RNN' | 'LSTM' | 'GRU';

/** ONNX gate order as indices into torch's: LSTM torch (i, f, g, o) → ONNX (i, o, f, c); GRU torch (r, z, n) → ONNX (z, r, h). */
const GATE_ORDER: Readonly<Record<Mode, readonly number[]>> = { RNN: [0], LSTM: [0, 3, 1, 2], GRU: [1, 0, 2] };

/** A torch [G·H, …] weight or [G·H] bias with its gate blocks reordered for ONNX. */
function reorder(ctx: Ctx, t: string, mode: Mode, hidden: number): string {
  const order = GATE_ORDER[mode];
  if (order.length === 1) return t;
  const parts = ctx.node('Split', [t, ctx.constInt64(order.map(() => hidden))], { axis: attr.int(0) }, order.length);
  return ctx.node(
    'Concat',
    order.map((k) => parts[k]!),
    { axis: attr.int(0) },
  )[0]!;
}

/** Per-direction tensors stacked on a new leading axis: [dirs, …]. */
function stackDirs(ctx: Ctx, parts: readonly string[]): string {
  const zero = ctx.constInt64([0]);
  const u = parts.map((p) => ctx.node('Unsqueeze', [p, zero])[0]!);
  return u.length === 1 ? u[0]! : ctx.node('Concat', u, { axis: attr.int(0) })[0]!;
}

export function rnnLowering(mode: Mode): OnnxLowering {
  return (ctx) => {
    const hidden = optNumber(ctx, 'hidden_size', 0);
    const layers = optNumber(ctx, 'num_layers', 1);
    const dirs = optBool(ctx, 'bidirectional', false) ? 2 : 1;
    const batchFirst = optBool(ctx, 'batch_first', false);
    if (optNumber(ctx, 'proj_size', 0) > 0) ctx.fail('LSTM projections (proj_size) are not exported');
    const x0 = mainInput(ctx);
    const xs = ctx.shape(x0);
    if (xs.length !== 3) ctx.fail('unbatched recurrent input is not exported');
    const [seq, batch] = batchFirst ? [xs[1]!, xs[0]!] : [xs[0]!, xs[1]!];
    let x = batchFirst ? ctx.node('Transpose', [x0], { perm: attr.ints([1, 0, 2]) })[0]! : x0;
    // Initial states: hx (RNN/GRU) or (h0, c0) (LSTM), each [layers·dirs, batch, hidden].
    const hx = ctx.args.hx;
    const ids = hx === null || hx === undefined ? [] : Array.isArray(hx) ? (hx as readonly unknown[]) : [hx];
    const state = ids.map((v) =>
      v && typeof v === 'object' && 'tensor' in v ? ctx.value(String((v as { tensor: string }).tensor)) : ctx.fail('hx must be tensors'),
    );
    const hAll: string[] = [];
    const cAll: string[] = [];
    for (let l = 0; l < layers; l++) {
      const sfx = (d: number): string => `l${l}${d === 1 ? '_reverse' : ''}`;
      const dirsIdx = Array.from({ length: dirs }, (_, d) => d);
      const W = stackDirs(
        ctx,
        dirsIdx.map((d) => reorder(ctx, ctx.param(`weight_ih_${sfx(d)}`) ?? ctx.fail(`no weight_ih_${sfx(d)}`), mode, hidden)),
      );
      const R = stackDirs(
        ctx,
        dirsIdx.map((d) => reorder(ctx, ctx.param(`weight_hh_${sfx(d)}`) ?? ctx.fail(`no weight_hh_${sfx(d)}`), mode, hidden)),
      );
      const hasBias = ctx.param(`bias_ih_${sfx(0)}`) !== null;
      const B = hasBias
        ? stackDirs(
            ctx,
            dirsIdx.map(
              (d) =>
                ctx.node('Concat', [reorder(ctx, ctx.param(`bias_ih_${sfx(d)}`)!, mode, hidden), reorder(ctx, ctx.param(`bias_hh_${sfx(d)}`)!, mode, hidden)], {
                  axis: attr.int(0),
                })[0]!,
            ),
          )
        : '';
      const slice = (t: string): string => ctx.node('Slice', [t, ctx.constInt64([l * dirs]), ctx.constInt64([(l + 1) * dirs]), ctx.constInt64([0])])[0]!;
      const ins = [x, W, R, B, '', state[0] ? slice(state[0]) : ''];
      if (mode === 'LSTM') ins.push(state[1] ? slice(state[1]) : '');
      while (ins.length > 3 && ins[ins.length - 1] === '') ins.pop();
      const attrs = {
        hidden_size: attr.int(hidden),
        direction: attr.string(dirs === 2 ? 'bidirectional' : 'forward'),
        ...(mode === 'GRU' ? { linear_before_reset: attr.int(1) } : {}),
        ...(mode === 'RNN' ? { activations: attr.strings([optString(ctx, 'nonlinearity', 'tanh') === 'relu' ? 'Relu' : 'Tanh']) } : {}),
      };
      const outs = ctx.node(mode, ins, attrs, mode === 'LSTM' ? 3 : 2);
      // Y is [seq, dirs, batch, hidden]; the next layer (and torch's output) wants [seq, batch, dirs·hidden].
      const y = ctx.node('Transpose', [outs[0]!], { perm: attr.ints([0, 2, 1, 3]) })[0]!;
      x = ctx.node('Reshape', [y, shapeConst(ctx, [seq, batch, dirs * hidden])])[0]!;
      hAll.push(outs[1]!);
      if (mode === 'LSTM') cAll.push(outs[2]!);
    }
    const y = batchFirst ? ctx.node('Transpose', [x], { perm: attr.ints([1, 0, 2]) })[0]! : x;
    ctx.node('Identity', [y], {}, [ctx.outputs[0]!]);
    const concat = (parts: string[], out: string): void => {
      ctx.node(parts.length === 1 ? 'Identity' : 'Concat', parts, parts.length === 1 ? {} : { axis: attr.int(0) }, [out]);
    };
    if (ctx.outputs[1]) concat(hAll, ctx.outputs[1]);
    if (ctx.outputs[2]) concat(cAll, ctx.outputs[2]);
  };
}

/** nn.RNNCell / LSTMCell / GRUCell: one time step, as the sequence op over a length-1 sequence. */
export function cellLowering(mode: Mode): OnnxLowering {
  return (ctx) => {
    const hidden = optNumber(ctx, 'hidden_size', 0);
    const x0 = mainInput(ctx);
    const xs = ctx.shape(x0);
    if (xs.length !== 2) ctx.fail('unbatched cell input is not exported');
    const batch = xs[0]!;
    const zero = ctx.constInt64([0]);
    const x = ctx.node('Unsqueeze', [x0, zero])[0]!; // [1, N, I]
    const hx = ctx.args.hx;
    const ids = hx === null || hx === undefined ? [] : Array.isArray(hx) ? (hx as readonly unknown[]) : [hx];
    const state = ids.map((v) =>
      v && typeof v === 'object' && 'tensor' in v
        ? ctx.node('Unsqueeze', [ctx.value(String((v as { tensor: string }).tensor)), zero])[0]!
        : ctx.fail('hx must be tensors'),
    );
    const W = stackDirs(ctx, [reorder(ctx, ctx.param('weight_ih') ?? ctx.fail('no weight_ih'), mode, hidden)]);
    const R = stackDirs(ctx, [reorder(ctx, ctx.param('weight_hh') ?? ctx.fail('no weight_hh'), mode, hidden)]);
    const bih = ctx.param('bias_ih');
    const B = bih
      ? stackDirs(ctx, [ctx.node('Concat', [reorder(ctx, bih, mode, hidden), reorder(ctx, ctx.param('bias_hh')!, mode, hidden)], { axis: attr.int(0) })[0]!])
      : '';
    const ins = [x, W, R, B, '', state[0] ?? ''];
    if (mode === 'LSTM') ins.push(state[1] ?? '');
    while (ins.length > 3 && ins[ins.length - 1] === '') ins.pop();
    const attrs = {
      hidden_size: attr.int(hidden),
      ...(mode === 'GRU' ? { linear_before_reset: attr.int(1) } : {}),
      ...(mode === 'RNN' ? { activations: attr.strings([optString(ctx, 'nonlinearity', 'tanh') === 'relu' ? 'Relu' : 'Tanh']) } : {}),
    };
    const outs = ctx.node(mode, ins, attrs, mode === 'LSTM' ? 3 : 2);
    const flat = shapeConst(ctx, [batch, hidden]);
    ctx.node('Reshape', [outs[1]!, flat], {}, [ctx.outputs[0]!]);
    if (mode === 'LSTM' && ctx.outputs[1]) ctx.node('Reshape', [outs[2]!, flat], {}, [ctx.outputs[1]]);
  };
}
