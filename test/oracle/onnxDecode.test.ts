// Every oracle and fixture ONNX file decodes: node count and op types match an independent wire scan, output shapes match the manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeOnnx } from '../../src/core/onnx/decodeOnnx';
import { concreteShape, formatShapeConcrete } from '../../src/core/shape/shape';
import { sharedPath, sharedSkip } from '../support/shared.mjs';

const ORACLE = sharedPath('oracle');
const FIXTURES = resolve(__dirname, '../fixtures');

interface Case {
  id: string;
  onnx?: string;
  outputs: number[][];
}

/** Minimal protobuf walk, independent of the decoder: the op_type of every node of ModelProto.graph. */
function scanOpTypes(buf: Uint8Array): string[] {
  const varint = (b: Uint8Array, p: { i: number }): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const byte = b[p.i++]!;
      v += (byte & 0x7f) * mul;
      mul *= 128;
      if (byte < 0x80) return v;
    }
  };
  const fields = (b: Uint8Array): [number, Uint8Array | number][] => {
    const out: [number, Uint8Array | number][] = [];
    const p = { i: 0 };
    while (p.i < b.length) {
      const key = varint(b, p);
      const wire = key & 7;
      if (wire === 0) out.push([key >>> 3, varint(b, p)]);
      else if (wire === 2) {
        const len = varint(b, p);
        out.push([key >>> 3, b.subarray(p.i, p.i + len)]);
        p.i += len;
      } else if (wire === 5) p.i += 4;
      else if (wire === 1) p.i += 8;
      else throw new Error(`wire type ${wire}`);
    }
    return out;
  };
  const graph = fields(buf).find(([f]) => f === 7)![1] as Uint8Array;
  return fields(graph)
    .filter(([f]) => f === 1)
    .map(([, node]) => new TextDecoder().decode(fields(node as Uint8Array).find(([f]) => f === 4)![1] as Uint8Array));
}

function casesOf(root: string): Case[] {
  const m = join(root, 'manifest.json');
  return existsSync(m) ? JSON.parse(readFileSync(m, 'utf8')) : [];
}

function checkAll(root: string, cases: Case[]): number {
  let checked = 0;
  for (const c of cases) {
    if (!c.onnx) continue;
    const bytes = readFileSync(join(root, c.onnx));
    const d = decodeOnnx(bytes, c.onnx);
    const ops = scanOpTypes(bytes);
    assert.equal(d.graph.nodes.length, ops.length, c.id);
    assert.deepEqual(
      d.graph.nodes.map((n) => n.op),
      ops.map((o) => `onnx.${o}`),
      c.id,
    );
    assert.deepEqual(
      d.graph.outputs.map((o) => concreteShape(d.graph.values.get(o)!.shape!)),
      c.outputs,
      c.id,
    );
    assert.equal(d.graph.diagnostics.filter((x) => x.severity === 'error').length, 0, c.id);
    // Inference alone (value_info ignored) must reproduce every shape the file declares.
    const inferred = decodeOnnx(bytes, c.onnx, { inferAll: true });
    for (const [id, v] of d.graph.values) {
      if (!v.shape) continue;
      const w = inferred.graph.values.get(id)!.shape;
      assert.ok(w, `${c.id}: ${id} not inferred`);
      assert.equal(formatShapeConcrete(w), formatShapeConcrete(v.shape), `${c.id}: ${id}`);
    }
    checked++;
  }
  return checked;
}

const oracleCases = casesOf(ORACLE);

test('oracle ONNX files decode with matching nodes and output shapes', { skip: sharedSkip('oracle', 'manifest.json') }, () => {
  assert.equal(checkAll(ORACLE, oracleCases), 23);
});

test('fixture ONNX files decode with matching nodes and output shapes', () => {
  const cases = casesOf(FIXTURES);
  assert.equal(checkAll(FIXTURES, cases), cases.filter((c) => c.onnx).length);
  assert.ok(cases.filter((c) => c.onnx).length >= 20);
});
