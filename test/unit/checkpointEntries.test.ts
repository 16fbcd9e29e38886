// A checkpoint with several state dicts (model + EMA): the reader's candidates become the picker's choices, the default
// first with its tensor count, and the chosen entry is what is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { summariseWeights } from '../../src/core/weights/checkpoint/checkpointSummary';
import { describeWeights, readWeightsFile } from '../../src/core/weights/readWeightsFile';
import { entryChoices } from '../../src/extension/service/entryChoices';

const WORDS = { tensors: 'tensors', module: 'pickled module', default: 'default' };
const fixture = (name: string): Uint8Array => readFileSync(resolve(__dirname, '../fixtures/checkpoints', name));

test('model + ema: two choices, the model first as the default, each with its tensor count', () => {
  const s = summariseWeights(readWeightsFile(fixture('resnet_e10.pth'), 'resnet_e10.pth'));
  const choices = entryChoices(s, WORDS);
  assert.deepEqual(
    choices.map((c) => [c.label, c.description, c.isDefault]),
    [
      ['model', '34 tensors · default', true],
      ['ema', '34 tensors', false],
    ],
  );
});

test('the chosen entry is read and named; a file with one state dict offers no choice', () => {
  const ema = readWeightsFile(fixture('resnet_e10.pth'), 'resnet_e10.pth', { entry: choicesOf('resnet_e10.pth')[1]!.path });
  assert.equal(describeWeights(ema, 'resnet_e10.pth'), "resnet_e10.pth (torch zip checkpoint, state dict 'ema', 34 tensors)");
  const model = readWeightsFile(fixture('resnet_e10.pth'), 'resnet_e10.pth');
  const a = model.tensors.get('fc.weight')!.data as Float32Array;
  const b = ema.tensors.get('fc.weight')!.data as Float32Array;
  assert.ok(Math.abs(b[3]! - 0.9 * a[3]!) < 1e-6, 'the EMA copy is 0.9 × the model');
  assert.deepEqual(choicesOf('resnet_e50.pth'), []);
  assert.deepEqual(
    choicesOf('nested.pt').map((c) => c.label),
    ['model', 'ema'],
  );
});

function choicesOf(name: string) {
  return entryChoices(summariseWeights(readWeightsFile(fixture(name), name)), WORDS);
}
