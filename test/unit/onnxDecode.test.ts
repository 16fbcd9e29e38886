// Unit tests of the ONNX decoder: a hand-built model decodes with inferred shapes; corrupt bytes give clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelProtoType } from '../../src/core/onnx/onnxSchema';
import { decodeOnnx, scopeOfNodeName } from '../../src/core/onnx/decodeOnnx';
import { OnnxFormatError } from '../../src/core/onnx/onnxProto';
import { formatShapeConcrete } from '../../src/core/shape/shape';

const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
const f32 = (name: string, dims: number[]) => {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n).map((_, i) => i / n);
  return { name, dims, dataType: 1, rawData: new Uint8Array(data.buffer) };
};
const i64 = (name: string, values: number[]) => ({ name, dims: [values.length], dataType: 7, int64Data: values });
const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });

/** A small conv → relu → pool → flatten → gemm model with only input and output shapes declared. */
function smallModel(extra: Record<string, unknown> = {}): Uint8Array {
  const model = {
    irVersion: 8,
    producerName: 'unit-test',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'small',
      input: [vi('x', [2, 3, 8, 8])],
      output: [vi('y', [2, 5])],
      initializer: [f32('w', [4, 3, 3, 3]), f32('b', [4]), f32('fc.w', [5, 64]), i64('shape', [2, -1])],
      node: [
        { opType: 'Conv', name: '/conv1/Conv', input: ['x', 'w', 'b'], output: ['c'], attribute: [ints('pads', [1, 1, 1, 1]), ints('kernel_shape', [3, 3])] },
        { opType: 'Relu', name: '/act/Relu', input: ['c'], output: ['r'] },
        { opType: 'MaxPool', name: '/pool/MaxPool', input: ['r'], output: ['p'], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
        { opType: 'Reshape', input: ['p', 'shape'], output: ['f'] },
        { opType: 'FancyCustomOp', domain: 'com.example', input: ['f'], output: ['g'] },
        { opType: 'Gemm', input: ['f', 'fc.w'], output: ['y'], attribute: [{ name: 'transB', type: 2, i: 1 }] },
      ],
      ...extra,
    },
  };
  return modelProtoType().encode(model).finish();
}

test('decodes a hand-built model with inferred intermediate shapes', () => {
  const d = decodeOnnx(smallModel(), 'small.onnx');
  assert.equal(d.opset, 17);
  assert.equal(d.graph.nodes.length, 6);
  assert.deepEqual(
    d.graph.nodes.map((n) => n.op),
    ['onnx.Conv', 'onnx.Relu', 'onnx.MaxPool', 'onnx.Reshape', 'onnx.com.example.FancyCustomOp', 'onnx.Gemm'],
  );
  const shape = (id: string) => formatShapeConcrete(d.graph.values.get(id)!.shape!);
  assert.equal(shape('c'), '[2, 4, 8, 8]');
  assert.equal(shape('p'), '[2, 4, 4, 4]');
  assert.equal(shape('f'), '[2, 64]');
  assert.equal(shape('y'), '[2, 5]');
  assert.equal(d.graph.values.get('g')!.shape, null);
  assert.equal(d.graph.inputs.length, 1);
  assert.equal(d.graph.paramsTotal, 4 * 27 + 4 + 5 * 64);
  assert.equal(d.graph.nodes[0]!.flops, 2 * 2 * 4 * 8 * 8 * 27);
  assert.equal(d.graph.nodes[0]!.scope, 'conv1');
  assert.ok(d.graph.diagnostics.some((x) => x.code === 'onnx-unknown-op' && x.message.includes('FancyCustomOp')));
  const w = d.initializers.get('w')!;
  assert.ok(w.data instanceof Float32Array);
  assert.equal(w.data.length, 108);
  assert.equal(d.initializers.get('shape')!.data![1], -1n);
});

test('external data is reported as a diagnostic, not loaded', () => {
  const ext = {
    name: 'big',
    dims: [1000, 1000],
    dataType: 1,
    dataLocation: 1,
    externalData: [
      { key: 'location', value: 'weights.bin' },
      { key: 'offset', value: '4096' },
    ],
  };
  const bytes = modelProtoType()
    .encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g', initializer: [ext], node: [], input: [], output: [] } })
    .finish();
  const d = decodeOnnx(bytes);
  assert.equal(d.initializers.get('big')!.data, null);
  assert.equal(d.initializers.get('big')!.external!.offset, 4096);
  assert.ok(d.graph.diagnostics.some((x) => x.code === 'onnx-external-data' && x.message.includes('weights.bin')));
});

