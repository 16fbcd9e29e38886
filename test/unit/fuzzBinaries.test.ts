// Bounded, seeded fuzzing of the .onnx decoder and the .safetensors reader on corrupt bytes; `npm run fuzz` runs the large version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOnnx } from '../../src/core/onnx/decodeOnnx';
import { OnnxFormatError } from '../../src/core/onnx/onnxProto';
import { readSafetensors, SafetensorsError } from '../../src/core/weights/readSafetensors';
import { DEFAULT_CONFIG, makeContext, runChunk, type ChunkResult } from '../fuzz/fuzzJobs';
import { applyHeaderLie, applyOnnxLie } from '../fuzz/headerMutations';
import { modelProtoType } from '../../src/core/onnx/onnxSchema';

// No wall-clock limit in tests (the memory bound and the error class still hold).
const ctx = makeContext({ ...DEFAULT_CONFIG, binaryLimits: { ...DEFAULT_CONFIG.binaryLimits, maxMs: Number.POSITIVE_INFINITY } });

function assertPassed(r: ChunkResult): void {
  assert.equal(r.failure, null, r.failure ? `${r.failure.error}\ncounterexample ${r.failure.counterexample}\n${r.failure.input}` : '');
}

test('300 corrupt .onnx files: each decodes or throws OnnxFormatError, within the allocation bound', () => {
  const r = runChunk(ctx, 'onnx', 0, 300, 99);
  assertPassed(r);
  assert.equal(r.executions, 300);
  // The damage is real: most cases are refused, and the refusals name several distinct problems.
  const refused = Object.entries(r.outcomes).filter(([k]) => k !== 'decoded');
  assert.ok(refused.reduce((a, [, n]) => a + n, 0) > 150 && refused.length >= 5, JSON.stringify(r.outcomes));
});

test('300 corrupt .safetensors files: each reads or throws SafetensorsError, within the allocation bound', () => {
  const r = runChunk(ctx, 'safetensors', 0, 300, 99);
  assertPassed(r);
  const refused = Object.entries(r.outcomes).filter(([k]) => k !== 'decoded');
  assert.ok(refused.reduce((a, [, n]) => a + n, 0) > 150 && refused.length >= 5, JSON.stringify(r.outcomes));
});

const seedSt = ctx.safetensors[0]!.bytes;
const seedOnnx = ctx.onnx[0]!.bytes;

function throwsClear(fn: () => unknown, cls: new (...a: never[]) => Error, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof cls && pattern.test((e as Error).message));
}

test('lying safetensors headers are refused by name, without allocating what they claim', () => {
  const before = process.memoryUsage().arrayBuffers;
  throwsClear(
    () => readSafetensors(applyHeaderLie(seedSt, { kind: 'shape', entry: 0, shape: [2 ** 31, 2 ** 31] })),
    SafetensorsError,
    /larger than the \d+-byte data region/,
  );
  throwsClear(() => readSafetensors(applyHeaderLie(seedSt, { kind: 'offsets', entry: 0, offsets: [0, 2 ** 53 - 1] })), SafetensorsError, /data_offsets/);
  throwsClear(() => readSafetensors(applyHeaderLie(seedSt, { kind: 'lengthField', delta: 2 ** 40 })), SafetensorsError, /header length/);
  throwsClear(() => readSafetensors(applyHeaderLie(seedSt, { kind: 'dtype', entry: 0, dtype: 'F8_E4M3' })), SafetensorsError, /dtype/);
  throwsClear(
    () => readSafetensors(applyHeaderLie(seedSt, { kind: 'rawHeader', text: '['.repeat(100_000) + ']'.repeat(100_000) })),
    SafetensorsError,
    /not a JSON object|not valid/,
  );
  assert.ok(process.memoryUsage().arrayBuffers - before < 16 << 20);
});

test('lying ONNX messages are refused by name: huge or negative dims, wrong raw sizes, no op type, a file above the byte limit', () => {
  throwsClear(
    () => decodeOnnx(applyOnnxLie(seedOnnx, { kind: 'initDims', at: 0, dims: [2 ** 40, 2 ** 40] })),
    OnnxFormatError,
    /too large|raw_data|out of range/,
  );
  throwsClear(() => decodeOnnx(applyOnnxLie(seedOnnx, { kind: 'initDims', at: 0, dims: [3, -(2 ** 53)] })), OnnxFormatError, /negative|out of range/);
  throwsClear(() => decodeOnnx(applyOnnxLie(seedOnnx, { kind: 'dropOpType', at: 0 })), OnnxFormatError, /no op_type/);
  throwsClear(() => decodeOnnx(seedOnnx, 'x.onnx', { maxBytes: 1024 }), OnnxFormatError, /above the limit/);
  throwsClear(() => decodeOnnx(new Uint8Array(0)), OnnxFormatError, /empty/);
});

test('deeply nested ONNX subgraphs end in a clear error or a decode, never a RangeError', () => {
  for (const depth of [10, 500, 100_000]) {
    const bytes = applyOnnxLie(seedOnnx, { kind: 'nestGraphs', at: 0, depth });
    try {
      decodeOnnx(bytes);
    } catch (e) {
      assert.ok(e instanceof OnnxFormatError, `depth ${depth}: ${String(e)}`);
    }
  }
});

test(
  'a Slice or Split axis far outside the rank gives an unknown shape instead of a sparse array billions long (found by fuzzing: a hang)',
  { timeout: 120_000 },
  () => {
    const i64 = (name: string, values: number[]) => ({ name, dims: [values.length], dataType: 7, int64Data: values });
    const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
    const bytes = modelProtoType()
      .encode({
        irVersion: 8,
        opsetImport: [{ domain: '', version: 17 }],
        graph: {
          name: 'axes',
          input: [vi('x', [3, 3, 15, 16])],
          output: [{ name: 's' }, { name: 'p0' }],
          initializer: [i64('starts', [0]), i64('ends', [2]), i64('axes', [3976200192])],
          node: [
            { opType: 'Shape', input: ['x'], output: ['shape'] },
            { opType: 'Slice', input: ['shape', 'starts', 'ends', 'axes'], output: ['s'] },
            { opType: 'Split', input: ['x'], output: ['p0', 'p1'], attribute: [{ name: 'axis', type: 2, i: 3976200192 }] },
          ],
        },
      })
      .finish();
    const d = decodeOnnx(bytes, 'axes.onnx');
    assert.equal(d.graph.values.get('s')!.shape, null);
    assert.equal(d.graph.values.get('p0')!.shape, null);
  },
);
