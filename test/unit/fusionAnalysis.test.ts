// Fusion analysis on hand-built ModelGraphs: each fusion kind, its levels and resampling, and the non-fusions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFusion } from '../../src/core/graph/fusionAnalysis';
import { TestGraph, conv, seedFusionModel as fusionModel } from '../support/fusionTestGraph';

const seedFusionModelGraph = () => fusionModel().build('FusionModel');

test('FusionModel: one concat of three levels at strides 1, 2, 4 with C = 64 + 128 + 256 = 448', () => {
  const a = analyzeFusion(fusionModel().build());
  assert.equal(a.points.length, 1);
  const p = a.points[0]!;
  assert.equal(p.method, 'concat');
  assert.equal(p.line, 48);
  assert.equal(p.arithmetic, 'C = 64 + 128 + 256 = 448');
  assert.deepEqual(
    p.inputs.map((i) => i.var),
    ['feat1', 'feat2', 'feat3'],
  );
  assert.deepEqual(
    p.inputs.map((i) => i.operandVar),
    ['feat1_down', 'feat2_down', null],
  );
  assert.deepEqual(
    p.inputs.map((i) => i.level.stride),
    [
      [1, 1],
      [2, 2],
      [4, 4],
    ],
  );
  assert.deepEqual(
    p.inputs.map((i) => i.level.depth),
    [1, 2, 3],
  );
  assert.deepEqual(
    p.inputs.map((i) => i.atFusion.stride),
    [
      [4, 4],
      [4, 4],
      [4, 4],
    ],
  );
  const [r1, r2, r3] = p.inputs.map((i) => i.resampling);
  assert.equal(r1!.length, 1);
  assert.deepEqual(r1![0], { kind: 'pool', op: 'F.max_pool2d', pool: 'max', kernel: [4, 4], scale: [0.25, 0.25], line: 45 });
  assert.equal(r2![0]!.kind, 'interpolate');
  assert.deepEqual(r2![0]!.kind === 'interpolate' && r2![0]!.scaleFactor, [0.5, 0.5]);
  assert.deepEqual(r3, []);
  // conv3 (with its max-pool) exists only to make feat3
  assert.equal(p.inputs[2]!.branch.params, 295168);
  assert.equal(a.summary.levels, 3);
  assert.deepEqual(a.summary.scales, ['1', '2', '4']);
});

test('plain sequential model and merges with itself or constants: no fusion points', () => {
  const g = new TestGraph();
  const x = g.input('x', [1, 3, 32, 32]);
  const c = g.op('nn.Conv2d', [x], [1, 8, 16, 16], conv(3, 2));
  const r = g.op('F.relu', [c], [1, 8, 16, 16]);
  const half = g.op('op.mul', [r], [1, 8, 16, 16], { args: { self: { tensor: r }, other: 0.5 } });
  const plus1 = g.op('op.add', [half], [1, 8, 16, 16], { args: { self: { tensor: half }, other: 1 } });
  const twice = g.op('op.add', [plus1, plus1], [1, 8, 16, 16]);
  const selfCat = g.op('torch.cat', [twice, twice], [1, 16, 16, 16], { args: { tensors: [{ tensor: twice }, { tensor: twice }], dim: 1 } });
  // two descriptors of the same map (SpatialGate's mean/max) are not two levels
  const mean = g.op('Tensor.mean', [selfCat], [1, 1, 16, 16], { args: { self: { tensor: selfCat }, dim: 1, keepdim: true } });
  const amax = g.op('Tensor.amax', [selfCat], [1, 1, 16, 16], { args: { self: { tensor: selfCat }, dim: 1, keepdim: true } });
  const desc = g.op('torch.cat', [mean, amax], [1, 2, 16, 16], { args: { tensors: [{ tensor: mean }, { tensor: amax }], dim: 1 } });
  const swish = g.op('op.mul', [desc, g.op('torch.sigmoid', [desc], [1, 2, 16, 16])], [1, 2, 16, 16]);
  const scale = g.param('scale', [1]);
  const scaled = g.op('op.mul', [swish, scale], [1, 2, 16, 16]);
  g.output(scaled);
  assert.deepEqual(analyzeFusion(g.build()).points, []);
});

