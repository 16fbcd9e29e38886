// PyTorch's lazy layers (nn.LazyLinear, nn.LazyConv*, nn.LazyConvTranspose*, nn.LazyBatchNorm*, nn.LazyInstanceNorm*)
// through the analysis: every case of test/fixtures/ops/lazy_cases.json (recorded from real PyTorch by
// gen_lazy_cases.py), and after the first call each layer is its non-lazy twin: same state, init, FLOPs, role and ONNX.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportOnnx } from '../../src/core/onnx/encodeOnnx';
import { roleOfKey } from '../../src/core/ops/index';
import { initStateDict } from '../../src/core/weights/initStateDict';
import type { ModelGraph } from '../../src/core/graph/modelGraph';
import type { ModelAnalysis } from '../../src/core/interp/analyzeFile';
import { graphOf, runModelSrc } from '../support/interpHarness';
import { initTestParser } from '../support/pythonWasm';

before(() => initTestParser());

interface Call {
  out?: number[];
  dtype?: string;
  error?: string;
  message?: string;
}
interface Case {
  id: string;
  expr: string;
  inputs: number[][];
  class: string;
  arg: string;
  before: { value: number; state: string[]; numel: string };
  calls: Call[];
  after: { class: string; value: number; state: [string, number[], string][] | null; params: number };
  twin?: string;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/ops/lazy_cases.json'), 'utf8')) as { torch_version: string; cases: Case[] };

/** A model holding `layer` as `self.m` and calling it once per input. */
function modelSource(layer: string, calls: number): string {
  const xs = Array.from({ length: calls }, (_, i) => `x${i}`);
  return [
    'import torch',
    'import torch.nn as nn',
    '',
    'class M(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    `        self.m = ${layer}`,
    '',
    `    def forward(self, ${xs.join(', ')}):`,
    ...xs.map((x, i) => `        y${i} = self.m(${x})`),
    `        return ${xs.map((_, i) => `y${i}`).join(', ')}`,
    '',
  ].join('\n');
}

const specOf = (shape: number[]) => (shape.length ? shape.join('x') : '[]');

function analyse(layer: string, inputs: number[][]): ModelAnalysis {
  return runModelSrc(modelSource(layer, inputs.length), 'M()', inputs.map(specOf));
}

const outShapes = (g: ModelGraph) => g.outputs.map((id) => g.values.get(id)?.shape?.map((d) => d.value) ?? null);
const errors = (m: ModelAnalysis) => m.diagnostics.filter((d) => d.severity === 'error');

describe(`lazy layers against PyTorch ${fixture.torch_version} (${fixture.cases.length} cases)`, () => {
  for (const c of fixture.cases) {
    test(c.id, () => {
      const m = analyse(c.expr, c.inputs);
      const failing = c.calls.findIndex((k) => k.error);
      if (failing >= 0) {
        assert.ok(errors(m).length > 0, `torch raised ${c.calls[failing].error} (${c.calls[failing].message}); the analysis reported no error`);
        return;
      }
      const g = graphOf(m);
      assert.deepEqual(errors(m), []);
      assert.deepEqual(
        outShapes(g),
        c.calls.map((k) => k.out),
      );
      const state = g.stateDict.map((e) => [e.name.replace(/^m\./, ''), [...e.shape], e.dtype]);
      assert.deepEqual(state, c.after.state);
      assert.equal(g.paramsTotal, c.after.params);
      const node = g.nodes.find((n) => n.op === `nn.${c.class}`);
      assert.ok(node, `a node nn.${c.class}`);
      assert.equal(node.params, c.after.params);
    });
  }
});

describe('after its first call a lazy layer is its non-lazy twin', () => {
  const cases = fixture.cases.filter((c) => c.twin && c.inputs.length === 1);
  for (const c of cases) {
    test(`${c.expr} = ${c.twin}`, () => {
      const lazy = graphOf(analyse(c.expr, c.inputs));
      const twin = graphOf(analyse(c.twin!, c.inputs));
      const [ln, tn] = [lazy.nodes.find((n) => n.op === `nn.${c.class}`)!, twin.nodes.find((n) => n.op === `nn.${c.after.class}`)!];
      // The graph roles depth counting and fusion analysis read.
      assert.deepEqual(ln.role, tn.role);
      assert.deepEqual(roleOfKey(ln.op), roleOfKey(tn.op));
      assert.equal(ln.flops, tn.flops);
      assert.equal(lazy.flopsTotal, twin.flopsTotal);
      assert.deepEqual(
        lazy.stateDict,
        twin.stateDict.map((e) => ({ ...e, moduleType: c.class })),
      );
      // Same ONNX model (node names follow module paths, not types), weights from the same seeded init.
      // Where the twin's export is refused (unbatched transposed conv, InstanceNorm with running stats), so is the lazy one's.
      const onnx = (g: ModelGraph) => {
        try {
          return exportOnnx(g, { weights: initStateDict(g.stateDict, 0) }).bytes;
        } catch (e) {
          return (e as Error).message.replace(`nn.${c.class}`, `nn.${c.after.class}`);
        }
      };
      assert.deepEqual(onnx(lazy), onnx(twin));
    });
  }
});

test('roles: lazy layers are weighted layers and norms as their twins (depth counting, fusion analysis)', () => {
  for (const nd of [1, 2, 3]) {
    assert.deepEqual(roleOfKey(`nn.LazyConv${nd}d`), roleOfKey(`nn.Conv${nd}d`));
    assert.deepEqual(roleOfKey(`nn.LazyConvTranspose${nd}d`), roleOfKey(`nn.ConvTranspose${nd}d`));
    assert.equal(roleOfKey(`nn.LazyBatchNorm${nd}d`).kind, 'norm');
    assert.equal(roleOfKey(`nn.LazyInstanceNorm${nd}d`).kind, 'norm');
  }
  assert.equal(roleOfKey('nn.LazyLinear').kind, 'linear');
  assert.equal(roleOfKey('nn.LazyConv2d').kind, 'conv');
});

describe('before the first call', () => {
  test('the lazy argument reads as 0 before the first call and as the input size after it, as in PyTorch', () => {
    for (const c of fixture.cases.filter((k) => k.twin && k.inputs.length === 1)) {
      const src = modelSource(c.expr, 1)
        .replace('        y0 = self.m(x0)', `        a = torch.zeros(self.m.${c.arg})\n        y0 = self.m(x0)\n        b = torch.zeros(self.m.${c.arg})`)
        .replace('return y0', 'return a, y0, b');
      const g = graphOf(runModelSrc(src, 'M()', c.inputs.map(specOf)));
      assert.deepEqual(outShapes(g), [[c.before.value], c.calls[0].out, [c.after.value]], c.id);
    }
  });

  test('reading parameters before the first call is a clear diagnostic, not a wrong count', () => {
    const src = [
      'import torch.nn as nn',
      '',
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc = nn.LazyLinear(4)',
      '        self.n = sum(p.numel() for p in self.parameters())',
      '        self.w = self.fc.weight.shape',
      '        self.k = self.fc.in_features',
      '',
      '    def forward(self, x):',
      '        return self.fc(x) * self.k',
      '',
    ].join('\n');
    const m = runModelSrc(src, 'M()', ['2x5']);
    const lazy = m.diagnostics.filter((d) => d.code === 'lazy-uninitialized');
    assert.equal(lazy.length, 2, lazy.map((d) => d.message).join('\n'));
    assert.match(lazy[0].message, /parameters\(\) cannot be known before the first call of LazyLinear: PyTorch takes its in_features from the first input/);
    assert.equal(lazy[0].range?.startLine, 6);
    assert.match(lazy[1].message, /'weight'/);
    // in_features reads 0 before the call (self.k), the layer still takes shape at its call.
    const g = graphOf(m);
    assert.deepEqual(outShapes(g), [[2, 4]]);
    assert.equal(g.paramsTotal, 24);
  });

  test('a lazy layer forward never calls is reported and not counted', () => {
    const src = modelSource('nn.LazyConv2d(4, 3)', 1).replace(
      '        self.m = nn.LazyConv2d(4, 3)',
      '        self.m = nn.LazyConv2d(4, 3)\n        self.spare = nn.LazyLinear(8)',
    );
    const m = runModelSrc(src, 'M()', ['1x3x8x8']);
    const d = m.diagnostics.find((x) => x.code === 'lazy-uninitialized');
    assert.ok(d, 'a diagnostic for the uncalled lazy layer');
    assert.match(d.message, /LazyLinear 'spare' never took shape in forward/);
    assert.equal(graphOf(m).paramsTotal, 112);
  });

  test('a lazy layer whose input size is not known stays uninitialised without a false error', () => {
    const src = modelSource('nn.LazyLinear(4)', 1).replace('y0 = self.m(x0)', 'y0 = self.m(x0.view(x0.shape[0], -1)[:, : unknown_fn()])');
    const m = runModelSrc(src, 'M()', ['2x5']);
    assert.deepEqual(
      m.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'unknown-name'),
      [],
    );
  });
});
