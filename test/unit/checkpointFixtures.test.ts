// Acceptance: every torch.save fixture written by python3-torch 1.13 (zip and legacy, protocols 2 and 4, nested, prefixed,
// every dtype, shared-storage views, whole pickled modules, pytorch_model.bin, big-endian) is read bit-exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StoredTensor } from '../../src/core/weights/readSafetensors';
import { readWeightsFile } from '../../src/core/weights/readWeightsFile';

const DIR = resolve(__dirname, '../fixtures/checkpoints');

interface Expected {
  entry: string;
  stripped: string[];
  placeholders: boolean;
  format: string;
  tensors: Record<string, { dtype: string; shape: number[]; hex: string }>;
}

const expected: Record<string, Expected> = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

for (const [key, want] of Object.entries(expected)) {
  test(`checkpoint fixture ${key}: entry '${want.entry}', ${Object.keys(want.tensors).length} tensors bit-exact`, () => {
    const [file, entry] = key.split('#');
    const w = readWeightsFile(readFileSync(join(DIR, file!)), file, entry ? { entry } : {});
    assert.equal(w.format, want.format);
    if (w.format === 'safetensors') return;
    assert.equal(w.entry.path, want.entry);
    assert.deepEqual(w.strippedPrefixes, want.stripped);
    assert.equal(w.placeholders.length > 0, want.placeholders, w.placeholders.join(', '));
    assert.deepEqual([...w.tensors.keys()].sort(), Object.keys(want.tensors).sort());
    for (const [name, t] of Object.entries(want.tensors)) {
      const got: StoredTensor = w.tensors.get(name)!;
      assert.equal(got.dtype, t.dtype, name);
      assert.deepEqual([...got.shape], t.shape, name);
      const bytes = Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength);
      assert.equal(bytes.toString('hex'), t.hex, name);
    }
  });
}

test('a nested checkpoint lists its state dicts, summarises the rest and names placeholders', () => {
  const w = readWeightsFile(readFileSync(join(DIR, 'nested.pt')), 'nested.pt');
  assert.ok(w.format === 'torch-zip');
  assert.deepEqual(
    w.candidates.map((c) => c.path),
    ['model', 'ema'],
  );
  const others = Object.fromEntries(w.others.map((o) => [o.key, o.text]));
  assert.equal(others.epoch, '7');
  assert.equal(others.best_acc, '0.875');
  assert.match(others.optimizer!, /optimizer state for \d+ parameters; slots step, exp_avg, exp_avg_sq; 1 param group; lr 0.001/);
  assert.match(others.args!, /argparse\.Namespace/);
  assert.ok(w.placeholders.includes('argparse.Namespace'));
  assert.ok(w.warnings.some((x) => /read the state dict at 'model'; others: 'ema'/.test(x)));
});

test('the os.system of a __reduce__ payload stays a placeholder: named in a warning, never called', () => {
  const w = readWeightsFile(readFileSync(join(DIR, 'hostile_reduce.pt')), 'hostile_reduce.pt');
  assert.ok(w.format === 'torch-zip');
  assert.deepEqual(w.placeholders, ['posix.system']);
  assert.ok(w.warnings.some((x) => /posix\.system/.test(x) && /nothing was imported or called/.test(x)));
  assert.match(w.others.find((o) => o.key === 'extra')!.text, /posix\.system/);
});

test('a whole pickled module is read from its placeholders, non-persistent buffers left out', () => {
  const w = readWeightsFile(readFileSync(join(DIR, 'whole_module.pt')), 'whole_module.pt');
  assert.ok(w.format === 'torch-zip');
  assert.equal(w.entry.kind, 'module');
  assert.ok(!w.tensors.has('cache'));
  assert.ok(w.placeholders.includes('__main__.SmallNet'));
  assert.ok(w.warnings.some((x) => /whole model object/.test(x)));
});

test('views of one storage share its bytes; a contiguous aligned view is zero-copy', () => {
  const w = readWeightsFile(readFileSync(join(DIR, 'dtypes.pt')), 'dtypes.pt');
  const base = w.tensors.get('view_base')!;
  const rows = w.tensors.get('view_rows')!;
  assert.ok(base.zeroCopy && rows.zeroCopy);
  assert.equal(base.data.buffer, rows.data.buffer);
  assert.equal(w.tensors.get('view_transposed')!.zeroCopy, false);
});