test('residual: identity and projection shortcuts', () => {
  const g = new TestGraph();
  const x = g.input('x', [2, 16, 16, 16]);
  const b1 = g.op('nn.Conv2d', [x], [2, 32, 8, 8], conv(3, 2));
  const b2 = g.op('nn.BatchNorm2d', [b1], [2, 32, 8, 8], { params: 64 });
  const b3 = g.op('nn.ReLU', [b2], [2, 32, 8, 8]);
  const b4 = g.op('nn.Conv2d', [b3], [2, 32, 8, 8], conv(3));
  const out = g.op('nn.BatchNorm2d', [b4], [2, 32, 8, 8], { params: 64, var: 'out' });
  const s1 = g.op('nn.Conv2d', [x], [2, 32, 8, 8], conv(1, 2));
  const identity = g.op('nn.BatchNorm2d', [s1], [2, 32, 8, 8], { params: 64, var: 'identity' });
  const sum = g.op('op.iadd', [out, identity], [2, 32, 8, 8], { var: 'out' });
  const y = g.op('nn.ReLU', [sum], [2, 32, 8, 8]);
  const c = g.op('nn.Conv2d', [y], [2, 32, 8, 8], conv(3));
  const res = g.op('op.add', [c, y], [2, 32, 8, 8]);
  g.output(res);
  const a = analyzeFusion(g.build());
  assert.deepEqual(
    a.points.map((p) => p.method),
    ['residual', 'residual'],
  );
  const down = a.points[0]!;
  const shortcut = down.inputs.find((i) => i.role === 'shortcut')!;
  assert.equal(shortcut.var, 'x');
  assert.deepEqual(
    shortcut.resampling.map((s) => s.kind),
    ['strided-conv'],
  );
  assert.equal(down.inputs.find((i) => i.role === 'branch')?.var, 'out');
  assert.equal(a.points[1]!.inputs.find((i) => i.role === 'shortcut')?.value, y);
});

test('FPN top-down sum with nearest upsampling is a sum, not a residual', () => {
  const g = new TestGraph();
  const x = g.input('x', [1, 3, 64, 64]);
  const c4 = g.op('nn.Conv2d', [x], [1, 32, 16, 16], { ...conv(3, 4), var: 'c4' });
  const c5 = g.op('nn.Conv2d', [c4], [1, 64, 8, 8], { ...conv(3, 2), var: 'c5' });
  const top = g.op('nn.Conv2d', [c5], [1, 32, 8, 8], { ...conv(1), var: 'last_inner' });
  const o5 = g.op('nn.Conv2d', [top], [1, 32, 8, 8], conv(3));
  const lat = g.op('nn.Conv2d', [c4], [1, 32, 16, 16], { ...conv(1), var: 'inner_lateral' });
  const up = g.op('F.interpolate', [top], [1, 32, 16, 16], { args: { input: { tensor: top }, size: [16, 16], mode: 'nearest' }, var: 'inner_top_down' });
  const sum = g.op('op.add', [lat, up], [1, 32, 16, 16], { var: 'last_inner' });
  g.output(sum, o5);
  const a = analyzeFusion(g.build());
  assert.equal(a.points.length, 1);
  const p = a.points[0]!;
  assert.equal(p.method, 'sum');
  assert.deepEqual(
    p.inputs.map((i) => i.var),
    ['c4', 'last_inner'],
  );
  assert.deepEqual(
    p.inputs.map((i) => i.resampling.map((s) => s.kind)),
    [['projection'], ['interpolate']],
  );
  const step = p.inputs[1]!.resampling[0]!;
  assert.ok(step.kind === 'interpolate' && step.mode === 'nearest' && step.scale?.[0] === 2);
  assert.deepEqual(
    p.inputs.map((i) => i.level.stride),
    [
      [4, 4],
      [8, 8],
    ],
  );
});

