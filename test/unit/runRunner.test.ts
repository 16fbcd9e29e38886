// The onnxruntime-web runner executes a hand-built ONNX model in Node and reports timings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelProtoType } from '../../src/core/onnx/onnxSchema';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';

/** y = relu(x · W + b) with W = [[1, -1], [2, 0]] and b = [0.5, -0.5]. */
function tinyModel(): Uint8Array {
  const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  return modelProtoType()
    .encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'tiny',
        input: [vi('x', [3, 2])],
        output: [vi('y', [3, 2])],
        initializer: [
          { name: 'W', dims: [2, 2], dataType: 1, floatData: [1, -1, 2, 0] },
          { name: 'b', dims: [2], dataType: 1, floatData: [0.5, -0.5] },
        ],
        node: [
          { opType: 'Gemm', input: ['x', 'W', 'b'], output: ['g'] },
          { opType: 'Relu', input: ['g'], output: ['y'] },
        ],
      },
    })
    .finish();
}

test('runs a tiny model and returns the expected values', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const s = await runner.createSession(tinyModel(), { threads: 1 });
  assert.deepEqual(s.inputNames, ['x']);
  assert.equal(s.lastRunMs, null);
  const x = { dtype: 'float32' as const, shape: [3, 2], data: new Float32Array([1, 1, -1, 0, 0, 2]) };
  const out = await s.run({ x });
  const y = out.y!;
  assert.deepEqual(y.shape, [3, 2]);
  assert.equal(y.dtype, 'float32');
  // rows: [1+2+.5, -1-.5] → [3.5, 0]; [-1+.5, 1-.5] → [0, .5]; [4+.5, -.5] → [4.5, 0]
  assert.deepEqual(Array.from(y.data as Float32Array), [3.5, 0, 0, 0.5, 4.5, 0]);
  assert.ok(s.sessionCreateMs >= 0 && s.lastRunMs !== null);
  await s.dispose();
});

test('a bad feed is reported by name', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const s = await runner.createSession(tinyModel());
  await assert.rejects(s.run({ x: { dtype: 'bfloat16', shape: [3, 2], data: new Uint16Array(6) } }), /input 'x'/);
  await s.dispose();
});

test('the thread count is fixed by the first session; a different request is refused', async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  const s = await runner.createSession(tinyModel(), { threads: 1 });
  await s.dispose();
  await assert.rejects(runner.createSession(tinyModel(), { threads: 2 }), /already runs with 1 thread/);
});
