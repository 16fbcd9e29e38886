// `fusion-lens fusion` end to end on the project's example file: text, JSON (whole file and --model), Chinese, bad usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const EXAMPLE = join(ROOT, 'examples/fusion_cnn.py');

function run(command: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), command, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const cli = (...args: string[]) => run('fusion', ...args);

test('text report: the concat, its inputs, and the comparison with the baseline', () => {
  const r = cli(EXAMPLE);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /BaselineModel: no multi-level fusion point\./);
  assert.match(r.out, /concat {2}C = 64 \+ 128 \+ 256 = 448 {2}→ \[4, 448, 64, 64\]/);
  assert.match(r.out, /feat1 +\[4, 64, 256, 256\] {2}stride 1 {2}depth 1 {2}max-pooled ÷4/);
  assert.match(r.out, /FusionModel\(\) vs BaselineModel\(\): 649,610 vs 2,992,266 params \(-78%\)/);
});

test('JSON for the whole file and for one model', () => {
  const all = cli(EXAMPLE, '--json');
  assert.equal(all.code, 0, all.err);
  const doc = JSON.parse(all.out);
  assert.deepEqual(Object.keys(doc.models).sort(), ['BaselineModel', 'FusionModel']);
  assert.deepEqual(doc.models.BaselineModel.points, []);
  const p = doc.models.FusionModel.points[0];
  assert.equal(p.method, 'concat');
  assert.deepEqual(
    p.inputs.map((i: { var: string; stride: number[]; depth: number }) => [i.var, i.stride, i.depth]),
    [
      ['feat1', [1, 1], 1],
      ['feat2', [2, 2], 2],
      ['feat3', [4, 4], 3],
    ],
  );
  assert.equal(doc.comparisons.length, 1);

  const one = cli(EXAMPLE, '--model', 'FusionModel(num_classes=3)', '--input', '1x3x96x96', '--json', '--lang', 'zh-cn');
  assert.equal(one.code, 0, one.err);
  const m = JSON.parse(one.out);
  assert.equal(m.model, 'FusionModel(num_classes=3)');
  assert.deepEqual(m.points[0].out.shape, [1, 448, 24, 24]);
  assert.match(m.points[0].explanation['zh-cn'], /^拼接融合 3 个层级/);
});

test('Chinese text and bad usage', () => {
  const zh = cli(EXAMPLE, '--model', 'FusionModel()', '--lang', 'zh-cn');
  assert.equal(zh.code, 0, zh.err);
  assert.match(zh.out, /feat1（步长 1，深度 1）最大池化 ÷4/);
  assert.equal(cli(EXAMPLE, '--lang', 'fr').code, 2);
  assert.equal(cli().code, 2);
});

test('shapes --json carries the same fusion points in its fusion field', () => {
  const r = run('shapes', EXAMPLE, '--json');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.deepEqual(doc.models.BaselineModel.fusion, []);
  const [p, ...rest] = doc.models.FusionModel.fusion;
  assert.equal(rest.length, 0);
  assert.equal(p.line, 61);
  assert.equal(p.method, 'concat');
  assert.deepEqual(
    p.inputs.map((i: { var: string; resampling: { kind: string }[] }) => [i.var, i.resampling.map((s) => s.kind)]),
    [
      ['feat1', ['pool']],
      ['feat2', ['interpolate']],
      ['feat3', []],
    ],
  );
  assert.deepEqual(p.out.shape, [4, 448, 64, 64]);
});
