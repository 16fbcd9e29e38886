// Symbolic dims through op rules: sizes derived from named input dims stay expressions (B, H/2, C*H*W).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dim, formatDim, symDim } from '../../src/core/shape/dim';
import { formatShapeConcrete, formatShapeSymbolic } from '../../src/core/shape/shape';
import { functionOp, moduleOp } from '../../src/core/ops/index';
import { PyValue, TensorValue } from '../../src/core/ops/values';
import { bind, int, makeCtx, tensor, tuple } from '../support/opsHarness';

const B = symDim('B', 4);
const C = symDim('C', 64);
const H = symDim('H', 256);
const W = symDim('W', 256);

function call(key: string, args: PyValue[], kwargs: Record<string, PyValue> = {}): PyValue {
  const def = functionOp(key);
  assert.ok(def, key);
  return def.infer(bind(def.signature, args, kwargs), makeCtx());
}

function callModule(type: string, ctor: PyValue[], ctorKw: Record<string, PyValue>, args: PyValue[]): PyValue {
  const def = moduleOp(type);
  assert.ok(def, type);
  const attrs = bind(def.ctor, ctor, ctorKw);
  def.validate?.(attrs);
  return def.infer(attrs, bind(def.forward, args, {}), makeCtx());
}

function shapeOf(v: PyValue): string {
  assert.equal(v.kind, 'tensor');
  const t = v as TensorValue;
  assert.ok(t.shape);
  return `${formatShapeSymbolic(t.shape)} = ${formatShapeConcrete(t.shape)}`;
}

const sizeOf = (x: PyValue, i: number): PyValue => call('Tensor.size', [x, int(i)]);

function dimOf(v: PyValue): Dim {
  assert.equal(v.kind, 'int');
  return (v as { dim: Dim }).dim;
}

test('x.view(x.size(0), -1) keeps B and multiplies the rest', () => {
  const x = tensor([B, C, H, W]);
  assert.equal(shapeOf(call('Tensor.view', [x, sizeOf(x, 0), int(-1)])), '[B, C*H*W] = [4, 4194304]');
});

test('a strided conv stack halves H and W symbolically, then flatten and view agree', () => {
  let x: PyValue = tensor([B, 3, H, W]);
  const conv = (cin: number, cout: number) => callModule('Conv2d', [int(cin), int(cout), int(3)], { stride: int(2), padding: int(1) }, [x]);
  x = conv(3, 64);
  x = conv(64, 128);
  x = conv(128, 256);
  assert.equal(shapeOf(x), '[B, 256, H/8, W/8] = [4, 256, 32, 32]');
  assert.equal(shapeOf(call('torch.flatten', [x, int(1)])), '[B, 4*H*W] = [4, 262144]');
  assert.equal(shapeOf(call('Tensor.view', [x, sizeOf(x, 0), int(-1)])), '[B, 4*H*W] = [4, 262144]');
});

test('interpolate: scale 0.5 halves, size taken from another tensor keeps its symbols', () => {
  const x = tensor([B, C, H, W]);
  assert.equal(shapeOf(call('F.interpolate', [x], { scale_factor: { kind: 'float', value: 0.5 } })), '[B, C, H/2, W/2] = [4, 64, 128, 128]');
  // `size = feat.shape[-2:]`: the interpreter slices the Size tuple; its items are the other tensor's dims.
  const small = call('Tensor.shape', [tensor([B, C, symDim('h', 32), symDim('w', 32)])]);
  assert.equal(small.kind, 'tuple');
  const target = tuple(...(small as { items: readonly PyValue[] }).items.slice(-2));
  assert.equal(
    shapeOf(call('F.interpolate', [x], { size: target, mode: { kind: 'str', value: 'bilinear' }, align_corners: { kind: 'bool', value: false } })),
    '[B, C, h, w] = [4, 64, 32, 32]',
  );
});

test('cat adds symbolic channel counts; chunk halves them', () => {
  const a = tensor([B, C, H, W]);
  const b = tensor([B, dimOf(call('op.mul', [int(C), int(2)])), H, W]);
  const cat = call('torch.cat', [{ kind: 'list', items: [a, b] }], { dim: int(1) });
  assert.equal(shapeOf(cat), '[B, 3*C, H, W] = [4, 192, 256, 256]');
  const halves = call('Tensor.chunk', [a, int(2)], { dim: int(1) });
  assert.equal(halves.kind, 'tuple');
  if (halves.kind === 'tuple') assert.deepEqual(halves.items.map(shapeOf), ['[B, C/2, H, W] = [4, 32, 256, 256]', '[B, C/2, H, W] = [4, 32, 256, 256]']);
});

test('UNet-style pad to the skip size cancels to the skip size', () => {
  const H72 = symDim('H', 72);
  let x: PyValue = tensor([1, 8, H72, H72]);
  for (let i = 0; i < 4; i++) x = callModule('MaxPool2d', [int(2)], {}, [x]);
  assert.equal(shapeOf(x), '[1, 8, floor(H/16), floor(H/16)] = [1, 8, 4, 4]');
  const up = callModule('ConvTranspose2d', [int(8), int(8), int(2)], { stride: int(2) }, [x]);
  assert.equal(shapeOf(up), '[1, 8, 2*floor(H/16), 2*floor(H/16)] = [1, 8, 8, 8]');
  const skip = tensor([1, 8, dimOf(call('op.floordiv', [int(H72), int(8)])), 9]);
  const diffY = call('op.sub', [sizeOf(skip, 2), sizeOf(up, 2)]);
  const half = call('op.floordiv', [diffY, int(2)]);
  const rest = call('op.sub', [diffY, half]);
  const padded = call('F.pad', [up, { kind: 'list', items: [int(0), int(1), half, rest] }]);
  assert.equal(shapeOf(padded), '[1, 8, H/8, 2*floor(H/16)+1] = [1, 8, 9, 9]');
});

