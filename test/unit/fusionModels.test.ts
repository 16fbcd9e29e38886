// Acceptance: fusion points found by the real engine in the oracle's model files (when ../shared is present) and in examples/.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithBaselines } from '../../src/core/graph/fusionSummary';
import { explainFusion } from '../../src/core/graph/fusionText';
import type { FusionAnalysis, FusionPoint, ResampleStep } from '../../src/core/graph/fusionTypes';
import { analyzePy, ready } from '../support/fusionEngine';
import { repoRoot } from '../support/pythonWasm';
import { sharedPath, sharedSkip } from '../support/shared.mjs';

const ORACLE = sharedPath('oracle', 'models');
const EXAMPLES = join(repoRoot, 'examples');
const skipOracle = sharedSkip('oracle', 'models');

before(() => ready);

const img = (...shape: number[]) => [{ name: 'x', shape }];
const methods = (a: FusionAnalysis): string[] => a.points.map((p) => p.method);
const chains = (p: FusionPoint): string[][] => p.inputs.map((i) => i.resampling.map((s) => s.kind));
const find = <K extends ResampleStep['kind']>(p: FusionPoint, kind: K) =>
  p.inputs.flatMap((i) => i.resampling).filter((s): s is Extract<ResampleStep, { kind: K }> => s.kind === kind);

