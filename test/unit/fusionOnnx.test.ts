// Fusion analysis on decoded .onnx graphs: the oracle's exported models (when ../shared is present) and the project's fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFusion } from '../../src/core/graph/fusionAnalysis';
import type { FusionAnalysis } from '../../src/core/graph/fusionTypes';
import { decodeOnnx } from '../../src/core/onnx/decodeOnnx';
import { sharedPath, sharedSkip } from '../support/shared.mjs';

const ORACLE = sharedPath('oracle', 'onnx');
const FIXTURES = join(__dirname, '../fixtures/onnx');

function analyze(dir: string, id: string): FusionAnalysis {
  const d = decodeOnnx(new Uint8Array(readFileSync(join(dir, `${id}.onnx`))), `${id}.onnx`);
  return analyzeFusion(d.graph);
}

const methods = (a: FusionAnalysis): string[] => a.points.map((p) => p.method);
const kinds = (a: FusionAnalysis, i: number): string[][] => a.points[i]!.inputs.map((inp) => inp.resampling.map((s) => s.kind));

test('oracle ONNX exports: fusion points of each model', { skip: sharedSkip('oracle', 'onnx') }, () => {
  const fusion = analyze(ORACLE, 'fusion_4x256');
  assert.deepEqual(methods(fusion), ['concat']);
  assert.equal(fusion.points[0]!.arithmetic, 'C = 64 + 128 + 256 = 448');
  assert.deepEqual(
    fusion.points[0]!.inputs.map((i) => i.level.stride),
    [
      [1, 1],
      [2, 2],
      [4, 4],
    ],
  );
  assert.deepEqual(kinds(fusion, 0), [['pool'], ['interpolate'], []]);

  assert.deepEqual(methods(analyze(ORACLE, 'baseline_4x256')), []);
  assert.deepEqual(methods(analyze(ORACLE, 'pyramid_encoder')), []);
  assert.deepEqual(methods(analyze(ORACLE, 'double_conv')), []);

  const gated = analyze(ORACLE, 'gated_fusion');
  assert.deepEqual(
    gated.points.map((p) => p.gate?.kind ?? p.method),
    ['concat', 'channel', 'spatial'],
  );

  for (const id of ['unet_odd72', 'unet_2x64']) {
    const unet = analyze(ORACLE, id);
    assert.deepEqual(methods(unet), ['concat', 'concat', 'concat', 'concat'], id);
    for (let i = 0; i < 4; i++) assert.deepEqual(kinds(unet, i), [[], ['transposed-conv', 'pad']], `${id} stage ${i}`);
  }

  const fpn = analyze(ORACLE, 'backbone_fpn');
  assert.deepEqual(methods(fpn), ['sum', 'sum']);
  for (const p of fpn.points) {
    const up = p.inputs.flatMap((i) => i.resampling).find((s) => s.kind === 'interpolate');
    assert.ok(up && up.kind === 'interpolate' && up.mode === 'nearest' && up.scale?.[0] === 2);
  }

  assert.deepEqual(methods(analyze(ORACLE, 'basic_block')), ['residual']);
  const down = analyze(ORACLE, 'basic_block_down').points[0]!;
  assert.equal(down.method, 'residual');
  assert.deepEqual(
    down.inputs.find((i) => i.role === 'shortcut')!.resampling.map((s) => s.kind),
    ['strided-conv'],
  );

  const vision = analyze(ORACLE, 'vision_text');
  const vt = methods(vision);
  assert.equal(vt[0], 'cross-attention');
  assert.equal(vt[vt.length - 1], 'concat');
  // the exported Embedding (a Gather from a weight table) counts as a layer; ONNX value names become labels
  assert.equal(vision.points[1]!.inputs.find((i) => i.role === 'shortcut')?.level.depth, 1);
  const fusion2 = analyze(ORACLE, 'fusion_4x256').points[0]!;
  assert.deepEqual(
    fusion2.inputs.map((i) => [i.var, i.label]),
    [
      [null, 'Relu'],
      [null, 'Relu_1'],
      [null, 'Relu_2'],
    ],
  );
});

test('fixture ONNX exports: plain CNNs have none; U-Net, FPN and attention fusion are found', () => {
  assert.deepEqual(methods(analyze(FIXTURES, 'vgg_a')), []);
  assert.deepEqual(methods(analyze(FIXTURES, 'vgg_b_bn_odd37')), []);
  assert.deepEqual(methods(analyze(FIXTURES, 'example_tiny_unet_odd')), ['concat', 'concat', 'concat']);
  assert.deepEqual(methods(analyze(FIXTURES, 'example_fpn_segmenter')), ['sum', 'sum']);
  const att = analyze(FIXTURES, 'example_attention_fusion');
  assert.deepEqual(methods(att), ['concat', 'weighted']);
  assert.equal(att.points[1]!.weights?.source, 'softmax(data)');
  assert.deepEqual(methods(analyze(FIXTURES, 'resnet_tiny_odd45')), ['residual', 'residual', 'residual']);
});
