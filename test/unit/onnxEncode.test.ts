// Encoder mechanics: lowering through registry entries, initializers from weights, extra outputs, refusals that name the op.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphNode, GraphValue, ModelGraph } from '../../src/core/graph/modelGraph';
import { attr } from '../../src/core/ops/lowering';
import { registerOps, roleOfKey } from '../../src/core/ops/registry';
import { dim } from '../../src/core/shape/dim';
import { exportOnnx, OnnxExportError } from '../../src/core/onnx/encodeOnnx';
import { decodeOnnx } from '../../src/core/onnx/decodeOnnx';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';

// Test-only ops (unique keys): a module with a weight, and a scaled add function.
registerOps([
  {
    kind: 'module',
    type: 'TestScale',
    family: 'test',
    ctor: [],
    forward: [{ name: 'input' }],
    tensors: () => [],
    infer: () => ({ kind: 'none' }),
    flops: () => 0,
    onnx: (ctx) => {
      ctx.node('Mul', [ctx.inputs[0]!, ctx.param('weight')!], {}, ctx.outputs);
    },
  },
  {
    kind: 'function',
    name: 'test.addScaled',
    family: 'test',
    signature: [{ name: 'a' }, { name: 'b' }, { name: 'alpha' }],
    infer: () => ({ kind: 'none' }),
    onnx: (ctx) => {
      const scaled = ctx.node('Mul', [ctx.tensorArg('b')!, ctx.operand('alpha', 'float32')])[0]!;
      const sum = ctx.node('Add', [ctx.tensorArg('a')!, scaled])[0]!;
      ctx.node('Softmax', [sum], { axis: attr.int(-1) }, ctx.outputs);
    },
  },
  { kind: 'function', name: 'test.noLowering', family: 'test', signature: [], infer: () => ({ kind: 'none' }) },
]);

const shape = (...d: number[]) => d.map(dim);
const val = (id: string, source: GraphValue['source'], producer: string | null, name?: string): GraphValue => ({
  id,
  shape: shape(2, 3),
  dtype: 'float32',
  source,
  producer,
  ...(name ? { name } : {}),
});
const node = (id: string, op: string, inputs: string[], outputs: string[], args: GraphNode['args'], modulePath: string | null = null): GraphNode => ({
  id,
  op,
  role: roleOfKey(op),
  modulePath,
  scope: '',
  attrs: {},
  args,
  inputs,
  outputs,
  params: 0,
  flops: 0,
  range: null,
  callPath: [],
});

function graph(ops: GraphNode[]): ModelGraph {
  const values = new Map<string, GraphValue>([
    ['x', val('x', 'input', null, 'x')],
    ['w', val('w', 'param', null, 'scale.weight')],
    ['v1', val('v1', 'node', 'n0')],
    ['v2', val('v2', 'node', 'n1')],
  ]);
  return {
    expr: 'M()',
    className: 'M',
    file: 'm.py',
    inputs: [{ name: 'x', shape: shape(2, 3), dtype: 'float32', value: 'x' }],
    inputKind: 'args',
    outputs: ['v2'],
    outputKind: 'tensor',
    values,
    nodes: ops,
    modules: [],
    lines: [],
    diagnostics: [],
    stateDict: [{ name: 'scale.weight', shape: [2, 3], dtype: 'float32', role: 'param', modulePath: 'scale', moduleType: 'TestScale', init: { kind: 'ones' } }],
    paramsTotal: 6,
    flopsTotal: 0,
    classRange: null,
  };
}

const weights = new Map([['scale.weight', new Float32Array([1, 2, 3, -1, -2, -3])]]);
const good = () =>
  graph([
    node('n0', 'nn.TestScale', ['x'], ['v1'], { input: { tensor: 'x' } }, 'scale'),
    node('n1', 'test.addScaled', ['v1', 'x'], ['v2'], { a: { tensor: 'v1' }, b: { tensor: 'x' }, alpha: 0.5 }),
  ]);

test('exports a graph whose lowerings come from registry entries, and it runs', async () => {
  const m = exportOnnx(good(), { weights, extraOutputs: ['v1'] });
  assert.deepEqual(m.inputNames, ['input.0']);
  assert.deepEqual(m.outputNames, ['output.0']);
  assert.equal(m.extraOutputs.get('v1'), 'value.v1');
  const d = decodeOnnx(m.bytes);
  assert.equal(d.opset, 17);
  // The output is written under its name directly; the extra output (an intermediate) gets an Identity.
  assert.deepEqual(
    d.graph.nodes.map((n) => n.op),
    ['onnx.Mul', 'onnx.Mul', 'onnx.Add', 'onnx.Softmax', 'onnx.Identity'],
  );
  assert.deepEqual(d.graph.outputs, ['output.0', 'value.v1']);
  assert.deepEqual(Array.from(d.initializers.get('scale.weight')!.data as Float32Array), [1, 2, 3, -1, -2, -3]);

  const s = await createOrtRunner(await loadNodeOrt()).createSession(m.bytes);
  const x = new Float32Array([0, 1, 2, 3, 4, 5]);
  const out = await s.run({ 'input.0': { dtype: 'float32', shape: [2, 3], data: x } });
  const v1 = out['value.v1']!.data as Float32Array;
  assert.deepEqual(Array.from(v1), [0, 2, 6, -3, -8, -15]);
  const y = out['output.0']!.data as Float32Array;
  for (let r = 0; r < 2; r++) {
    const z = [0, 1, 2].map((c) => v1[r * 3 + c]! + 0.5 * x[r * 3 + c]!);
    const e = z.map(Math.exp);
    const sum = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(y[r * 3 + c]! - e[c]! / sum) < 1e-6);
  }
  await s.dispose();
});

test('refuses ops without a lowering, naming them', () => {
  const g = graph([node('n0', 'test.noLowering', ['x'], ['v1'], {}), node('n1', 'torch.mysteryOp', ['v1'], ['v2'], {})]);
  assert.throws(
    () => exportOnnx(g, { weights }),
    (e: unknown) => e instanceof OnnxExportError && /test\.noLowering/.test(e.message) && /torch\.mysteryOp/.test(e.message) && e.ops.length === 2,
  );
});

test('refuses missing or wrongly sized weights and non-static shapes', () => {
  assert.throws(() => exportOnnx(good(), { weights: new Map() }), /no weights for 'scale.weight'/);
  assert.throws(() => exportOnnx(good(), { weights: new Map([['scale.weight', new Float32Array(5)]]) }), /5 elements/);
  const g = good();
  (g.values as Map<string, GraphValue>).set('v1', { ...g.values.get('v1')!, shape: [{ value: null, expr: null }, dim(3)] });
  assert.throws(() => exportOnnx(g, { weights }), /no static shape/);
});
