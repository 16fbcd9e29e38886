// The committed PyTorch fixtures are complete and consistent: every case's files exist, checkpoints match params_total, sizes stay small.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors } from '../../src/core/weights/readSafetensors';

const FIXTURES = join(__dirname, '../fixtures');

interface Case {
  id: string;
  file: string;
  shapes_only?: boolean;
  params_total: number;
  expected: string;
  weights?: string;
  io?: string;
  onnx?: string;
  onnx_export_error?: string;
  error?: string;
}

const cases = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Case[];

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    total += st.isDirectory() ? folderBytes(p) : st.size;
  }
  return total;
}

test('every case was generated without error and has its files', () => {
  assert.ok(cases.length >= 20, `${cases.length} cases`);
  for (const c of cases) {
    assert.equal(c.error, undefined, `${c.id}: ${c.error}`);
    assert.ok(existsSync(join(FIXTURES, c.file)), `${c.id}: model file ${c.file}`);
    assert.ok(existsSync(join(FIXTURES, c.expected)), `${c.id}: ${c.expected}`);
    if (c.shapes_only) continue;
    for (const f of [c.weights, c.io]) assert.ok(f && existsSync(join(FIXTURES, f)), `${c.id}: ${f}`);
    assert.ok((c.onnx && existsSync(join(FIXTURES, c.onnx))) || c.onnx_export_error, `${c.id}: onnx`);
  }
});

test('every fixture model file is used by a case', () => {
  const used = new Set(cases.map((c) => c.file));
  const walk = (dir: string, rel: string): string[] =>
    readdirSync(dir).flatMap((n) =>
      statSync(join(dir, n)).isDirectory() ? walk(join(dir, n), `${rel}${n}/`) : n.endsWith('.py') && n !== '__init__.py' ? [`${rel}${n}`] : [],
    );
  for (const f of walk(join(FIXTURES, 'models'), 'models/')) assert.ok(used.has(f), `${f} has no case`);
});

test('checkpoint parameters add up to params_total (BatchNorm statistics, rgb_mean and mask are buffers)', () => {
  for (const c of cases.filter((x) => x.weights)) {
    const file = readSafetensors(readFileSync(join(FIXTURES, c.weights!)), c.weights);
    let params = 0;
    for (const t of file.tensors.values()) {
      if (/(^|\.)(running_mean|running_var|num_batches_tracked|rgb_mean|mask)$/.test(t.name)) continue;
      params += t.data.length;
    }
    assert.equal(params, c.params_total, c.id);
    const expected = JSON.parse(readFileSync(join(FIXTURES, c.expected), 'utf8')) as { params_total: number; id: string };
    assert.equal(expected.params_total, c.params_total, c.id);
  }
});

test('the generated data stays within its size budget', () => {
  const bytes = ['expected', 'weights', 'io', 'onnx'].reduce((n, d) => n + folderBytes(join(FIXTURES, d)), 0);
  assert.ok(bytes < 4 * 1024 * 1024, `generated fixtures are ${bytes} bytes`);
});