test('softmax-weighted sum of three levels, and a sum of three projected levels', () => {
  const g = new TestGraph();
  const x = g.input('x', [2, 3, 64, 64]);
  const f1 = g.op('nn.Conv2d', [x], [2, 16, 64, 64], { ...conv(3), var: 'f1' });
  const f2 = g.op('nn.Conv2d', [f1], [2, 32, 32, 32], { ...conv(3, 2), var: 'f2' });
  const f3 = g.op('nn.Conv2d', [f2], [2, 64, 16, 16], { ...conv(3, 2), var: 'f3' });
  const a1 = g.op('F.adaptive_avg_pool2d', [g.op('nn.Conv2d', [f1], [2, 32, 64, 64], conv(1))], [2, 32, 16, 16], { var: 'a' });
  const b1 = g.op('F.interpolate', [g.op('nn.Conv2d', [f2], [2, 32, 32, 32], conv(1))], [2, 32, 16, 16], {
    args: { mode: 'bilinear', size: [16, 16] },
    var: 'b',
  });
  const c1 = g.op('nn.Conv2d', [f3], [2, 32, 16, 16], { ...conv(1), var: 'c' });
  const ab = g.op('op.add', [a1, b1], [2, 32, 16, 16], { line: 50 });
  const sum = g.op('op.add', [ab, c1], [2, 32, 16, 16], { var: 'x', line: 50 });
  const logits = g.param('level_logits', [3]);
  const w = g.op('torch.softmax', [logits], [3], { var: 'w' });
  const terms = [a1, b1, c1].map((v, i) =>
    g.op('op.mul', [g.op('op.getitem', [w], [], { args: { self: { tensor: w }, index: i }, line: 60 }), v], [2, 32, 16, 16], { line: 60 }),
  );
  const t01 = g.op('op.add', [terms[0]!, terms[1]!], [2, 32, 16, 16], { line: 60 });
  const weighted = g.op('op.add', [t01, terms[2]!], [2, 32, 16, 16], { var: 'fused', line: 60 });
  g.output(sum, weighted);
  const a = analyzeFusion(g.build());
  assert.deepEqual(
    a.points.map((p) => p.method),
    ['sum', 'weighted'],
  );
  const [s, wsum] = a.points as [(typeof a.points)[0], (typeof a.points)[0]];
  assert.deepEqual(
    s!.inputs.map((i) => i.var),
    ['f1', 'f2', 'f3'],
  );
  assert.deepEqual(
    s!.inputs.map((i) => i.resampling.map((r) => r.kind)),
    [['projection', 'pool'], ['projection', 'interpolate'], ['projection']],
  );
  assert.equal(wsum!.inputs.length, 3);
  assert.deepEqual(wsum!.weights, { source: 'softmax(parameter)', count: 3 });
});

test('channel and spatial gates; a gate computed from the same tensor without layers is not one', () => {
  const g = new TestGraph();
  const x = g.input('x', [2, 32, 8, 8]);
  const pooled = g.op('nn.AdaptiveAvgPool2d', [x], [2, 32, 1, 1]);
  const s = g.op('Tensor.view', [pooled], [2, 32]);
  const h = g.op('nn.Linear', [s], [2, 8], { params: 264 });
  const e = g.op('nn.Linear', [g.op('F.relu', [h], [2, 8])], [2, 32], { params: 288 });
  const gate = g.op('torch.sigmoid', [e], [2, 32], { var: 's' });
  const cg = g.op('op.mul', [x, g.op('Tensor.view', [gate], [2, 32, 1, 1])], [2, 32, 8, 8]);
  const conv7 = g.op('nn.Conv2d', [cg], [2, 1, 8, 8], conv(7));
  const attn = g.op('torch.sigmoid', [conv7], [2, 1, 8, 8], { var: 'attn' });
  const sg = g.op('op.mul', [cg, attn], [2, 32, 8, 8]);
  g.output(sg);
  const a = analyzeFusion(g.build());
  assert.deepEqual(
    a.points.map((p) => [p.method, p.gate?.kind]),
    [
      ['gated', 'channel'],
      ['gated', 'spatial'],
    ],
  );
  assert.equal(a.points[0]!.inputs[1]!.role, 'gate');
  assert.equal(a.points[0]!.params, 552);
});

