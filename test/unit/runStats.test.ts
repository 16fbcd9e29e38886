// Tensor statistics and comparisons used by the run command and the oracle checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensorStats } from '../../src/core/run/tensorStats';
import { compareTensors, withinOracleTolerance } from '../../src/core/run/compareTensors';

test('stats match a direct computation and skip non-finite values', () => {
  const s = tensorStats(new Float32Array([1, 2, 3, 4, NaN, Infinity]));
  assert.equal(s.count, 4);
  assert.equal(s.nonFinite, 2);
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.std - Math.sqrt(1.25)) < 1e-12);
  assert.equal(s.min, 1);
  assert.equal(s.max, 4);
  assert.equal(tensorStats(new BigInt64Array([5n, -5n])).mean, 0);
});

test('comparison: max-abs-diff, cosine and the oracle tolerance', () => {
  const ref = { dtype: 'float32' as const, shape: [2, 2], data: new Float32Array([100, -50, 0, 1]) };
  const near = { ...ref, data: new Float32Array([100.005, -50, 0, 1]) };
  const far = { ...ref, data: new Float32Array([100.02, -50, 0, 1]) };
  const c1 = compareTensors(near, ref);
  assert.ok(Math.abs(c1.maxAbsDiff - 0.005) < 1e-5);
  assert.equal(c1.maxAbsRef, 100);
  assert.ok(withinOracleTolerance(c1));
  assert.ok(!withinOracleTolerance(compareTensors(far, ref)));
  const neg = { ...ref, data: ref.data.map((v) => -v) };
  assert.ok(Math.abs(compareTensors(neg, ref).cosine + 1) < 1e-9);
  const nan = { ...ref, data: new Float32Array([NaN, -50, 0, 1]) };
  assert.ok(!withinOracleTolerance(compareTensors(nan, ref)));
  assert.throws(() => compareTensors({ ...ref, shape: [4] }, ref), /shapes/);
});