/** FusionModel of seed_fusion.py and of examples/fusion_cnn.py: the same three-level concat. */
function assertSeedConcat(a: FusionAnalysis): void {
  assert.deepEqual(methods(a), ['concat']);
  const p = a.points[0]!;
  assert.equal(p.arithmetic, 'C = 64 + 128 + 256 = 448');
  assert.deepEqual(
    p.inputs.map((i) => i.var),
    ['feat1', 'feat2', 'feat3'],
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
  assert.deepEqual(chains(p), [['pool'], ['interpolate'], []]);
  const pool = find(p, 'pool')[0]!;
  assert.equal(pool.pool, 'max');
  assert.deepEqual(pool.scale, [0.25, 0.25]);
  assert.deepEqual(find(p, 'interpolate')[0]!.scaleFactor, [0.5, 0.5]);
  assert.deepEqual(
    p.out.shape?.map((d) => d.value),
    [4, 448, 64, 64],
  );
}

test('oracle seed_fusion.py: FusionModel concatenates 3 levels; BaselineModel has none and is its baseline', { skip: skipOracle }, () => {
  const file = join(ORACLE, 'seed_fusion.py');
  const fusion = analyzePy(file, 'FusionModel()', img(4, 3, 256, 256));
  assertSeedConcat(fusion.fusion);
  const base = analyzePy(file, 'BaselineModel()', img(4, 3, 256, 256));
  assert.deepEqual(methods(base.fusion), []);
  const rows = compareWithBaselines([
    { graph: fusion.graph, points: 1 },
    { graph: base.graph, points: 0 },
  ]);
  assert.deepEqual(
    rows.map((r) => [r.model, r.baseline, r.params, r.baselineParams]),
    [['FusionModel()', 'BaselineModel()', 649610, 2992266]],
  );
});

test('oracle fusion_variants.py: sum of 3 projected levels, softmax-weighted sum, channel and spatial gates', { skip: skipOracle }, () => {
  const file = join(ORACLE, 'fusion_variants.py');
  const sum = analyzePy(file, 'SumFusion(width=16, fused_ch=32)', img(2, 3, 64, 64)).fusion;
  assert.deepEqual(methods(sum), ['sum']);
  assert.deepEqual(
    sum.points[0]!.inputs.map((i) => i.resampling[0]?.kind),
    ['projection', 'projection', 'projection'],
  );
  assert.deepEqual(
    sum.points[0]!.inputs.map((i) => i.level.stride),
    [
      [1, 1],
      [2, 2],
      [4, 4],
    ],
  );

  const att = analyzePy(file, 'AttentionFusion(width=16, fused_ch=32)', img(2, 3, 64, 64)).fusion;
  assert.deepEqual(methods(att), ['weighted']);
  assert.equal(att.points[0]!.inputs.length, 3);
  assert.deepEqual(att.points[0]!.weights, { source: 'softmax(parameter)', count: 3 });

  const gated = analyzePy(file, 'GatedFusion(width=16)', img(2, 3, 64, 64)).fusion;
  assert.deepEqual(
    gated.points.map((p) => p.gate?.kind ?? p.method),
    ['concat', 'channel', 'spatial'],
  );
  assert.equal(gated.points[0]!.arithmetic, 'C = 16 + 32 + 64 = 112');

  for (const [expr, shape] of [['PyramidEncoder(in_ch=3, width=16)', [1, 3, 32, 32]]] as const) {
    assert.deepEqual(methods(analyzePy(file, expr, img(...shape)).fusion), [], expr);
  }
});

test('oracle unet.py: one concat skip per decoder stage, with the upsampling and the pad recorded', { skip: skipOracle }, () => {
  const file = join(ORACLE, 'unet.py');
  for (const [expr, up] of [
    ['UNet(base=4)', 'transposed-conv'],
    ['UNet(base=4, bilinear=True)', 'interpolate'],
  ] as const) {
    const a = analyzePy(file, expr, img(1, 3, 72, 72)).fusion;
    assert.deepEqual(methods(a), ['concat', 'concat', 'concat', 'concat'], expr);
    for (const p of a.points) assert.deepEqual(chains(p), [[], [up, 'pad']], expr);
    assert.deepEqual(find(a.points[0]!, 'pad')[0]!.pad, [0, 1, 0, 1]);
    assert.deepEqual(
      a.points.map((p) => p.inputs[0]!.level.stride?.[0]),
      [8, 4, 2, 1],
    );
    assert.deepEqual(
      a.points.map((p) => p.inputs[1]!.level.stride?.[0]),
      [16, 8, 4, 2],
    );
  }
  for (const expr of ['DoubleConv(in_ch=3, out_ch=8)', 'Down(in_ch=3, out_ch=8)'])
    assert.deepEqual(methods(analyzePy(file, expr, img(2, 3, 32, 32)).fusion), [], expr);
});

test('oracle fpn.py: BackboneFPN has top-down sums with nearest upsampling', { skip: skipOracle }, () => {
  const a = analyzePy(join(ORACLE, 'fpn.py'), 'BackboneFPN(in_channels_list=[16, 32, 64], out_channels=32)', img(1, 3, 64, 64)).fusion;
  assert.deepEqual(methods(a), ['sum', 'sum']);
  for (const p of a.points) {
    assert.deepEqual(chains(p), [['projection'], ['interpolate']]);
    const up = find(p, 'interpolate')[0]!;
    assert.equal(up.mode, 'nearest');
    assert.deepEqual(up.scale, [2, 2]);
  }
  assert.deepEqual(
    a.points.map((p) => p.out.level.stride?.[0]),
    [4, 2],
  );
});

test('oracle blocks.py: BasicBlock residual, with the downsample branch as a strided 1×1 shortcut', { skip: skipOracle }, () => {
  const file = join(ORACLE, 'blocks.py');
  const plain = analyzePy(file, 'BasicBlock(16, 16)', img(2, 16, 16, 16)).fusion;
  assert.deepEqual(methods(plain), ['residual']);
  const sc = plain.points[0]!.inputs.find((i) => i.role === 'shortcut')!;
  assert.equal(sc.var, 'x');
  assert.deepEqual(sc.resampling, []);
  const down = analyzePy(file, 'BasicBlock(16, 32, stride=2)', img(2, 16, 16, 16)).fusion;
  assert.deepEqual(methods(down), ['residual']);
  const dsc = down.points[0]!.inputs.find((i) => i.role === 'shortcut')!;
  assert.deepEqual(
    dsc.resampling.map((s) => s.kind),
    ['strided-conv'],
  );
  assert.ok(dsc.branch.params > 0, 'the downsample branch has its own params');
  assert.deepEqual(methods(analyzePy(file, 'TinyResNet()', img(2, 3, 64, 64)).fusion), ['residual', 'residual', 'residual', 'residual']);
});

test('oracle multimodal.py: cross-attention between text and image tokens, then a final concat', { skip: skipOracle }, () => {
  const a = analyzePy(join(ORACLE, 'multimodal.py'), 'VisionTextFusion()', [
    { name: 'image', shape: [2, 3, 32, 32] },
    { name: 'tokens', shape: [2, 12], dtype: 'int64' },
  ]).fusion;
  const cross = a.points.find((p) => p.method === 'cross-attention')!;
  assert.deepEqual(
    cross.inputs.map((i) => [i.role, i.var]),
    [
      ['query', 'text'],
      ['key/value', 'img_tokens'],
    ],
  );
  const last = a.points[a.points.length - 1]!;
  assert.equal(last.method, 'concat');
  assert.equal(last.arithmetic, 'C = 64 + 64 = 128');
  assert.ok(!a.points.some((p) => p.method === 'sum' || p.method === 'weighted'), 'adding the positional embedding (a parameter) is not a fusion');
});

test('examples/fusion_cnn.py: FusionModel concat, BaselineModel none', () => {
  const file = join(EXAMPLES, 'fusion_cnn.py');
  assertSeedConcat(analyzePy(file, 'FusionModel()', img(4, 3, 256, 256)).fusion);
  assert.deepEqual(methods(analyzePy(file, 'BaselineModel()', img(4, 3, 256, 256)).fusion), []);
});

test('examples/unet_fpn.py: U-Net skips, FPN top-down sums, attention-weighted fusion', () => {
  const file = join(EXAMPLES, 'unet_fpn.py');
  const unet = analyzePy(file, 'TinyUNet()', img(1, 3, 64, 64)).fusion;
  assert.deepEqual(methods(unet), ['concat', 'concat', 'concat']);
  for (const p of unet.points) assert.deepEqual(chains(p), [[], ['transposed-conv']]);
  assert.match(explainFusion(unet.points[0]!, 'en'), /Skip connection \(U-Net style\): the shallow skip keeps the detail, the upsampled deeper x/);
  assert.match(explainFusion(unet.points[0]!, 'zh-cn'), /跳跃连接（U-Net 式）/);
  const fpn = analyzePy(file, 'FPNSegmenter()', img(2, 3, 64, 64)).fusion;
  assert.deepEqual(methods(fpn), ['sum', 'sum']);
  for (const p of fpn.points) assert.equal(find(p, 'interpolate')[0]?.mode, 'nearest');
  assert.match(explainFusion(fpn.points[0]!, 'en'), /Top-down pathway \(FPN style\): the deeper c4 is upsampled and added to c3/);
  const att = analyzePy(file, 'AttentionFusionNet()', img(2, 3, 64, 64)).fusion;
  assert.deepEqual(methods(att), ['concat', 'weighted']);
  assert.deepEqual(att.points[1]!.weights, { source: 'softmax(data)', count: 3 });
  assert.deepEqual(
    att.points[1]!.inputs.map((i) => i.level.stride?.[0]),
    [1, 2, 4],
  );
  // the concat only feeds the scorer of the weights
  assert.deepEqual(att.points[0]!.feeds, { node: att.points[1]!.node, method: 'weighted', line: att.points[1]!.line });
  assert.equal(att.points[1]!.feeds, undefined);
  assert.deepEqual(methods(analyzePy(file, 'DoubleConv(3, 8)', img(1, 3, 16, 16)).fusion), []);
});

test('examples/multimodal_fusion.py: late concat of two modalities; cross-attention with a gate', () => {
  const file = join(EXAMPLES, 'multimodal_fusion.py');
  const inputs = [
    { name: 'image', shape: [2, 3, 64, 64] },
    { name: 'tokens', shape: [2, 16], dtype: 'int64' as const },
  ];
  assert.deepEqual(methods(analyzePy(file, 'LateFusionClassifier()', inputs).fusion), ['concat']);
  const cross = analyzePy(file, 'CrossAttentionFusion()', inputs).fusion;
  assert.equal(cross.points[0]!.method, 'cross-attention');
  assert.ok(cross.points.some((p) => p.method === 'gated'));
});

test('fixture models: VGG has none; ResNet residuals; CBAM gates without a false sum; ViT self-attention and residuals', () => {
  const dir = join(repoRoot, 'test', 'fixtures', 'models');
  assert.deepEqual(methods(analyzePy(join(dir, 'vgg_style.py'), 'vgg_a()', img(2, 3, 32, 32)).fusion), []);
  const resnet = analyzePy(join(dir, 'resnet_style.py'), 'resnet_tiny()', img(1, 3, 45, 45)).fusion;
  assert.deepEqual(methods(resnet), ['residual', 'residual', 'residual']);
  assert.deepEqual(
    resnet.points.map((p) => p.inputs.find((i) => i.role === 'shortcut')!.resampling.map((s) => s.kind)),
    [[], ['strided-conv'], ['strided-conv']],
  );
  const cbam = analyzePy(join(dir, 'attention_gates.py'), 'CBAM(16)', img(2, 16, 9, 11)).fusion;
  assert.deepEqual(
    cbam.points.map((p) => `${p.method}:${p.gate?.kind}`),
    ['gated:channel', 'gated:spatial'],
  );
  const vit = analyzePy(join(dir, 'vit_tiny.py'), 'vit_tiny()', img(2, 3, 32, 32)).fusion;
  assert.deepEqual(methods(vit), ['attention', 'residual', 'residual', 'attention', 'residual', 'residual']);
});

const TORCHVISION = process.env.TORCHVISION ?? '/usr/lib/python3/dist-packages/torchvision';
const skipTv = existsSync(join(TORCHVISION, 'models', 'resnet.py'))
  ? false
  : `torchvision sources not found at ${TORCHVISION} (install python3-torchvision or set TORCHVISION)`;
if (skipTv) console.log(`# skipping torchvision fusion tests: ${skipTv}`);

test('torchvision models: ResNet residuals, DenseNet concats, MobileNetV3 SE gates, ViT attention, VGG none', { skip: skipTv }, () => {
  const tv = (file: string, expr: string, size = 64) => analyzePy(join(TORCHVISION, 'models', file), expr, img(1, 3, size, size)).fusion;
  const resnet = tv('resnet.py', 'resnet18()');
  assert.deepEqual(methods(resnet), Array(8).fill('residual'));
  assert.deepEqual(
    resnet.points.map((p) =>
      p.inputs
        .find((i) => i.role === 'shortcut')!
        .resampling.map((s) => s.kind)
        .join(''),
    ),
    ['', '', 'strided-conv', '', 'strided-conv', '', 'strided-conv', ''],
  );
  const dense = tv('densenet.py', 'densenet121()');
  assert.equal(dense.points.length, 58);
  assert.ok(dense.points.every((p) => p.method === 'concat'));
  assert.equal(dense.points[1]!.arithmetic, 'C = 64 + 32 + 32 = 128');
  const mobile = tv('mobilenetv3.py', 'mobilenet_v3_small()');
  assert.ok(mobile.points.filter((p) => p.method === 'gated').every((p) => p.gate?.kind === 'channel' && p.gate.activation === 'hardsigmoid'));
  assert.deepEqual([...new Set(methods(mobile))].sort(), ['gated', 'residual']);
  const vit = tv('vision_transformer.py', 'vit_b_16(image_size=32)', 32);
  assert.deepEqual(vit.summary.methods, { attention: 12, residual: 24 });
  assert.deepEqual(methods(tv('vgg.py', 'vgg11_bn()', 32)), []);
});