test('cross-attention between two modalities, self-attention on one', () => {
  const g = new TestGraph();
  const image = g.input('image', [2, 3, 32, 32]);
  const tokens = g.input('tokens', [2, 12], 'int64');
  const feat = g.op('nn.Conv2d', [image], [2, 64, 8, 8], { ...conv(3, 4), var: 'feat' });
  const img = g.op('Tensor.transpose', [g.op('Tensor.flatten', [feat], [2, 64, 64])], [2, 64, 64], { var: 'img_tokens' });
  const text = g.op('nn.Embedding', [tokens], [2, 12, 64], { params: 64000, var: 'text' });
  const mha = (q: string, k: string) =>
    g.op('nn.MultiheadAttention', [q, k, k], [2, 12, 64], {
      args: { query: { tensor: q }, key: { tensor: k }, value: { tensor: k } },
      params: 16640,
      extraOutputs: [[2, 12, 64]],
    });
  const attended = mha(text, img);
  const selfAttn = mha(text, text);
  const tp = g.op('Tensor.mean', [selfAttn], [2, 64], { args: { self: { tensor: selfAttn }, dim: 1 }, var: 'text_pooled' });
  const ip = g.op('Tensor.mean', [img], [2, 64], { args: { self: { tensor: img }, dim: 1 }, var: 'image_pooled' });
  const fused = g.op('torch.cat', [tp, ip], [2, 128], { args: { tensors: [{ tensor: tp }, { tensor: ip }], dim: -1 } });
  g.output(fused, attended);
  const a = analyzeFusion(g.build());
  assert.deepEqual(
    a.points.map((p) => p.method),
    ['cross-attention', 'attention', 'concat'],
  );
  assert.deepEqual(
    a.points[0]!.inputs.map((i) => i.role),
    ['query', 'key/value'],
  );
  assert.equal(a.points[2]!.arithmetic, 'C = 64 + 64 = 128');
  assert.deepEqual(
    a.points[2]!.inputs.map((i) => i.resampling.map((s) => s.kind)),
    [['reduce'], ['reduce']],
  );
});

test('CBAM channel attention: the shared MLP on avg- and max-pooled descriptors is not a fusion, the gate is', () => {
  const g = new TestGraph();
  const x = g.input('x', [2, 24, 8, 8]);
  const mlp = (v: string) => {
    const f = g.op('nn.Flatten', [v], [2, 24], { modulePath: 'mlp.0' });
    const h = g.op('nn.Linear', [f], [2, 6], { modulePath: 'mlp.1', params: 150 });
    return g.op('nn.Linear', [g.op('nn.ReLU', [h], [2, 6], { modulePath: 'mlp.2' })], [2, 24], { modulePath: 'mlp.3', params: 168 });
  };
  const avg = mlp(g.op('F.adaptive_avg_pool2d', [x], [2, 24, 1, 1]));
  const mx = mlp(g.op('F.adaptive_max_pool2d', [x], [2, 24, 1, 1]));
  const w = g.op('op.getitem', [g.op('torch.sigmoid', [g.op('op.add', [avg, mx], [2, 24])], [2, 24])], [2, 24, 1, 1], { var: 'weights' });
  g.output(g.op('op.mul', [x, w], [2, 24, 8, 8]));
  const a = analyzeFusion(g.build());
  assert.deepEqual(
    a.points.map((p) => [p.method, p.gate?.kind]),
    [['gated', 'channel']],
  );
});

