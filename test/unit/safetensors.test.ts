// Safetensors reader and writer: round trips, the oracle's files, and corrupt inputs rejected with clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, SafetensorsError } from '../../src/core/weights/readSafetensors';
import { writeSafetensors } from '../../src/core/weights/writeSafetensors';
import { halfToNumber, toFloat32 } from '../../src/core/weights/toFloat32';
import type { TensorData } from '../../src/core/weights/tensorData';
import fc from 'fast-check';
import { sharedPath, sharedSkip } from '../support/shared.mjs';

const ORACLE = sharedPath('oracle');
const FIXTURES = join(__dirname, '../fixtures');

function sample(): [string, TensorData][] {
  return [
    ['mask', { dtype: 'bool', shape: [3], data: new Uint8Array([1, 0, 1]) }],
    ['conv.weight', { dtype: 'float32', shape: [2, 1, 1, 3], data: new Float32Array([1.5, -2, 3, 0.25, -0, 1e-30]) }],
    ['half', { dtype: 'float16', shape: [2], data: new Uint16Array([0x3c00, 0xc000]) }],
    ['bn.num_batches_tracked', { dtype: 'int64', shape: [], data: new BigInt64Array([7n]) }],
    ['empty', { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) }],
    ['f64', { dtype: 'float64', shape: [1], data: new Float64Array([Math.PI]) }],
    ['i32', { dtype: 'int32', shape: [2], data: new Int32Array([-5, 2 ** 31 - 1]) }],
  ];
}