test('scope of torch.onnx node names follows named_modules paths', () => {
  assert.equal(scopeOfNodeName('/layer1/layer1.0/conv1/Conv'), 'layer1.0.conv1');
  assert.equal(scopeOfNodeName('/Concat'), '');
  assert.equal(scopeOfNodeName(''), '');
});

test('truncated files give an OnnxFormatError at every cut point', () => {
  const bytes = smallModel();
  let decodedPrefixes = 0;
  for (let cut = 0; cut < bytes.length; cut++) {
    try {
      decodeOnnx(bytes.subarray(0, cut));
      decodedPrefixes++; // a prefix ending on a field boundary can be a valid (smaller) model
    } catch (e) {
      assert.ok(e instanceof OnnxFormatError, `cut ${cut}: ${String(e)}`);
    }
  }
  assert.ok(decodedPrefixes < bytes.length / 2);
});

test('bit-flipped files either decode or give an OnnxFormatError, never another exception', () => {
  const bytes = smallModel();
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let errors = 0;
  for (let trial = 0; trial < 500; trial++) {
    const copy = new Uint8Array(bytes);
    // Nodes are encoded first (field order); flipping there hits structure rather than weight bytes.
    for (let k = 0; k < 3; k++) copy[Math.floor(rand() * 400)]! ^= 1 << Math.floor(rand() * 8);
    try {
      decodeOnnx(copy);
    } catch (e) {
      assert.ok(e instanceof OnnxFormatError, `trial ${trial}: ${String(e)}`);
      errors++;
    }
  }
  assert.ok(errors > 0);
});

test('oversized files are refused before decoding', () => {
  const bytes = smallModel();
  assert.throws(() => decodeOnnx(bytes, 'x.onnx', { maxBytes: 100 }), /above the limit of 100 bytes/);
});

test('lying sizes: raw_data shorter than the dims, huge dims, huge length prefix', () => {
  const lying = { name: 'w', dims: [1000, 1000], dataType: 1, rawData: new Uint8Array(16) };
  const a = modelProtoType()
    .encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g', initializer: [lying] } })
    .finish();
  assert.throws(
    () => decodeOnnx(a),
    (e: unknown) => e instanceof OnnxFormatError && /raw_data has 16 bytes/.test(e.message),
  );
  const huge = { name: 'w', dims: [1 << 30, 1 << 30, 1 << 30], dataType: 1 };
  const b = modelProtoType()
    .encode({ irVersion: 8, graph: { name: 'g', initializer: [huge] } })
    .finish();
  assert.throws(
    () => decodeOnnx(b),
    (e: unknown) => e instanceof OnnxFormatError && /too large/.test(e.message),
  );
  // Field 7 (graph), wire type 2, with a length prefix of ~2 GB and 3 bytes of payload.
  const c = new Uint8Array([0x3a, 0xff, 0xff, 0xff, 0xff, 0x07, 1, 2, 3]);
  assert.throws(() => decodeOnnx(c), OnnxFormatError);
});

test('a real exported model: every truncation and random bit flips end in a decode or an OnnxFormatError', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const bytes = new Uint8Array(readFileSync(join(__dirname, '../fixtures/onnx/cbam_9x11.onnx')));
  for (let k = 0; k < 300; k++) {
    const cut = Math.floor((k / 300) * bytes.length);
    try {
      decodeOnnx(bytes.subarray(0, cut));
    } catch (e) {
      assert.ok(e instanceof OnnxFormatError, `cut ${cut}: ${String(e)}`);
    }
  }
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let failures = 0;
  for (let trial = 0; trial < 300; trial++) {
    const copy = new Uint8Array(bytes);
    // Structure (graph nodes, names, dims) sits outside the weight bytes: flip in the first 2 KB and anywhere.
    copy[Math.floor(rand() * Math.min(2048, copy.length))]! ^= 1 << Math.floor(rand() * 8);
    copy[Math.floor(rand() * copy.length)]! ^= 1 << Math.floor(rand() * 8);
    try {
      decodeOnnx(copy);
    } catch (e) {
      assert.ok(e instanceof OnnxFormatError, `trial ${trial}: ${String(e)}`);
      failures++;
    }
  }
  assert.ok(failures > 0);
});
