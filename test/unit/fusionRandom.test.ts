// Property test: the fusion analysis never throws on arbitrary graphs and its points keep their invariants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeFusion } from '../../src/core/graph/fusionAnalysis';
import { explainFusion } from '../../src/core/graph/fusionText';
import { fusionPointJson } from '../../src/core/graph/fusionJson';
import { TestGraph } from '../support/fusionTestGraph';

const OPS = [
  'nn.Conv2d',
  'nn.BatchNorm2d',
  'F.relu',
  'F.max_pool2d',
  'F.interpolate',
  'nn.ConvTranspose2d',
  'F.pad',
  'nn.Linear',
  'torch.cat',
  'torch.stack',
  'op.add',
  'op.iadd',
  'op.mul',
  'op.matmul',
  'torch.softmax',
  'torch.sigmoid',
  'Tensor.view',
  'Tensor.permute',
  'Tensor.sum',
  'Tensor.mean',
  'nn.MultiheadAttention',
  'Tensor.size',
  'onnx.Concat',
  'onnx.Add',
];
const METHODS = new Set(['concat', 'sum', 'residual', 'gated', 'weighted', 'cross-attention', 'attention']);

const step = fc.record({
  op: fc.constantFrom(...OPS),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  shape: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
  param: fc.boolean(),
  line: fc.nat({ max: 5 }),
});

test('random graphs: no exception, every point merges ≥ 2 distinct data inputs, no node claimed twice', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 3 }), (steps, nInputs) => {
      const g = new TestGraph();
      const values: string[] = [];
      for (let i = 0; i < nInputs; i++) values.push(g.input(`x${i}`, [2, 4, 8, 8]));
      const weight = g.param('w', [3]);
      for (const s of steps) {
        const ins = [...new Set(s.picks.map((k) => values[k % values.length] as string))];
        if (s.param) ins.push(weight);
        values.push(g.op(s.op, ins, s.shape, { line: s.line, attrs: { kernel_size: 1, stride: 1 }, args: { input: { tensor: ins[0] as string }, dim: 1 } }));
      }
      g.output(values[values.length - 1] as string);
      const graph = g.build();
      const a = analyzeFusion(graph);
      const claimed = new Set<string>();
      for (const p of a.points) {
        assert.ok(METHODS.has(p.method));
        assert.ok(p.inputs.length >= 2, `${p.method} with ${p.inputs.length} inputs`);
        assert.ok(new Set(p.inputs.map((i) => i.value)).size === p.inputs.length || p.method.includes('attention'));
        for (const i of p.inputs) assert.notEqual(graph.values.get(i.value)?.source, 'param');
        for (const id of p.nodes) {
          assert.ok(!claimed.has(id), `node ${id} claimed twice`);
          claimed.add(id);
        }
        assert.equal(typeof explainFusion(p, 'zh-cn'), 'string');
        JSON.stringify(fusionPointJson(p));
      }
    }),
    { numRuns: 300, seed: 7 },
  );
});