/** A file from a raw header text and data bytes; `lenField` lies about the header length when given. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0), lenField?: bigint): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lenField ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function expectError(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => readSafetensors(bytes, 'bad.safetensors'),
    (e: unknown) => {
      assert.ok(e instanceof SafetensorsError, `expected SafetensorsError, got ${String(e)}`);
      assert.match(e.message, /^bad\.safetensors: /);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('round trip keeps names, dtypes, shapes, values and metadata', () => {
  const bytes = writeSafetensors(sample(), { id: 'x', torch_version: '1.13' });
  const file = readSafetensors(bytes);
  assert.deepEqual(file.metadata, { id: 'x', torch_version: '1.13' });
  for (const [name, t] of sample()) {
    const got = file.tensors.get(name);
    assert.ok(got, name);
    assert.equal(got.dtype, t.dtype);
    assert.deepEqual(got.shape, t.shape);
    assert.deepEqual([...got.data], [...t.data]);
    assert.equal(got.zeroCopy, true, `${name} should be a view`);
  }
  assert.ok(Object.is(file.tensors.get('conv.weight')!.data[4], -0));
});

test('layout: header padded to 8, tensors by decreasing element size, each aligned', () => {
  const bytes = writeSafetensors(sample());
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(n % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assert.equal('__metadata__' in header, false);
  const names = Object.keys(header);
  assert.deepEqual(names, ['bn.num_batches_tracked', 'f64', 'conv.weight', 'empty', 'i32', 'half', 'mask']);
  let cursor = 0;
  for (const name of names) {
    const [b, e] = header[name].data_offsets;
    assert.equal(b, cursor);
    cursor = e;
  }
  assert.equal(8 + n + cursor, bytes.length);
});

test('integer-like tensor names keep their place in the header', () => {
  const t = (v: number): TensorData => ({ dtype: 'float32', shape: [1], data: new Float32Array([v]) });
  const bytes = writeSafetensors([
    ['b', t(1)],
    ['10', t(2)],
    ['2', t(3)],
  ]);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  assert.ok(text.indexOf('"b"') < text.indexOf('"10"') && text.indexOf('"10"') < text.indexOf('"2"'), text);
  const file = readSafetensors(bytes);
  assert.deepEqual([...file.tensors.get('10')!.data, ...file.tensors.get('2')!.data, ...file.tensors.get('b')!.data], [2, 3, 1]);
});

test('misaligned buffers are copied, not viewed', () => {
  const bytes = writeSafetensors(sample());
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const file = readSafetensors(shifted.subarray(1));
  const w = file.tensors.get('conv.weight')!;
  assert.equal(w.zeroCopy, false);
  assert.deepEqual([...w.data], [1.5, -2, 3, 0.25, -0, Math.fround(1e-30)]);
  assert.equal(file.tensors.get('mask')!.zeroCopy, true); // bytes are always aligned
});

test('float16 and bfloat16 convert to float32', () => {
  assert.equal(halfToNumber(0x3c00), 1);
  assert.equal(halfToNumber(0xc000), -2);
  assert.equal(halfToNumber(0x7bff), 65504);
  assert.equal(halfToNumber(0x0001), 2 ** -24);
  assert.equal(halfToNumber(0x7c00), Infinity);
  assert.ok(Number.isNaN(halfToNumber(0x7e00)));
  const bf = toFloat32({ dtype: 'bfloat16', shape: [2], data: new Uint16Array([0x3f80, 0xc040]) });
  assert.deepEqual([...bf], [1, -3]);
  const f32 = new Float32Array([1, 2]);
  assert.equal(toFloat32({ dtype: 'float32', shape: [2], data: f32 }), f32);
});

test('writer refuses inconsistent tensors', () => {
  assert.throws(() => writeSafetensors([['a', { dtype: 'float32', shape: [3], data: new Float32Array(2) }]]), /'a'.*3 elements.*2/);
  assert.throws(() => writeSafetensors([['a', { dtype: 'int64', shape: [1], data: new Float32Array(1) }]]), /'a'.*Float32Array.*int64/);
  const t: TensorData = { dtype: 'uint8', shape: [1], data: new Uint8Array(1) };
  assert.throws(
    () =>
      writeSafetensors([
        ['a', t],
        ['a', t],
      ]),
    /'a' is given twice/,
  );
});

test('corrupt: too short, lying header length, bad JSON, bad UTF-8', () => {
  expectError(new Uint8Array(5), /too short/);
  expectError(rawFile('{}', new Uint8Array(0), 2n ** 63n), /header length 9223372036854775808 exceeds/);
  expectError(rawFile('{}', new Uint8Array(0), 3n), /exceeds the 2 bytes/);
  expectError(rawFile('{"a": {"dtype": "F32",'), /not valid UTF-8 JSON/);
  expectError(rawFile('[1, 2]'), /not a JSON object/);
  const badUtf8 = rawFile('{"\u00e9": 1}');
  badUtf8[10] = 0xff;
  expectError(badUtf8, /not valid UTF-8 JSON/);
});

test('corrupt: dtype, shape and offsets are validated and name the tensor', () => {
  const four = new Uint8Array(4);
  expectError(rawFile('{"w": {"dtype": "F8", "shape": [1], "data_offsets": [0, 4]}}', four), /tensor 'w': dtype "F8" is not one of F64, F32/);
  expectError(rawFile('{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}', four), /tensor 'w': shape must be/);
  expectError(rawFile('{"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}', four), /tensor 'w': shape must be/);
  expectError(rawFile('{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}}', four), /tensor 'w': data_offsets must be/);
  expectError(
    rawFile('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}', new Uint8Array(8)),
    /tensor 'w': shape \[2\] of F32 needs 8 bytes but data_offsets span 4/,
  );
  expectError(rawFile('{"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}', four), /tensor 'w': data_offsets \[4, 8\] lie outside the 4-byte/);
  expectError(rawFile('{"__metadata__": {"a": 1}}'), /__metadata__ value of 'a' is not a string/);
  expectError(rawFile('{"w": 3}'), /tensor 'w': entry is not an object/);
});

test('corrupt: huge shapes are refused before any allocation', () => {
  const big = 2 ** 40;
  expectError(
    rawFile(`{"w": {"dtype": "F32", "shape": [${big}, ${big}], "data_offsets": [0, 4]}}`, new Uint8Array(4)),
    /tensor 'w': shape \[1099511627776, 1099511627776\] is larger than the 4-byte data region/,
  );
  // a zero dimension makes any other dimension harmless
  const ok = readSafetensors(rawFile(`{"w": {"dtype": "F32", "shape": [0, ${big}], "data_offsets": [0, 0]}}`));
  assert.equal(ok.tensors.get('w')!.data.length, 0);
});

test('corrupt: overlapping offsets, gaps, trailing bytes, truncation', () => {
  const eight = new Uint8Array(8);
  const entry = (name: string, b: number, e: number) => `"${name}": {"dtype": "U8", "shape": [${e - b}], "data_offsets": [${b}, ${e}]}`;
  expectError(rawFile(`{${entry('a', 0, 6)}, ${entry('b', 4, 8)}}`, eight), /tensors 'a' and 'b' overlap/);
  expectError(rawFile(`{${entry('a', 0, 2)}, ${entry('b', 4, 8)}}`, eight), /gap at bytes 2\.\.4 before tensor 'b'/);
  expectError(rawFile(`{${entry('a', 0, 6)}}`, eight), /2 trailing bytes/);
  const good = writeSafetensors(sample());
  expectError(good.subarray(0, good.length - 3), /lie outside|needs/);
  expectError(good.subarray(0, 20), /header length \d+ exceeds/);
});

/** Every safetensors file under `dir`: it must parse, and writing it back must give the same bytes. */
function checkFolder(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.safetensors'))) {
    const bytes = readFileSync(join(dir, name));
    const file = readSafetensors(bytes, name);
    assert.ok(file.metadata && file.metadata.id === name.replace('.safetensors', ''), `${name}: metadata id`);
    for (const t of file.tensors.values()) assert.equal(t.zeroCopy || t.data.BYTES_PER_ELEMENT === 1, true, `${name}: ${t.name} not viewed`);
    const again = writeSafetensors([...file.tensors], file.metadata);
    assert.equal(Buffer.compare(Buffer.from(again), bytes), 0, `${name}: rewrite differs`);
    n++;
  }
  return n;
}

