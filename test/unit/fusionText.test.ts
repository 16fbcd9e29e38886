// Explanations (en, zh-cn), one-line texts and the JSON form of fusion points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFusion } from '../../src/core/graph/fusionAnalysis';
import { fusionAnalysisJson } from '../../src/core/graph/fusionJson';
import { explainFusion, explainSummary, fusionOneLine } from '../../src/core/graph/fusionText';
import { seedFusionModel } from '../support/fusionTestGraph';

test('concat explanation names the levels, their resampling and the channel sum, in both languages', () => {
  const p = analyzeFusion(seedFusionModel().build()).points[0]!;
  const en = explainFusion(p, 'en');
  assert.match(en, /^Concatenation of 3 levels \(C = 64 \+ 128 \+ 256 = 448\) at stride 4/);
  assert.match(en, /feat1 \(stride 1, depth 1\) max-pooled ÷4/);
  assert.match(en, /feat2 \(stride 2, depth 2\) interpolated ×0\.5 \(nearest\)/);
  assert.ok(en.length < 400, `hover-sized: ${en.length} chars`);
  const zh = explainFusion(p, 'zh-cn');
  assert.match(zh, /^拼接融合 3 个层级（C = 64 \+ 128 \+ 256 = 448）/);
  assert.match(zh, /feat1（步长 1，深度 1）最大池化 ÷4/);
  assert.match(zh, /插值 ×0\.5（nearest）/);
  assert.equal(fusionOneLine(p), 'concat · 3 inputs: feat1 (/1, 64ch) + feat2 (/2, 128ch) + feat3 (/4, 256ch)');
});

/** The parts of `fusion --json` this test reads. */
interface JsonInput {
  var: string;
  operand?: string;
  stride: number[];
  depth: number;
  shape: number[];
  resampling: { line: number; text: string }[];
}
interface JsonPoint {
  line: number;
  method: string;
  out: { shape: number[] };
  inputs: JsonInput[];
  explanation: Record<string, string>;
}
interface FusionJson {
  summary: { points: number; methods: Record<string, number>; text: Record<string, string> };
  points: JsonPoint[];
}

test('JSON: 1-based lines, per-input var, shape, stride, depth, resampling; summary with both languages', () => {
  const j = fusionAnalysisJson(analyzeFusion(seedFusionModel().build())) as unknown as FusionJson;
  assert.equal(j.summary.points, 1);
  assert.deepEqual(j.summary.methods, { concat: 1 });
  assert.match(j.summary.text['zh-cn'], /1 个融合点/);
  const p = j.points[0]!;
  assert.equal(p.line, 49);
  assert.equal(p.method, 'concat');
  assert.deepEqual(p.out.shape, [4, 448, 64, 64]);
  assert.deepEqual(
    p.inputs.map((i) => [i.var, i.operand ?? null, i.stride, i.depth]),
    [
      ['feat1', 'feat1_down', [1, 1], 1],
      ['feat2', 'feat2_down', [2, 2], 2],
      ['feat3', null, [4, 4], 3],
    ],
  );
  assert.deepEqual(p.inputs[0]!.shape, [4, 64, 256, 256]);
  assert.equal(p.inputs[0]!.resampling[0]!.line, 46);
  assert.equal(p.inputs[0]!.resampling[0]!.text, 'max-pooled ÷4');
  assert.equal(typeof p.explanation['zh-cn'], 'string');
  assert.doesNotThrow(() => JSON.stringify(j));
});

test('summary of a model without fusion says so', () => {
  const s = analyzeFusion(seedFusionModel().build()).summary;
  assert.match(
    explainSummary(s, 'en'),
    /1 fusion point \(1 concat\) over 3 levels at strides 1, 2, 4; branches that only feed fusion hold 295,168 params \(\d+% of the model\)\./,
  );
  assert.match(explainSummary(s, 'zh-cn'), /1 个融合点（1 个拼接）/);
  assert.equal(fusionOneLine(analyzeFusion(seedFusionModel().build()).points[0]!, 'zh-cn').split(' · ')[0], '拼接');
  assert.match(explainSummary({ ...s, points: 0 }, 'zh-cn'), /没有多层级特征融合点/);
});

test('graph-view payload of fusion points validates as part of a GraphPayload', async () => {
  const { fusionPayload, fusionEditorSummary } = await import('../../src/core/graph/fusionPayload');
  const { graphPayload } = await import('../../src/core/graph/graphPayload');
  const { isGraphPayload } = await import('../../src/protocol');
  const graph = seedFusionModel().build('FusionModel');
  const a = analyzeFusion(graph);
  const fusions = a.points.map((p) => fusionPayload(graph, p));
  assert.equal(fusions[0]!.levels, '/1 /2 /4');
  assert.deepEqual(
    fusions[0]!.inputs.map((i) => i.resampling.map((r) => r.en)),
    [['max-pooled ÷4'], ['interpolated ×0.5 (nearest)'], []],
  );
  // The card shows the steps in the UI's language, like the explanation.
  assert.deepEqual(
    fusions[0]!.inputs.map((i) => i.resampling.map((r) => r['zh-cn'])),
    [['最大池化 ÷4'], ['插值 ×0.5（nearest）'], []],
  );
  assert.deepEqual(
    fusions[0]!.inputs.map((i) => i.stride),
    [1, 2, 4],
  );
  const payload = graphPayload(graph, fusions);
  assert.ok(isGraphPayload(payload));
  assert.equal(payload.nodes.find((n) => n.id === a.points[0]!.node)?.fusion, 0);
  assert.deepEqual(fusionEditorSummary(a.points[0]!).line, 48);
});

test('core text builders never branch on the language: phrases come from one table with both languages', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  const branching = files(join(__dirname, '../../src/core')).filter((f) => /lang\s*===\s*'zh-cn'|\bzh\s*\?/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(branching, []);
});
