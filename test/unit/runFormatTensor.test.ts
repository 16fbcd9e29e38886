// The tensor preview follows torch's print layout: nesting, alignment, 4 decimals, summarisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTensor } from '../../src/core/run/formatTensor';

const f32 = (shape: number[], values: number[]) => ({ dtype: 'float32' as const, shape, data: new Float32Array(values) });

test('a 2-D tensor prints like torch', () => {
  assert.equal(formatTensor(f32([2, 3], [1, -2.5, 0.125, 3, 4, 5])), 'tensor([[ 1.0000, -2.5000,  0.1250],\n        [ 3.0000,  4.0000,  5.0000]])');
});

test('3-D tensors separate blocks with a blank line; scalars and ints', () => {
  const s = formatTensor(f32([2, 1, 2], [1, 2, 3, 4]));
  assert.equal(s, 'tensor([[[1.0000, 2.0000]],\n\n        [[3.0000, 4.0000]]])');
  assert.equal(formatTensor(f32([], [0.5])), 'tensor(0.5000)');
  assert.equal(formatTensor({ dtype: 'int64', shape: [3], data: new BigInt64Array([1n, -20n, 3n]) }), 'tensor([  1, -20,   3])');
});

test('large tensors are summarised with ... and wide ranges switch to scientific notation', () => {
  const big = f32(
    [2000],
    Array.from({ length: 2000 }, (_, i) => i),
  );
  assert.equal(formatTensor(big), 'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00, ..., 1.9970e+03, 1.9980e+03, 1.9990e+03])');
  const rows = formatTensor(
    f32(
      [100, 20],
      Array.from({ length: 2000 }, () => 1),
    ),
  );
  assert.equal(rows.split('\n').length, 7);
  assert.ok(rows.includes('...'));
});