test('U-Net decoder stage: concat skip with the transposed conv and the pad recorded', () => {
  const g = new TestGraph();
  const x = g.input('x', [1, 3, 72, 72]);
  const x4 = g.op('nn.Conv2d', [x], [1, 32, 9, 9], { ...conv(3, 8), var: 'x4' });
  const p = g.op('nn.MaxPool2d', [x4], [1, 32, 4, 4], { attrs: { kernel_size: 2 } });
  const x5 = g.op('nn.Conv2d', [p], [1, 64, 4, 4], { ...conv(3), var: 'x5' });
  const up = g.op('nn.ConvTranspose2d', [x5], [1, 32, 8, 8], { attrs: { kernel_size: 2, stride: 2 }, params: 8224, scope: 'up1', var: 'x1' });
  const padded = g.op('F.pad', [up], [1, 32, 9, 9], {
    args: { input: { tensor: up }, pad: [0, 1, 0, { symbolic: 'diffY - diffY // 2', value: 1 }] },
    scope: 'up1',
    var: 'x1',
  });
  const cat = g.op('torch.cat', [x4, padded], [1, 64, 9, 9], { args: { tensors: [{ tensor: x4 }, { tensor: padded }], dim: 1 }, scope: 'up1' });
  g.output(cat);
  const a = analyzeFusion(g.build());
  assert.equal(a.points.length, 1);
  const pt = a.points[0]!;
  assert.equal(pt.method, 'concat');
  assert.equal(pt.arithmetic, 'C = 32 + 32 = 64');
  assert.deepEqual(
    pt.inputs.map((i) => i.level.stride),
    [
      [8, 8],
      [16, 16],
    ],
  );
  const steps = pt.inputs[1]!.resampling;
  assert.deepEqual(
    steps.map((s) => s.kind),
    ['transposed-conv', 'pad'],
  );
  assert.deepEqual(steps[1]!.kind === 'pad' && steps[1]!.pad, [0, 1, 0, 1]);
  assert.deepEqual(pt.inputs[1]!.atFusion.stride, [8, 8]);
  assert.equal(pt.inputs[1]!.branch.params, 8224 + 100);
});

test('attention-weighted sum over stacked levels, and matmul + softmax self-attention', () => {
  const g = new TestGraph();
  const x = g.input('x', [2, 3, 16, 16]);
  const f1 = g.op('nn.Conv2d', [x], [2, 8, 16, 16], { ...conv(3), var: 'f1' });
  const f2 = g.op('nn.Conv2d', [f1], [2, 8, 16, 16], { ...conv(3), var: 'f2' });
  const cat = g.op('torch.cat', [f1, f2], [2, 16, 16, 16], { args: { tensors: [{ tensor: f1 }, { tensor: f2 }], dim: 1 } });
  const scores = g.op('nn.Conv2d', [cat], [2, 2, 16, 16], conv(3));
  const w = g.op('Tensor.unsqueeze', [g.op('Tensor.softmax', [scores], [2, 2, 16, 16])], [2, 2, 1, 16, 16], { var: 'weights' });
  const stacked = g.op('torch.stack', [f1, f2], [2, 2, 8, 16, 16], { args: { tensors: [{ tensor: f1 }, { tensor: f2 }], dim: 1 }, var: 'stacked' });
  const fused = g.op('Tensor.sum', [g.op('op.mul', [w, stacked], [2, 2, 8, 16, 16])], [2, 8, 16, 16], { args: { dim: 1 }, var: 'fused' });
  const tokens = g.op('Tensor.transpose', [g.op('Tensor.flatten', [fused], [2, 8, 256])], [2, 256, 8], { var: 't' });
  const q = g.op('nn.Linear', [tokens], [2, 256, 8], { params: 72 });
  const k = g.op('nn.Linear', [tokens], [2, 256, 8], { params: 72 });
  const v = g.op('nn.Linear', [tokens], [2, 256, 8], { params: 72 });
  const s = g.op('op.matmul', [q, g.op('Tensor.transpose', [k], [2, 8, 256])], [2, 256, 256]);
  const attn = g.op('Tensor.softmax', [g.op('op.mul', [s], [2, 256, 256], { args: { self: { tensor: s }, other: 0.35 } })], [2, 256, 256]);
  const out = g.op('op.matmul', [attn, v], [2, 256, 8]);
  g.output(out);
  const a = analyzeFusion(g.build());
  assert.deepEqual(
    a.points.map((p) => p.method),
    ['concat', 'weighted', 'attention'],
  );
  assert.deepEqual(a.points[1]!.weights, { source: 'softmax(data)', count: 2 });
  // stacking adds a non-spatial axis and the sum over it removes it again: the strides stay
  assert.deepEqual(a.levels.get(stacked)?.stride, [1, 1]);
  assert.deepEqual(a.levels.get(fused)?.stride, [1, 1]);
  assert.equal(a.levels.get(fused)?.channels, 8);
  assert.deepEqual(
    a.points[1]!.inputs.map((i) => i.var),
    ['f1', 'f2'],
  );
  assert.deepEqual(
    a.points[2]!.inputs.map((i) => i.role),
    ['query', 'key', 'value'],
  );
});

