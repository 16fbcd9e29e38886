// The CLI with checkpoints: `shapes model.pth [--json]` lists the tensors; `run --weights a.pth --weights b.pth` runs one
// model with both, says which weights each ran with and reports the per-parameter weight change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/pythonWasm';

const CK = join(repoRoot, 'test/fixtures/checkpoints');
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('shapes model.pth --json: tensors, totals, the entry read and the other entries', () => {
  const r = cli('shapes', join(CK, 'nested.pt'), '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.format, 'torch-zip');
  assert.equal(j.entry, 'model');
  assert.deepEqual(
    j.candidates.map((c: { path: string }) => c.path),
    ['model', 'ema'],
  );
  assert.equal(j.totals.count, 17);
  assert.deepEqual(
    j.tensors.find((t: { name: string }) => t.name === 'fc.weight'),
    { name: 'fc.weight', dtype: 'float32', shape: [5, 4], numel: 20, bytes: 80 },
  );
  assert.ok(j.others.some((o: { key: string; text: string }) => o.key === 'optimizer' && /optimizer state/.test(o.text)));
  const text = cli('shapes', join(CK, 'dtypes.pt'));
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /bf16\s+bfloat16\s+\[4, 2\]/);
  assert.match(text.out, /total: 19 tensors/);
});

test('run with two checkpoints of one model: both run, each names its weights, the weight change is listed', () => {
  // ckpt_resnet.py as the checkpoint was trained: num_classes=1000, no `refine` layer
  const dir = mkdtempSync(join(tmpdir(), 'fl-ckpt-cli-'));
  const model = join(dir, 'resnet.py');
  writeFileSync(
    model,
    readFileSync(join(CK, 'ckpt_resnet.py'), 'utf8')
      .replace(/\n\s*self\.refine = .*\n/, '\n')
      .replace('self.refine(self.layer1(x))', 'self.layer1(x)'),
  );
  const r = cli(
    'run',
    model,
    '--model',
    'TinyResNet(num_classes=1000)',
    '--input',
    '1x3x32x32',
    '--weights',
    join(CK, 'resnet_1000.pth'),
    '--weights',
    join(CK, 'resnet_1000.pth'),
    '--json',
  );
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.models.length, 2);
  for (const m of j.models) assert.match(m.weights, /resnet_1000\.pth \(torch zip checkpoint, state dict 'model', 32 tensors\)/);
  assert.equal(j.weightChanges[0].parameters.length, 27); // the 32 tensors less the five int64 BatchNorm counters
  assert.ok(j.weightChanges[0].parameters.every((p: { relative: number }) => p.relative === 0));
  // the CLI is strict: the file model with `refine` is refused by name
  const strict = cli(
    'run',
    join(CK, 'ckpt_resnet.py'),
    '--model',
    'TinyResNet(num_classes=1000)',
    '--input',
    '1x3x32x32',
    '--weights',
    join(CK, 'resnet_1000.pth'),
  );
  assert.equal(strict.code, 1);
  assert.match(strict.err, /missing 2: refine\.weight, refine\.bias/);
});
