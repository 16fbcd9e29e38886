// Which workspace model a checkpoint fits: TinyResNet(num_classes=1000) fits the epoch checkpoints and gets their tensors
// with figures; the checkpoint without `refine` fits nothing and names TinyResNet as the closest, with why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { rankFits } from '../../src/extension/service/checkpointFit';
import { isFromCheckpointView, isToCheckpointView } from '../../src/protocolCheckpoint';
import { analyzeText, type AnalyzeRequest } from '../../src/extension/service/engineAnalyze';
import { readWeightsFile } from '../../src/core/weights/readWeightsFile';
import { toFloat32 } from '../../src/core/weights/toFloat32';
import { initTestParser } from '../support/pythonWasm';

const DIR = resolve(__dirname, '../fixtures/checkpoints');
const FILE = resolve(DIR, 'ckpt_resnet.py');
const weights = (name: string, entry?: string) => readWeightsFile(readFileSync(resolve(DIR, name)), name, entry ? { entry } : {});

function models(numClasses: number) {
  const text = readFileSync(FILE, 'utf8').replace('num_classes: int = 10', `num_classes: int = ${numClasses}`);
  const req: AnalyzeRequest = { text, file: FILE, specOverrides: {}, defaultInput: null, dimensions: {}, searchRoots: [dirname(FILE)], openTexts: {} };
  return analyzeText(req)
    .models.filter((m) => m.graph)
    .map((m) => ({ key: m.className, graph: m.graph! }));
}

test('the epoch checkpoint fits TinyResNet(num_classes=1000): counts, and each tensor with its shape, dtype and figures', async () => {
  await initTestParser();
  const file = weights('resnet_e50.pth');
  const [best, ...rest] = rankFits(models(1000), file);
  assert.equal(best!.key, 'TinyResNet');
  assert.equal(best!.fits, true);
  assert.deepEqual([best!.matched, best!.total, best!.reason], [34, 34, '']);
  assert.ok(rest.every((r) => !r.fits));
  const fc = best!.params!.find((p) => p.name === 'fc.weight')!;
  assert.deepEqual([fc.shape, fc.dtype], [[1000, 8], 'float32']);
  const data = toFloat32(file.tensors.get('fc.weight')!);
  const mean = data.reduce((a, b) => a + b, 0) / data.length;
  assert.ok(Math.abs(fc.stats!.mean - mean) < 1e-6);
  assert.equal(fc.stats!.max, Math.max(...data));
  assert.equal(best!.params!.length, 34);
});

test('a checkpoint that fits nothing: the closest model first, with what is missing and what has another shape', async () => {
  await initTestParser();
  const [closest] = rankFits(models(10), weights('resnet_1000.pth'));
  assert.equal(closest!.key, 'TinyResNet');
  assert.equal(closest!.fits, false);
  assert.equal(closest!.params, undefined);
  assert.deepEqual([closest!.matched, closest!.total], [30, 34]);
  assert.equal(
    closest!.reason,
    'not in the checkpoint: refine.weight, refine.bias; other shape: fc.weight [1000, 8] in the checkpoint, [10, 8] in the model, fc.bias [1000] in the checkpoint, [10] in the model',
  );
});

test('the state dict chosen is the one matched: the EMA copy of epoch 10 fits too, with its own figures', async () => {
  await initTestParser();
  const m = models(1000);
  const a = rankFits(m, weights('resnet_e10.pth'))[0]!;
  const b = rankFits(m, weights('resnet_e10.pth', 'ema'))[0]!;
  assert.ok(a.fits && b.fits);
  const w = (r: typeof a) => r.params!.find((p) => p.name === 'stem.weight')!.stats!.std;
  assert.ok(Math.abs(w(b) - 0.9 * w(a)) < 1e-6);
});

test('the viewer messages are checked: model fits with counts, and only showModel / pickEntry come back', () => {
  const data = {
    file: 'a.pth',
    format: 'torch-zip',
    entry: 'model',
    candidates: [{ path: 'model', tensors: 2, kind: 'dict' }],
    strippedPrefixes: [],
    tensors: [{ name: 'fc.weight', dtype: 'float32', shape: [2, 2], numel: 4, bytes: 16 }],
    totals: { count: 1, numel: 4, bytes: 16 },
    others: [],
    warnings: [],
    models: [{ key: 'k', label: 'Net (m.py)', fits: true, matched: 2, total: 2, reason: '' }],
    shown: 'k',
  };
  assert.equal(isToCheckpointView({ type: 'checkpoint', data }), true);
  assert.equal(isToCheckpointView({ type: 'checkpoint', data: { ...data, models: [{ key: 'k', fits: 'yes' }] } }), false);
  assert.equal(isToCheckpointView({ type: 'checkpoint', data: { ...data, shown: 3 } }), false);
  assert.equal(isFromCheckpointView({ type: 'showModel', key: 'k' }), true);
  assert.equal(isFromCheckpointView({ type: 'pickEntry', path: 'ema' }), true);
  assert.equal(isFromCheckpointView({ type: 'pickEntry', path: 1 }), false);
  assert.equal(isFromCheckpointView({ type: 'runModel', key: 'k' }), false);
});
