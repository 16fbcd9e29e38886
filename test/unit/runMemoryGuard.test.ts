// The memory guard's estimate adds up inputs, activations and weights, and refuses above the limit with the figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphValue, ModelGraph } from '../../src/core/graph/modelGraph';
import { dim } from '../../src/core/shape/dim';
import { checkRunMemory, checkWeightsFileSize, estimateRunMemory, MemoryLimitError } from '../../src/core/run/memoryGuard';
import { decodeOnnx } from '../../src/core/onnx/decodeOnnx';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function graph(): ModelGraph {
  const v = (id: string, source: GraphValue['source'], dims: number[]): GraphValue => ({ id, shape: dims.map(dim), dtype: 'float32', source, producer: null });
  const values = new Map([
    ['x', v('x', 'input', [4, 3, 256, 256])],
    ['a', v('a', 'node', [4, 64, 256, 256])],
    ['w', v('w', 'param', [64, 3, 3, 3])],
    ['u', { ...v('u', 'node', []), shape: null }],
  ]);
  return {
    expr: '',
    className: '',
    file: '',
    inputs: [],
    inputKind: 'args',
    outputs: [],
    outputKind: 'tensor',
    values,
    nodes: [],
    modules: [],
    lines: [],
    diagnostics: [],
    stateDict: [
      { name: 'w', shape: [64, 3, 3, 3], dtype: 'float32', role: 'param', modulePath: '', moduleType: 'Conv2d', init: { kind: 'zeros' } },
      { name: 'n', shape: [], dtype: 'int64', role: 'buffer', modulePath: '', moduleType: 'BatchNorm2d', init: { kind: 'zeros' } },
    ],
    paramsTotal: 0,
    flopsTotal: 0,
    classRange: null,
  };
}

test('estimate adds inputs, activations and twice the weights', () => {
  const e = estimateRunMemory(graph());
  assert.equal(e.inputBytes, 4 * 3 * 256 * 256 * 4);
  assert.equal(e.activationBytes, 4 * 64 * 256 * 256 * 4);
  assert.equal(e.weightBytes, 64 * 27 * 4 + 8);
  assert.equal(e.totalBytes, e.inputBytes + e.activationBytes + 2 * e.weightBytes);
  assert.equal(e.unknownValues, 1);
});

test('refuses above the limit with the estimate in the message', () => {
  assert.ok(checkRunMemory(graph(), 1024 ** 3).totalBytes > 0);
  assert.throws(
    () => checkRunMemory(graph(), 10 * 1024 ** 2),
    (e: unknown) => e instanceof MemoryLimitError && /estimated memory 67\.\d MiB/.test(e.message) && /limit of 10\.0 MiB/.test(e.message),
  );
});

test("a decoded .onnx file (the .onnx editor's Run) is guarded the same way: weights and activations counted, refused below them", () => {
  const bytes = new Uint8Array(readFileSync(join(__dirname, '../fixtures/onnx/example_fpn_segmenter.onnx')));
  const g = decodeOnnx(bytes, 'example_fpn_segmenter.onnx').graph;
  const est = checkRunMemory(g, 1024 ** 3);
  assert.ok(est.weightBytes > 0 && est.activationBytes > 0, JSON.stringify(est));
  assert.throws(
    () => checkRunMemory(g, Math.floor(est.totalBytes / 2)),
    (e: unknown) => e instanceof MemoryLimitError && /refusing to run/.test(e.message),
  );
});

test('a .safetensors file larger than the memory limit is refused by its size, before it is read', () => {
  assert.doesNotThrow(() => checkWeightsFileSize(1024 ** 2, 16 * 1024 ** 2, 'w.safetensors'));
  assert.doesNotThrow(() => checkWeightsFileSize(16 * 1024 ** 2, 16 * 1024 ** 2, 'w.safetensors'));
  assert.throws(
    () => checkWeightsFileSize(3 * 1024 ** 3, 1024 ** 3, 'big.safetensors'),
    /refusing to read big\.safetensors: the file is 3\.00 GiB, above the memory limit of 1\.00 GiB \(setting fusionLens\.memoryLimitMB\)/,
  );
});