test('baseline comparison pairs a fusion model with a fusion-free model of the same signature', async () => {
  const { compareWithBaselines } = await import('../../src/core/graph/fusionSummary');
  const fusion = seedFusionModelGraph();
  const b = new TestGraph();
  const x = b.input('x', [4, 3, 256, 256]);
  b.output(b.op('nn.Conv2d', [b.op('nn.Conv2d', [x], [4, 64, 128, 128], conv(3, 2, 1792))], [4, 256, 64, 64], conv(3, 2, 5000)));
  const baseline = b.build('BaselineModel');
  const other = new TestGraph();
  other.output(other.op('nn.Conv2d', [other.input('x', [1, 3, 8, 8])], [1, 4, 8, 8], conv(3)));
  const rows = compareWithBaselines([
    { graph: fusion, points: analyzeFusion(fusion).points.length },
    { graph: baseline, points: 0 },
    { graph: other.build('Other'), points: 0 },
  ]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.baseline, 'BaselineModel()');
  assert.equal(rows[0]!.baselineParams, 6792);
  assert.equal(rows[0]!.params, fusion.paramsTotal);
});

test('strides survive a channels-last round trip (permute, LayerNorm, Linear, permute back)', () => {
  const g = new TestGraph();
  const x = g.input('x', [2, 3, 32, 32]);
  const stem = g.op('nn.Conv2d', [x], [2, 16, 8, 8], { ...conv(4, 4), var: 'x' });
  const dw = g.op('nn.Conv2d', [stem], [2, 16, 8, 8], conv(7));
  const last = g.op('Tensor.permute', [dw], [2, 8, 8, 16], { args: { self: { tensor: dw }, dims: [0, 2, 3, 1] } });
  const ln = g.op('nn.LayerNorm', [last], [2, 8, 8, 16], { params: 32 });
  const fc = g.op('nn.Linear', [ln], [2, 8, 8, 64], { params: 1088 });
  const fc2 = g.op('nn.Linear', [g.op('nn.GELU', [fc], [2, 8, 8, 64])], [2, 8, 8, 16], { params: 1040 });
  const back = g.op('Tensor.permute', [fc2], [2, 16, 8, 8], { args: { self: { tensor: fc2 }, dims: [0, 3, 1, 2] } });
  g.output(g.op('op.add', [stem, back], [2, 16, 8, 8]));
  const a = analyzeFusion(g.build());
  assert.deepEqual(
    a.points.map((p) => p.method),
    ['residual'],
  );
  const branch = a.points[0]!.inputs.find((i) => i.role === 'branch')!;
  assert.deepEqual(branch.level.stride, [4, 4]);
  assert.equal(branch.level.channels, 16);
  assert.deepEqual(a.levels.get(fc)?.stride, [4, 4]);
  assert.equal(a.levels.get(fc)?.channels, 64);
});

test("a decoder's skip + upsampled deeper map is a sum even though the skip is an ancestor of it", () => {
  const g = new TestGraph();
  const x = g.input('x', [1, 3, 32, 32]);
  const e3 = g.op('nn.Conv2d', [x], [1, 16, 16, 16], { ...conv(3, 2), var: 'e3' });
  const e4 = g.op('nn.Conv2d', [e3], [1, 16, 8, 8], { ...conv(3, 2), var: 'e4' });
  const up = g.op('F.interpolate', [e4], [1, 16, 16, 16], { args: { input: { tensor: e4 }, scale_factor: 2, mode: 'nearest' } });
  g.output(g.op('op.add', [e3, up], [1, 16, 16, 16], { var: 'd3' }));
  const a = analyzeFusion(g.build());
  assert.deepEqual(
    a.points.map((p) => p.method),
    ['sum'],
  );
  assert.deepEqual(
    a.points[0]!.inputs.map((i) => i.level.stride?.[0]),
    [2, 4],
  );
});