test('slicing a positional table by a symbolic length keeps the symbol', () => {
  const T = symDim('T', 12);
  const table = tensor([1, 32, 64]);
  const sliced = call('Tensor.__getitem__', [
    table,
    tuple(
      { kind: 'slice', start: { kind: 'none' }, stop: { kind: 'none' }, step: { kind: 'none' } },
      { kind: 'slice', start: { kind: 'none' }, stop: int(T), step: { kind: 'none' } },
    ),
  ]);
  assert.equal(shapeOf(sliced), '[1, T, 64] = [1, 12, 64]');
  assert.equal(shapeOf(call('torch.arange', [int(T)])), '[T] = [12]');
});

test('attention and matmul carry sequence symbols', () => {
  const T = symDim('T', 12);
  const q = tensor([B, T, 64]);
  const kv = tensor([B, symDim('S', 64), 64]);
  const out = callModule('MultiheadAttention', [int(64), int(4)], { batch_first: { kind: 'bool', value: true } }, [q, kv, kv]);
  assert.equal(out.kind, 'tuple');
  if (out.kind === 'tuple') assert.deepEqual(out.items.map(shapeOf), ['[B, T, 64] = [4, 12, 64]', '[B, T, S] = [4, 12, 64]']);
  const scores = call('op.matmul', [q, call('Tensor.transpose', [kv, int(-2), int(-1)])]);
  assert.equal(shapeOf(scores), '[B, T, S] = [4, 12, 64]');
});

test('broadcasting keeps the symbolic side and reductions drop or keep dims', () => {
  const x = tensor([B, C, H, W]);
  const g = tensor([B, C, 1, 1]);
  assert.equal(shapeOf(call('op.mul', [x, g])), '[B, C, H, W] = [4, 64, 256, 256]');
  assert.equal(shapeOf(call('Tensor.mean', [x, int(1)], { keepdim: { kind: 'bool', value: true } })), '[B, 1, H, W] = [4, 1, 256, 256]');
  assert.equal(shapeOf(call('Tensor.mean', [x, tuple(int(2), int(3))])), '[B, C] = [4, 64]');
  assert.equal(shapeOf(call('Tensor.permute', [x, int(0), int(2), int(3), int(1)])), '[B, H, W, C] = [4, 256, 256, 64]');
  assert.equal(shapeOf(call('Tensor.flatten', [x, int(2)])), '[B, C, H*W] = [4, 64, 65536]');
  assert.equal(shapeOf(callModule('PixelShuffle', [int(2)], {}, [x])), '[B, C/4, 2*H, 2*W] = [4, 16, 512, 512]');
});

test('Python int arithmetic on sizes stays symbolic', () => {
  const x = tensor([B, C, H, W]);
  const h = sizeOf(x, 2);
  const r = dimOf(call('op.add', [call('op.floordiv', [h, int(4)]), int(1)]));
  assert.equal(r.value, 65);
  assert.equal(formatDim(r), 'H/4+1');
  const eq = call('op.ne', [call('Tensor.shape', [x]), tuple(int(B), int(C), int(H), int(W))]);
  assert.deepEqual(eq, { kind: 'bool', value: false });
});

test('slices of a size known only symbolically assume in-range bounds', () => {
  const L = symDim('L', null);
  const x = tensor([2, L]);
  const slice = (start: number | null, stop: number | null, step: number | null = null): PyValue => ({
    kind: 'slice',
    start: start === null ? { kind: 'none' } : int(start),
    stop: stop === null ? { kind: 'none' } : int(stop),
    step: step === null ? { kind: 'none' } : int(step),
  });
  const last = (v: PyValue) => formatDim((v as TensorValue).shape![1]);
  assert.equal(last(call('Tensor.__getitem__', [x, tuple(slice(null, null), slice(1, null))])), 'L-1');
  assert.equal(last(call('Tensor.__getitem__', [x, tuple(slice(null, null), slice(-3, null))])), '3');
  assert.equal(last(call('Tensor.__getitem__', [x, tuple(slice(null, null), slice(null, -1))])), 'L-1');
  assert.equal(last(call('Tensor.__getitem__', [x, tuple(slice(null, null), slice(null, null, 2))])), 'floor((L-1)/2)+1');
});

test('max/min/topk with a dim return torch.return_types named tuples (values, indices)', () => {
  const x = tensor([B, C, 7]);
  for (const out of [call('Tensor.max', [x, int(1)]), call('torch.topk', [x, int(3)]), call('torch.sort', [x])]) {
    assert.equal(out.kind, 'tuple');
    if (out.kind === 'tuple') {
      assert.deepEqual(out.fields, ['values', 'indices']);
      assert.equal((out.items[1] as TensorValue).dtype, 'int64');
    }
  }
});

test('F.scaled_dot_product_attention (torch 2 API): [..., L, E] x [..., S, E] x [..., S, Ev] → [..., L, Ev]', () => {
  const T = symDim('T', 12);
  const q = tensor([B, 4, T, 16]);
  const k = tensor([B, 4, symDim('S', 20), 16]);
  const v = tensor([B, 4, symDim('S', 20), 32]);
  assert.equal(shapeOf(call('F.scaled_dot_product_attention', [q, k, v], { is_causal: { kind: 'bool', value: true } })), '[B, 4, T, 32] = [4, 4, 12, 32]');
  assert.throws(() => call('F.scaled_dot_product_attention', [q, tensor([B, 4, 20, 8]), v]), /cannot be multiplied/);
});