/** io files hold input.i then output.i, with the output shapes the expected JSON lists. */
function checkIo(root: string): void {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as {
    id: string;
    io?: string;
    inputs: { shape: number[] }[];
    outputs: number[][];
  }[];
  let checked = 0;
  for (const c of manifest) {
    if (!c.io) continue;
    const file = readSafetensors(readFileSync(join(root, c.io)), c.io);
    c.inputs.forEach((inp, i) => assert.deepEqual(file.tensors.get(`input.${i}`)?.shape, inp.shape, `${c.id} input.${i}`));
    c.outputs.forEach((out, i) => assert.deepEqual(file.tensors.get(`output.${i}`)?.shape, out, `${c.id} output.${i}`));
    assert.equal(file.tensors.size, c.inputs.length + c.outputs.length, c.id);
    checked++;
  }
  assert.ok(checked > 0);
}

test('the shared oracle files read and rewrite byte for byte', { skip: sharedSkip('oracle', 'manifest.json') }, () => {
  assert.ok(checkFolder(join(ORACLE, 'io')) > 0);
  assert.ok(checkFolder(join(ORACLE, 'weights')) > 0);
  checkIo(ORACLE);
});

test("the project's own fixtures read and rewrite byte for byte", () => {
  assert.ok(checkFolder(join(FIXTURES, 'io')) > 0);
  assert.ok(checkFolder(join(FIXTURES, 'weights')) > 0);
  checkIo(FIXTURES);
});

test('random corruption gives a valid file or a SafetensorsError, never another failure', () => {
  const good = writeSafetensors(sample(), { id: 'fuzz' });
  const headerEnd = 8 + Number(new DataView(good.buffer).getBigUint64(0, true));
  fc.assert(
    fc.property(
      fc.oneof(
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(good.length) }),
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(headerEnd - 1), bit: fc.nat(7) }),
        fc.record({ kind: fc.constant('byte' as const), at: fc.nat(headerEnd - 1), value: fc.nat(255) }),
        fc.record({ kind: fc.constant('length' as const), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
      ),
      (m) => {
        let bytes = good.slice();
        if (m.kind === 'truncate') bytes = bytes.subarray(0, m.at);
        else if (m.kind === 'flip') bytes[m.at] = bytes[m.at]! ^ (1 << m.bit);
        else if (m.kind === 'byte') bytes[m.at] = m.value;
        else new DataView(bytes.buffer).setBigUint64(0, m.value, true);
        try {
          const file = readSafetensors(bytes);
          for (const t of file.tensors.values())
            assert.equal(
              t.data.length,
              t.shape.reduce((a, b) => a * b, 1),
            );
        } catch (e) {
          assert.ok(e instanceof SafetensorsError, `${m.kind}: ${String(e)}`);
        }
      },
    ),
    { numRuns: 2000, seed: 42 },
  );
});
