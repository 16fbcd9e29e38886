// Shape-error messages become user diagnostics: they must name the cause, the inputs, the dims and the sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symDim } from '../../src/core/shape/dim';
import { functionOp, moduleOp } from '../../src/core/ops/index';
import { ShapeError } from '../../src/core/ops/types';
import { PyValue } from '../../src/core/ops/values';
import { bind, int, makeCtx, tensor } from '../support/opsHarness';

function failure(run: () => unknown): ShapeError {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof ShapeError, `expected a ShapeError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the rule to throw');
}

function call(key: string, args: PyValue[], kwargs: Record<string, PyValue> = {}): PyValue {
  const def = functionOp(key);
  assert.ok(def, key);
  return def.infer(bind(def.signature, args, kwargs), makeCtx());
}

function callModule(type: string, ctor: PyValue[], args: PyValue[], ctorKw: Record<string, PyValue> = {}): PyValue {
  const def = moduleOp(type);
  assert.ok(def, type);
  const attrs = bind(def.ctor, ctor, ctorKw);
  def.validate?.(attrs);
  return def.infer(attrs, bind(def.forward, args, {}), makeCtx());
}

const list = (...items: PyValue[]): PyValue => ({ kind: 'list', items });

test('conv input-channel mismatch names expected and actual channels and the input', () => {
  const e = failure(() => callModule('Conv2d', [int(64), int(128), int(3)], [tensor([2, 128, 16, 16])]));
  assert.equal(e.message, 'Conv2d expects 64 input channels but got 128 (input [2, 128, 16, 16])');
});

test('Linear mismatch says which in_features would fit, and suggests flattening', () => {
  const flat = failure(() => callModule('Linear', [int(262144), int(10)], [tensor([4, 65536])]));
  assert.match(flat.message, /Linear expects in_features=262144 but the input's last dimension is 65536 \(input \[4, 65536\]\)/);
  assert.match(flat.message, /in_features=65536 would fit/);
  assert.equal(flat.hint, 'set in_features=65536, or reshape the input so that its last dimension is 262144');
  const unflat = failure(() => callModule('Linear', [int(1024), int(10)], [tensor([4, 64, 4, 4])]));
  assert.match(unflat.message, /flatten the input from dim 1 first: its 3 trailing dims hold exactly 1024 elements/);
});

test('cat mismatch names the inputs, the dim and both sizes', () => {
  const e = failure(() => call('torch.cat', [list(tensor([2, 64, 16, 16]), tensor([2, 128, 8, 8]))], { dim: int(1) }));
  assert.match(e.message, /torch\.cat: sizes of tensors must match except in the concatenation dim 1/);
  assert.match(e.message, /input 0 \[2, 64, 16, 16\] has 16 in dim 2 but input 1 \[2, 128, 8, 8\] has 8/);
  const s = failure(() => call('torch.stack', [list(tensor([2, 3]), tensor([2, 3]), tensor([3, 2]))]));
  assert.match(s.message, /input 0 is \[2, 3\] and input 2 is \[3, 2\]/);
});

test('view/reshape element-count mismatch states both counts', () => {
  const e = failure(() => call('Tensor.view', [tensor([2, 3, 4]), int(4), int(5)]));
  assert.equal(e.message, 'Tensor.view: shape [4, 5] (20 elements) is invalid for input [2, 3, 4] with 24 elements');
  const d = failure(() => call('Tensor.reshape', [tensor([2, 3, 4]), int(5), int(-1)]));
  assert.match(d.message, /24 is not divisible by 5/);
});

test('broadcast failure shows both shapes and the dim, symbolic shapes included', () => {
  const e = failure(() => call('op.add', [tensor([2, 3]), tensor([4])]));
  assert.match(e.message, /shapes \[2, 3\] and \[4\] cannot be broadcast: at dimension -1 \(dim 1 of the result\) the sizes are 3 and 4/);
  const H = symDim('H', 32);
  const s = failure(() => call('op.add', [tensor([1, 8, H, H]), tensor([1, 8, 16, 16])]));
  assert.match(s.message, /\[1, 8, 32, 32\] \(\[1, 8, H, H\]\)/);
});

test('pooling output smaller than 1 explains the window', () => {
  const e = failure(() => callModule('MaxPool2d', [int(5)], [tensor([1, 2, 4, 4])]));
  assert.match(e.message, /MaxPool2d: input \[1, 2, 4, 4\] is too small for kernel 5x5 \(stride 5x5, padding 0x0\): the output would be 0x0/);
});

test('norm, embedding, attention and matmul errors name the mismatching sizes', () => {
  assert.match(
    failure(() => callModule('BatchNorm2d', [int(8)], [tensor([2, 16, 4, 4])])).message,
    /BatchNorm2d expects 8 channels \(num_features\) but got 16 in dim 1/,
  );
  assert.match(
    failure(() => callModule('LayerNorm', [int(64)], [tensor([2, 12, 32])])).message,
    /normalized_shape=\[64\] requires the input to end in \[64\], but the input is \[2, 12, 32\]/,
  );
  assert.match(failure(() => callModule('Embedding', [int(10), int(3)], [tensor([5])])).message, /expects integer indices/);
  assert.match(
    failure(() =>
      callModule('MultiheadAttention', [int(64), int(4)], [tensor([2, 12, 32]), tensor([2, 9, 64]), tensor([2, 9, 64])], {
        batch_first: { kind: 'bool', value: true },
      }),
    ).message,
    /expects query with embed_dim=64 features but got 32/,
  );
  assert.match(
    failure(() => call('op.matmul', [tensor([2, 3]), tensor([4, 5])])).message,
    /the last dim of the first \(3\) must equal the second-to-last dim of the second \(4\)/,
  );
});

test('invalid constructor arguments are rejected by validate', () => {
  assert.match(
    failure(() => callModule('Conv2d', [int(3), int(8), int(3)], [tensor([1, 3, 8, 8])], { groups: int(2) })).message,
    /in_channels must be divisible by groups/,
  );
  assert.match(failure(() => callModule('MultiheadAttention', [int(64), int(5)], [])).message, /embed_dim must be divisible by num_heads/);
  assert.match(failure(() => callModule('GroupNorm', [int(3), int(16)], [])).message, /num_channels must be divisible by num_groups/);
});

test('hints state the fix: the constructor argument that would fit', () => {
  assert.equal(
    failure(() => callModule('Conv2d', [int(64), int(128), int(3)], [tensor([2, 128, 16, 16])])).hint,
    'set in_channels=128, or make the previous layer output 64 channels',
  );
  assert.equal(failure(() => callModule('BatchNorm2d', [int(8)], [tensor([2, 16, 4, 4])])).hint, 'set num_features=16');
  assert.equal(failure(() => callModule('LayerNorm', [int(64)], [tensor([2, 12, 32])])).hint, 'set normalized_shape=32');
});
