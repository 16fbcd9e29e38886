// `fusion-lens shapes FILE.onnx`: node table and JSON from the decoder; corrupt files give a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const FIX = join(ROOT, 'test/fixtures');

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'shapes', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('table and JSON for a fixture ONNX file agree with the manifest', () => {
  const manifest = JSON.parse(readFileSync(join(FIX, 'manifest.json'), 'utf8')) as { id: string; outputs: number[][]; params_total: number }[];
  const c = manifest.find((m) => m.id === 'resnet_tiny_odd45')!;
  const t = cli(join(FIX, 'onnx/resnet_tiny_odd45.onnx'));
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /ONNX opset 17/);
  assert.match(t.out, new RegExp(`output: output\\.0 \\[${c.outputs[0]!.join(', ')}\\]`));
  const j = JSON.parse(cli(join(FIX, 'onnx/resnet_tiny_odd45.onnx'), '--json').out);
  assert.equal(j.format, 'onnx');
  assert.deepEqual(
    j.outputs.map((o: { shape: number[] }) => o.shape),
    c.outputs,
  );
  assert.ok(j.nodes.length > 10);
  assert.ok(j.nodes.every((n: { outputs: { shape: unknown }[] }) => n.outputs.every((o) => Array.isArray(o.shape))));
  // PyTorch folds BatchNorm into the convs on export, so the initializers hold a little fewer values than params_total.
  assert.ok(j.params_total > 0.9 * c.params_total && j.params_total <= c.params_total);
});

test('a truncated ONNX file fails with a clear message', () => {
  const bytes = readFileSync(join(FIX, 'onnx/cbam_9x11.onnx'));
  const f = join(mkdtempSync(join(tmpdir(), 'fl-shapes-')), 'cut.onnx');
  writeFileSync(f, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const r = cli(f);
  assert.equal(r.code, 1);
  assert.match(r.err, /not a valid ONNX file/);
});
