// FLOP counts follow the documented convention: 2 per multiply-accumulate, one per element for elementwise ops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionOp, moduleOp } from '../../src/core/ops/index';
import { PyValue } from '../../src/core/ops/values';
import { bind, int, makeCtx, tensor } from '../support/opsHarness';

function moduleFlops(type: string, ctor: PyValue[], args: PyValue[], ctorKw: Record<string, PyValue> = {}): number {
  const def = moduleOp(type);
  assert.ok(def, type);
  const attrs = bind(def.ctor, ctor, ctorKw);
  const bound = bind(def.forward, args, {});
  return def.flops(attrs, bound, def.infer(attrs, bound, makeCtx()));
}

function fnFlops(key: string, args: PyValue[], kwargs: Record<string, PyValue> = {}): number {
  const def = functionOp(key);
  assert.ok(def && def.flops, key);
  const bound = bind(def.signature, args, kwargs);
  return def.flops(bound, def.infer(bound, makeCtx()));
}

test('conv: 2 × output elements × (C_in/groups) × kernel area', () => {
  // [2, 8, 16, 16] output, 3 input channels, 3x3 kernel.
  assert.equal(moduleFlops('Conv2d', [int(3), int(8), int(3)], [tensor([2, 3, 16, 16])], { padding: int(1) }), 2 * 2 * 8 * 16 * 16 * 3 * 9);
  // Depthwise: groups = channels, one input channel per output.
  assert.equal(moduleFlops('Conv2d', [int(8), int(8), int(3)], [tensor([1, 8, 10, 10])], { padding: int(1), groups: int(8) }), 2 * 8 * 10 * 10 * 1 * 9);
  // Transposed: every input element is multiplied into (C_out/groups) × kernel area outputs.
  assert.equal(moduleFlops('ConvTranspose2d', [int(4), int(2), int(2)], [tensor([1, 4, 5, 5])], { stride: int(2) }), 2 * 4 * 5 * 5 * 2 * 4);
});

test('linear, matmul and einsum: 2 × output elements × contracted size', () => {
  assert.equal(moduleFlops('Linear', [int(16), int(4)], [tensor([3, 16])]), 2 * 3 * 4 * 16);
  assert.equal(fnFlops('op.matmul', [tensor([2, 5, 7]), tensor([2, 7, 3])]), 2 * 2 * 5 * 3 * 7);
  assert.equal(fnFlops('torch.einsum', [{ kind: 'str', value: 'bij,bjk->bik' }, tensor([2, 5, 7]), tensor([2, 7, 3])]), 2 * 2 * 5 * 3 * 7);
});

test('multi-head attention counts its four projections and both attention products', () => {
  const [e, l, s, n] = [16, 5, 7, 2];
  const q = tensor([l, n, e]);
  const kv = tensor([s, n, e]);
  const expected = 2 * n * (l * e * e + s * e * e + s * e * e + 2 * l * s * e + l * e * e);
  assert.equal(moduleFlops('MultiheadAttention', [int(e), int(4)], [q, kv, kv]), expected);
});

test('elementwise ops count one per output element; shape ops count nothing', () => {
  assert.equal(fnFlops('op.add', [tensor([2, 3, 4]), tensor([4])]), 24);
  assert.equal(moduleFlops('ReLU', [], [tensor([2, 3, 4])]), 24);
  assert.equal(moduleFlops('Flatten', [], [tensor([2, 3, 4])]), 0);
  assert.equal(moduleFlops('BatchNorm2d', [int(3)], [tensor([2, 3, 4, 4])]), 2 * 96);
  assert.equal(moduleFlops('MaxPool2d', [int(2)], [tensor([1, 3, 8, 8])]), 3 * 4 * 4 * 4);
});
