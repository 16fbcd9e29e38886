// Loading a state_dict from safetensors by name: exact fits, missing / unexpected / wrongly-shaped tensors, dtype conversion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateEntry } from '../../src/core/graph/modelGraph';
import { readSafetensors, type SafetensorsFile } from '../../src/core/weights/readSafetensors';
import { writeSafetensors } from '../../src/core/weights/writeSafetensors';
import { loadStateDict, StateDictError } from '../../src/core/weights/loadStateDict';
import type { TensorData } from '../../src/core/weights/tensorData';

const FIXTURES = join(__dirname, '../fixtures');

/** StateEntries as the interpreter would list them for the model that produced `file`. */
function entriesOf(file: SafetensorsFile): StateEntry[] {
  return [...file.tensors.values()].map((t) => ({
    name: t.name,
    shape: t.shape,
    dtype: t.dtype,
    role: /running_|num_batches/.test(t.name) ? 'buffer' : 'param',
    modulePath: t.name.split('.').slice(0, -1).join('.'),
    moduleType: 'Unknown',
    init: t.dtype === 'int64' ? { kind: 'zeros' } : { kind: 'normal', std: 1 },
  }));
}

function fixture(id: string): SafetensorsFile {
  return readSafetensors(readFileSync(join(FIXTURES, 'weights', `${id}.safetensors`)), id);
}

function fileOf(tensors: [string, TensorData][]): SafetensorsFile {
  return readSafetensors(writeSafetensors(tensors));
}

function errorOf(fn: () => unknown): StateDictError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StateDictError, String(e));
    return e;
  }
  assert.fail('expected a StateDictError');
}

test('a fixture checkpoint loads onto its own entries without copies', () => {
  const file = fixture('resnet_tiny_odd45');
  const entries = entriesOf(file);
  const { tensors, defaulted, converted } = loadStateDict(entries, file);
  assert.equal(tensors.size, entries.length);
  assert.deepEqual(defaulted, []);
  assert.deepEqual(converted, []);
  for (const e of entries) assert.equal(tensors.get(e.name), file.tensors.get(e.name)!.data, e.name);
  const nbt = tensors.get('bn1.num_batches_tracked');
  assert.ok(nbt instanceof BigInt64Array && nbt.length === 1);
  assert.ok(tensors.get('layer2.0.downsample.1.running_var') instanceof Float32Array);
});

test('missing, unexpected and wrongly-shaped tensors are all listed in one error', () => {
  const file = fixture('vgg_a');
  const entries = entriesOf(file)
    .filter((e) => e.name !== 'classifier.6.bias') // the file has it, the model does not → unexpected
    .map((e) => (e.name === 'features.0.weight' ? { ...e, shape: [8, 1, 3, 3] } : e));
  entries.push({ ...entries[0]!, name: 'extra.weight', shape: [2] });
  const err = errorOf(() => loadStateDict(entries, file, 'vgg_a.safetensors'));
  assert.deepEqual(err.missing, ['extra.weight']);
  assert.deepEqual(err.unexpected, ['classifier.6.bias']);
  assert.deepEqual(err.mismatched, [{ name: 'features.0.weight', expected: [8, 1, 3, 3], actual: [8, 3, 3, 3] }]);
  assert.match(err.message, /^vgg_a\.safetensors does not fit the model's state_dict: /);
  assert.match(err.message, /missing 1: extra\.weight/);
  assert.match(err.message, /unexpected 1: classifier\.6\.bias/);
  assert.match(err.message, /wrong shape 1: features\.0\.weight \(model \[8, 1, 3, 3\], file \[8, 3, 3, 3\]\)/);
});

test('long lists are shortened in the message but complete on the error', () => {
  const file = fixture('resnet_tiny_odd45');
  const err = errorOf(() => loadStateDict([], file));
  assert.equal(err.unexpected.length, file.tensors.size);
  assert.match(err.message, /… and \d+ more/);
});

test('num_batches_tracked absent from the file is filled with 0; present ones must be int64-compatible', () => {
  const w: TensorData = { dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) };
  const entries: StateEntry[] = [
    { name: 'bn.weight', shape: [2], dtype: 'float32', role: 'param', modulePath: 'bn', moduleType: 'BatchNorm2d', init: { kind: 'ones' } },
    { name: 'bn.num_batches_tracked', shape: [], dtype: 'int64', role: 'buffer', modulePath: 'bn', moduleType: 'BatchNorm2d', init: { kind: 'zeros' } },
  ];
  const loaded = loadStateDict(entries, fileOf([['bn.weight', w]]));
  assert.deepEqual(loaded.defaulted, ['bn.num_batches_tracked']);
  assert.deepEqual([...(loaded.tensors.get('bn.num_batches_tracked') as BigInt64Array)], [0n]);

  const i32 = loadStateDict(
    entries,
    fileOf([
      ['bn.weight', w],
      ['bn.num_batches_tracked', { dtype: 'int32', shape: [], data: new Int32Array([5]) }],
    ]),
  );
  assert.deepEqual([...(i32.tensors.get('bn.num_batches_tracked') as BigInt64Array)], [5n]);

  const bad = errorOf(() =>
    loadStateDict(
      entries,
      fileOf([
        ['bn.weight', w],
        ['bn.num_batches_tracked', { dtype: 'float32', shape: [], data: new Float32Array([1]) }],
      ]),
    ),
  );
  assert.deepEqual(bad.badDtype, ['bn.num_batches_tracked (model int64, file F32)']);
});

test('half-precision checkpoints convert to float32; tied weights may be stored once', () => {
  const entries: StateEntry[] = [
    { name: 'emb.weight', shape: [2], dtype: 'float32', role: 'param', modulePath: 'emb', moduleType: 'Embedding', init: { kind: 'normal', std: 1 } },
    {
      name: 'head.weight',
      shape: [2],
      dtype: 'float32',
      role: 'param',
      modulePath: 'head',
      moduleType: 'Linear',
      init: { kind: 'zeros' },
      aliasOf: 'emb.weight',
    },
  ];
  const loaded = loadStateDict(entries, fileOf([['emb.weight', { dtype: 'float16', shape: [2], data: new Uint16Array([0x3c00, 0xb800]) }]]));
  assert.deepEqual([...loaded.tensors.get('emb.weight')!], [1, -0.5]);
  assert.equal(loaded.tensors.get('head.weight'), loaded.tensors.get('emb.weight'));
  assert.deepEqual(loaded.converted, ['emb.weight']);
});
