// `fusion-lens export` then `fusion-lens run` on a committed fixture model reproduces PyTorch's outputs; bad usage is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseExportArgs } from '../../src/cli/exportCommand';
import { decodeOnnx } from '../../src/core/onnx/decodeOnnx';
import { compareTensors, withinOracleTolerance } from '../../src/core/run/compareTensors';
import { readSafetensors } from '../../src/core/weights/readSafetensors';

const ROOT = resolve(__dirname, '../..');
const FIX = join(ROOT, 'test/fixtures');
const dir = mkdtempSync(join(tmpdir(), 'fl-export-'));

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('export argument parsing', () => {
  assert.match(parseExportArgs(['m.py', '-o', 'x.onnx']) as string, /--model/);
  assert.match(parseExportArgs(['m.py', '--model', 'M()']) as string, /-o/);
  const a = parseExportArgs(['m.py', '--model', 'M()', '--input', '1x3x8x8', '-o', 'x.onnx', '--seed', '3', '--all-values']);
  assert.ok(typeof a !== 'string');
  assert.deepEqual([a.model, a.inputs, a.out, a.seed, a.allValues], ['M()', ['1x3x8x8'], 'x.onnx', 3, true]);
  const d = parseExportArgs(['m.py', '--model', 'M()', '-o', 'x.onnx', '--input-kind', 'dict', '--python-env', '/venv']);
  assert.ok(typeof d !== 'string');
  assert.deepEqual([d.inputKind, d.imports.pythonEnv], ['dict', '/venv']);
});

test('CBAM fixture: export with PyTorch weights, run on PyTorch inputs, outputs match', () => {
  const out = join(dir, 'cbam.onnx');
  const e = cli(
    'export',
    join(FIX, 'models/attention_gates.py'),
    '--model',
    'CBAM(channels=16)',
    '--input',
    '2x16x9x11',
    '-o',
    out,
    '--weights',
    join(FIX, 'weights/cbam_9x11.safetensors'),
  );
  assert.equal(e.code, 0, e.err);
  assert.match(e.out, /opset 17/);
  const d = decodeOnnx(new Uint8Array(readFileSync(out)));
  assert.equal(d.opset, 17);
  assert.ok(d.graph.nodes.length > 5);
  const saved = join(dir, 'cbam_out.safetensors');
  const r = cli('run', out, '--inputs', join(FIX, 'io/cbam_9x11.safetensors'), '--save-outputs', saved, '--json');
  assert.equal(r.code, 0, r.err);
  const got = readSafetensors(new Uint8Array(readFileSync(saved))).tensors.get('output.0')!;
  const ref = readSafetensors(new Uint8Array(readFileSync(join(FIX, 'io/cbam_9x11.safetensors')))).tensors.get('output.0')!;
  assert.ok(withinOracleTolerance(compareTensors(got, ref)));
});

test('the Python model runs directly, and --all-values exposes intermediates', () => {
  const r = cli(
    'run',
    join(FIX, 'models/attention_gates.py'),
    '--model',
    'CBAM(channels=16)',
    '--input',
    '2x16x9x11',
    '--weights',
    join(FIX, 'weights/cbam_9x11.safetensors'),
    '--inputs',
    join(FIX, 'io/cbam_9x11.safetensors'),
    '--layer-stats',
    '--json',
  );
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(j.models[0].outputs[0].shape, [2, 16, 9, 11]);
  // Per-layer statistics: one record per node output, the last one being the model output itself.
  const layers = j.models[0].layers as { shape: number[]; mean: number }[];
  assert.ok(layers.length > 5);
  assert.deepEqual(layers.at(-1)!.shape, [2, 16, 9, 11]);
  assert.ok(Math.abs(layers.at(-1)!.mean - j.models[0].outputs[0].mean) < 1e-9);
  const all = join(dir, 'all.onnx');
  const e = cli('export', join(FIX, 'models/attention_gates.py'), '--model', 'CBAM(channels=16)', '--input', '2x16x9x11', '-o', all, '--all-values');
  assert.equal(e.code, 0, e.err);
  assert.ok(decodeOnnx(new Uint8Array(readFileSync(all))).graph.outputs.length > 5);
});

test('a model that does not interpret is refused with its diagnostic', () => {
  const r = cli('export', join(FIX, 'models/attention_gates.py'), '--model', 'NoSuchClass()', '-o', join(dir, 'x.onnx'));
  assert.notEqual(r.code, 0);
  assert.match(r.err, /NoSuchClass/);
});

test('a Python model and an .onnx file run on the same inputs and are compared', () => {
  const r = cli(
    'run',
    join(FIX, 'models/attention_gates.py'),
    '--model',
    'CBAM(channels=16)',
    '--input',
    '2x16x9x11',
    '--weights',
    join(FIX, 'weights/cbam_9x11.safetensors'),
    join(FIX, 'onnx/cbam_9x11.onnx'),
    '--seed',
    '4',
    '--json',
  );
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.models.length, 2);
  assert.equal(j.comparisons.length, 1);
  assert.ok(j.comparisons[0].maxAbsDiff < 1e-4 && j.comparisons[0].cosine > 0.99999);
});
