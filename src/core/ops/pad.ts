// Padding: F.pad and the nn.ZeroPad2d / ConstantPad / ReflectionPad / ReplicationPad modules.
import { Dim, dimAdd } from '../shape/dim';
import { Shape } from '../shape/shape';
import { dimsOf, seqItems, strArg, tensorArg, tupleArg } from './args';
import { registerOps } from './registry';
import { opt, req, vNone, vStr } from './sig';
import { showShape } from './showShape';
import { FunctionOpDef, ModuleOpDef, OpDef, ShapeError } from './types';
import { TensorValue } from './values';
import { padModuleLowering, padLowering } from './lowerResample';

const MODES = ['constant', 'reflect', 'replicate', 'circular'];

/** `pad` lists (left, right) pairs starting from the last dim. */
export function padShape(op: string, x: TensorValue, pad: readonly Dim[], mode: string): Shape | null {
  if (!MODES.includes(mode)) throw new ShapeError(`${op}: unrecognised padding mode '${mode}' (expected one of ${MODES.join(', ')})`);
  if (pad.length % 2 !== 0) throw new ShapeError(`${op}: padding length must be divisible by 2, got ${pad.length} values`);
  if (!x.shape) return null;
  const r = x.shape.length;
  if (pad.length / 2 > r) throw new ShapeError(`${op}: padding length ${pad.length} is too large for a ${r}D input ${showShape(x.shape)} (at most ${2 * r})`);
  const padded = pad.length / 2;
  if (mode !== 'constant') {
    if (padded > 3 || (r !== padded + 1 && r !== padded + 2)) {
      throw new ShapeError(`${op}: ${mode} padding of ${padded} trailing dim(s) needs a ${padded + 1}D or ${padded + 2}D input, got ${showShape(x.shape)}`);
    }
  }
  const out = [...x.shape];
  // torch crops negative pads first (each crop must leave >= 0 elements); when some pad is positive,
  // every padded dim must end up non-empty.
  const anyPositive = pad.some((p) => p.value !== null && p.value > 0);
  for (let i = 0; i < padded; i++) {
    const axis = r - 1 - i;
    const n = out[axis];
    const [lo, hi] = [pad[2 * i], pad[2 * i + 1]];
    if (mode === 'reflect' && n.value !== null && ((lo.value ?? 0) >= n.value || (hi.value ?? 0) >= n.value)) {
      throw new ShapeError(
        `${op}: reflect padding (${lo.value}, ${hi.value}) must be smaller than the input size ${n.value} in dim ${axis} (input ${showShape(x.shape)})`,
      );
    }
    const size = dimAdd(dimAdd(n, lo), hi);
    if (n.value !== null && lo.value !== null && hi.value !== null) {
      const afterLo = n.value + Math.min(lo.value, 0);
      const cropped = afterLo + Math.min(hi.value, 0);
      const tooSmall = afterLo < 0 || cropped < 0 || (mode === 'constant' && anyPositive && (size.value as number) <= 0) || (size.value as number) < 0;
      if (tooSmall) {
        throw new ShapeError(
          `${op}: the input size ${n.value} in dim ${axis} plus padding ${lo.value} and ${hi.value} leaves ${size.value} elements (input ${showShape(x.shape)})`,
        );
      }
    }
    out[axis] = size;
  }
  return out;
}

const padFn: FunctionOpDef = {
  kind: 'function',
  name: 'F.pad',
  aliases: ['torch.nn.functional.pad'],
  family: 'pad',
  signature: [req('input'), req('pad'), opt('mode', vStr('constant')), opt('value', vNone)],
  infer(args, ctx) {
    const x = tensorArg(args, 'input', 'F.pad');
    if (!seqItems(args.pad ?? vNone)) throw new ShapeError('F.pad: pad must be a list or tuple of ints');
    const pad = dimsOf(args.pad, 'F.pad', 'pad');
    return ctx.tensor(padShape('F.pad', x, pad, strArg(args, 'mode', 'F.pad')), x.dtype);
  },
  onnx: padLowering(),
};

function padModule(type: string, nd: number, mode: string, withValue: boolean): ModuleOpDef {
  return {
    kind: 'module',
    type,
    family: 'pad',
    ctor: withValue ? [req('padding'), req('value')] : [req('padding')],
    forward: [req('input')],
    tensors: () => [],
    infer(attrs, args, ctx) {
      const x = tensorArg(args, 'input', type);
      const pad = tupleArg(attrs, 'padding', 2 * nd, type).map((p) => ({ value: p, expr: null }));
      return ctx.tensor(padShape(type, x, pad, mode), x.dtype);
    },
    flops: () => 0,
    onnx: padModuleLowering(nd, mode),
  };
}

const defs: OpDef[] = [padFn, padModule('ZeroPad2d', 2, 'constant', false)];
for (const nd of [1, 2, 3]) {
  defs.push(
    padModule(`ConstantPad${nd}d`, nd, 'constant', true),
    padModule(`ReflectionPad${nd}d`, nd, 'reflect', false),
    padModule(`ReplicationPad${nd}d`, nd, 'replicate', false),
  );
}
registerOps(defs);
