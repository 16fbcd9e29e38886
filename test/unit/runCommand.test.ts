// `fusion-lens run` on an .onnx file: argument parsing, JSON output, io-file inputs, saved outputs, memory refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseRunArgs } from '../../src/cli/runCommand';
import { modelProtoType } from '../../src/core/onnx/onnxSchema';
import { readSafetensors } from '../../src/core/weights/readSafetensors';
import { writeSafetensors } from '../../src/core/weights/writeSafetensors';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'fl-run-'));

/** y = 2x + 1 on a [2, 3] input. */
function writeModel(): string {
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }, { dimValue: 3 }] } } } });
  const bytes = modelProtoType()
    .encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'affine',
        input: [vi('x')],
        output: [vi('y')],
        initializer: [
          { name: 'two', dims: [], dataType: 1, floatData: [2] },
          { name: 'one', dims: [], dataType: 1, floatData: [1] },
        ],
        node: [
          { opType: 'Mul', input: ['x', 'two'], output: ['m'] },
          { opType: 'Add', input: ['m', 'one'], output: ['y'] },
        ],
      },
    })
    .finish();
  const file = join(dir, 'affine.onnx');
  writeFileSync(file, bytes);
  return file;
}

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'run', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('argument parsing', () => {
  const o = parseRunArgs(['m.py', '--model', 'A()', '--model', 'B(2)', '--threads', '2', '--seed', '7', '--json']);
  assert.ok(typeof o !== 'string');
  assert.deepEqual(o.models, ['A()', 'B(2)']);
  assert.equal(o.threads, 2);
  assert.equal(o.seed, 7);
  assert.deepEqual((parseRunArgs(['a.onnx', 'b.onnx']) as { moreOnnx: string[] }).moreOnnx, ['b.onnx']);
  assert.deepEqual((parseRunArgs(['m.py', 'b.onnx']) as { moreOnnx: string[] }).moreOnnx, ['b.onnx']);
  assert.match(parseRunArgs(['a.onnx', 'm.py']) as string, /one Python FILE/);
  assert.match(parseRunArgs(['a.onnx', '--threads', '0']) as string, /integer ≥ 1/);
  assert.match(parseRunArgs(['a.onnx', '--bogus']) as string, /unknown option/);
  const k = parseRunArgs(['m.py', '--input-kind', 'list', '--python-path', '/a', '--python-path', '/b', '--python-env', '/venv']);
  assert.ok(typeof k !== 'string');
  assert.deepEqual([k.inputKind, k.imports.pythonPaths, k.imports.pythonEnv], ['list', ['/a', '/b'], '/venv']);
  assert.match(parseRunArgs(['m.py', '--input-kind', 'set']) as string, /tensor, list or dict/);
});

test('runs an .onnx file on io inputs, prints stats and saves outputs', () => {
  const model = writeModel();
  const inputs = join(dir, 'in.safetensors');
  writeFileSync(inputs, writeSafetensors([['input.0', { dtype: 'float32', shape: [2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) }]]));
  const saved = join(dir, 'out.safetensors');
  const r = cli(model, '--inputs', inputs, '--save-outputs', saved, '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  const y = j.models[0].outputs[0];
  assert.deepEqual(y.shape, [2, 3]);
  assert.equal(y.mean, 6);
  assert.equal(y.min, 1);
  assert.equal(y.max, 11);
  assert.ok(j.models[0].sessionCreateMs > 0);
  const out = readSafetensors(new Uint8Array(readFileSync(saved))).tensors.get('output.0')!;
  assert.deepEqual(Array.from(out.data as Float32Array), [1, 3, 5, 7, 9, 11]);
});

test('text output has the preview; a tiny memory limit refuses with the estimate', () => {
  const model = writeModel();
  const r = cli(model, '--seed', '3');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /y: shape \[2, 3\] float32 {2}mean/);
  assert.match(r.out, /tensor\(\[\[/);
  const ok = cli(model, '--memory-limit', '1');
  assert.equal(ok.code, 0, ok.err);
  const refused = cli(model, '--memory-limit', '0.00001'); // about 10 bytes
  assert.equal(refused.code, 1);
  assert.match(refused.err, /refusing to run: estimated memory 88 B .* exceeds the limit of 10 B/);
});

test('corrupt files fail with a clear message', () => {
  const bad = join(dir, 'bad.onnx');
  writeFileSync(bad, new Uint8Array([0x3a, 0xff, 0xff, 0x7f, 1]));
  const r = cli(bad);
  assert.equal(r.code, 1);
  assert.match(r.err, /not a valid ONNX file/);
});

test('--input-kind list: a Python model whose forward takes a list runs, as with `shapes`', () => {
  const file = join(dir, 'listnet.py');
  writeFileSync(
    file,
    [
      'import torch.nn as nn',
      '',
      'class Fuse(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.proj = nn.Linear(4, 2)',
      '',
      '    def forward(self, feats):',
      '        return self.proj(feats[0] + feats[1])',
      '',
    ].join('\n'),
  );
  const r = cli(file, '--model', 'Fuse()', '--input', 'a=3x4', '--input', 'b=3x4', '--input-kind', 'list', '--json');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out).models[0].outputs[0].shape, [3, 2]);
  // Without it the two inputs are two arguments, which this forward does not take.
  assert.notEqual(cli(file, '--model', 'Fuse()', '--input', 'a=3x4', '--input', 'b=3x4').code, 0);
});
