// Subscript assignment (`y[:, 1] = 0.5`, `y[..., :2] += t`, `y[mask] = 0`) is a graph node that exports and runs with torch's semantics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { parseInputSpec, type InputSpec } from '../../src/core/interp/inputSpec';
import { exportOnnx, OnnxExportError } from '../../src/core/onnx/encodeOnnx';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import type { RunTensor } from '../../src/core/run/runner';
import type { ModelGraph } from '../../src/core/graph/modelGraph';
import { initTestParser } from '../support/pythonWasm';

/** x = 0..23 − 11.5 as [2, 3, 4]. */
const X: RunTensor = { dtype: 'float32', shape: [2, 3, 4], data: Float32Array.from({ length: 24 }, (_, i) => i - 11.5) };
const xs = Array.from(X.data as Float32Array);

async function graphOf(body: string, specs: string[]): Promise<ModelGraph> {
  await initTestParser();
  const args = specs.map((_, i) => `x${i}`).join(', ');
  const text = `import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    def forward(self, ${args}):\n${body
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n')}\n`;
  const fa = analyzeSource({ text, file: '/tmp/m.py', models: [{ expr: 'M()', inputs: specs.map((s) => parseInputSpec(s) as InputSpec) }] });
  const g = fa.models[0]?.graph;
  assert.ok(g, `not interpreted: ${fa.models[0]?.diagnostics.map((d) => d.message).join('; ')}`);
  return g;
}

async function run(body: string, inputs: RunTensor[], specs: string[]): Promise<number[]> {
  const g = await graphOf(body, specs);
  const m = exportOnnx(g, { weights: new Map() });
  const s = await createOrtRunner(await loadNodeOrt()).createSession(m.bytes);
  const out = await s.run(Object.fromEntries(m.inputNames.map((n, i) => [n, inputs[i]!])));
  await s.dispose();
  return Array.from(out[m.outputNames[0]!]!.data as ArrayLike<number>, Number);
}

const pos = (i: number) => ({ b: Math.floor(i / 12), r: Math.floor(i / 4) % 3, c: i % 4 });

test('the write is a Tensor.__setitem__ node and later uses read the written value', async () => {
  const g = await graphOf('y = x0 * 1\ny[:, 1] = 0.5\nz = y + 1\nreturn z', ['2x3x4']);
  const set = g.nodes.find((n) => n.op === 'Tensor.__setitem__');
  assert.ok(set, 'no __setitem__ node');
  const add = g.nodes.find((n) => n.op === 'op.add')!;
  assert.deepEqual(add.inputs.slice(0, 1), set.outputs);
});

test('slice and Ellipsis writes, augmented writes, broadcast tensor values', async () => {
  const got = await run(
    'y = x0 * 1\ny[:, 1] = 0.5\ny[..., :2] += x1\ny[1, :, 3] = x1[0, :, 0]\nreturn y',
    [X, { dtype: 'float32', shape: [2, 3, 2], data: Float32Array.from({ length: 12 }, (_, i) => 100 * i) }],
    ['2x3x4', 'x1=2x3x2'],
  );
  const t = (b: number, r: number, c: number) => 100 * (b * 6 + r * 2 + c);
  const want = xs.map((v, i) => {
    const { b, r, c } = pos(i);
    let y = r === 1 ? 0.5 : v;
    if (c < 2) y += t(b, r, c);
    if (b === 1 && c === 3) y = t(0, r, 0);
    return y;
  });
  assert.deepEqual(got, want);
});

test('boolean-mask assignment of a scalar, and a step slice', async () => {
  const got = await run('y = x0.clone()\ny[x0 > 0] = 0.0\ny[:, ::2, 1::2] = -1.0\nreturn y', [X], ['2x3x4']);
  const want = xs.map((v, i) => {
    const { r, c } = pos(i);
    return r % 2 === 0 && c % 2 === 1 ? -1 : v > 0 ? 0 : v;
  });
  assert.deepEqual(got, want);
});

test('assignment through an integer index tensor scatters along its axis (negative indices, broadcast values, a leading int)', async () => {
  const idx = (values: number[]): RunTensor => ({ dtype: 'int64', shape: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
  const rows = await run('y = x0 * 1\ny[:, x1] = -1.0\nreturn y', [X, idx([2, 0])], ['2x3x4', 'x1=2:int64']);
  assert.deepEqual(
    rows,
    xs.map((v, i) => (pos(i).r === 2 || pos(i).r === 0 ? -1 : v)),
  );
  const x2: RunTensor = { dtype: 'float32', shape: [2, 3, 2], data: Float32Array.from({ length: 12 }, (_, i) => 100 * i) };
  const cols = await run('y = x0 * 1\ny[..., x1] = x2\nreturn y', [X, idx([3, -4]), x2], ['2x3x4', 'x1=2:int64', 'x2=2x3x2']);
  assert.deepEqual(
    cols,
    xs.map((v, i) => {
      const { b, r, c } = pos(i);
      return c === 3 ? 100 * (b * 6 + r * 2) : c === 0 ? 100 * (b * 6 + r * 2 + 1) : v;
    }),
  );
  const first = await run('y = x0 * 1\ny[0, x1] = 7.0\nreturn y', [X, idx([1])], ['2x3x4', 'x1=1:int64']);
  assert.deepEqual(
    first,
    xs.map((v, i) => (pos(i).b === 0 && pos(i).r === 1 ? 7 : v)),
  );
});

test('a write the lowering cannot express is refused by name, not dropped', async () => {
  const g = await graphOf('y = x0 * 1\ny[:, x1] = 0.0\nreturn y', ['2x3x4', 'x1=2x2:int64']);
  assert.ok(g.nodes.some((n) => n.op === 'Tensor.__setitem__'));
  assert.throws(
    () => exportOnnx(g, { weights: new Map() }),
    (e: unknown) => e instanceof OnnxExportError && /Tensor\.__setitem__.*index tensor/.test(e.message),
  );
});
