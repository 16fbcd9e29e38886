// fast-check arbitraries for well-framed files that lie: safetensors headers and ONNX messages with impossible sizes.
import fc from 'fast-check';
import { modelProtoType } from '../../src/core/onnx/onnxSchema';

// ---------------------------------------------------------------- safetensors

export type HeaderLie =
  | { kind: 'shape'; entry: number; shape: unknown }
  | { kind: 'offsets'; entry: number; offsets: unknown }
  | { kind: 'dtype'; entry: number; dtype: unknown }
  | { kind: 'entry'; entry: number; value: unknown }
  | { kind: 'metadata'; value: unknown }
  | { kind: 'lengthField'; delta: number }
  | { kind: 'rawHeader'; text: string };

const hugeInt = fc.constantFrom(2 ** 31, 2 ** 32 + 1, 2 ** 40, 2 ** 53 - 1, 2 ** 53 + 2, 1e300, -1, -(2 ** 53), 0.5, Number.MAX_SAFE_INTEGER);
const lyingValue = fc.oneof(hugeInt, fc.constantFrom(null, true, 'F32', [], {}, [[1]], '1e9'), fc.integer({ min: -3, max: 1 << 20 }));

export const headerLieArb: fc.Arbitrary<HeaderLie> = fc.oneof(
  fc.record({ kind: fc.constant('shape' as const), entry: fc.nat(), shape: fc.oneof(fc.array(fc.oneof(hugeInt, fc.nat(64)), { maxLength: 8 }), lyingValue) }),
  fc.record({
    kind: fc.constant('offsets' as const),
    entry: fc.nat(),
    offsets: fc.oneof(fc.tuple(fc.oneof(hugeInt, fc.nat(1 << 16)), fc.oneof(hugeInt, fc.nat(1 << 16))), lyingValue),
  }),
  fc.record({
    kind: fc.constant('dtype' as const),
    entry: fc.nat(),
    dtype: fc.constantFrom('F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL', 'F8_E4M3', 'U64', '', 'f32', 7, null),
  }),
  fc.record({ kind: fc.constant('entry' as const), entry: fc.nat(), value: lyingValue }),
  fc.record({ kind: fc.constant('metadata' as const), value: fc.oneof(lyingValue, fc.dictionary(fc.string({ maxLength: 4 }), lyingValue, { maxKeys: 3 })) }),
  fc.record({ kind: fc.constant('lengthField' as const), delta: fc.oneof(fc.integer({ min: -64, max: 64 }), hugeInt) }),
  fc.record({
    kind: fc.constant('rawHeader' as const),
    text: fc.oneof(
      fc.integer({ min: 1, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
      fc.integer({ min: 1, max: 200_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
      fc.constantFrom(
        '',
        'null',
        '[]',
        '"x"',
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}',
        '\uFFFF',
        '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
      ),
      fc.string({ maxLength: 64 }),
    ),
  }),
);

function u64le(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(Math.trunc(n))), true);
  return out;
}

/** Rewrites a valid safetensors file with one lie in its header (the data region is kept). */
export function applyHeaderLie(file: Uint8Array, lie: HeaderLie): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const data = file.subarray(8 + n);
  let text: string;
  let lengthDelta = 0;
  if (lie.kind === 'rawHeader') text = lie.text;
  else {
    const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, Record<string, unknown>>;
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    const name = names.length ? names[('entry' in lie ? lie.entry : 0) % names.length]! : 'x';
    const entry = header[name] ?? {};
    if (lie.kind === 'shape') entry.shape = lie.shape;
    else if (lie.kind === 'offsets') entry.data_offsets = lie.offsets;
    else if (lie.kind === 'dtype') entry.dtype = lie.dtype;
    else if (lie.kind === 'entry') (header as Record<string, unknown>)[name] = lie.value;
    else if (lie.kind === 'metadata') (header as Record<string, unknown>).__metadata__ = lie.value;
    else lengthDelta = lie.delta;
    if (lie.kind !== 'entry') header[name] = entry;
    text = JSON.stringify(header);
  }
  const bytes = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + bytes.length + data.length);
  out.set(u64le(bytes.length + lengthDelta), 0);
  out.set(bytes, 8);
  out.set(data, 8 + bytes.length);
  return out;
}

// ---------------------------------------------------------------- ONNX

export type OnnxLie =
  | { kind: 'initDims'; at: number; dims: number[] }
  | { kind: 'initType'; at: number; dataType: number }
  | { kind: 'initRaw'; at: number; cut: number }
  | { kind: 'external'; at: number }
  | { kind: 'dropOpType'; at: number }
  | { kind: 'renameInput'; at: number; name: string }
  | { kind: 'attrTensor'; at: number; dims: number[] }
  | { kind: 'nestGraphs'; at: number; depth: number }
  | { kind: 'valueDims'; at: number; dims: number[] }
  | { kind: 'opset'; version: number };

const dimArb = fc.oneof(
  fc.nat(64),
  hugeInt.filter((d) => Number.isInteger(d)),
);

export const onnxLieArb: fc.Arbitrary<OnnxLie> = fc.oneof(
  fc.record({ kind: fc.constant('initDims' as const), at: fc.nat(), dims: fc.array(dimArb, { maxLength: 6 }) }),
  fc.record({ kind: fc.constant('initType' as const), at: fc.nat(), dataType: fc.integer({ min: -2, max: 40 }) }),
  fc.record({ kind: fc.constant('initRaw' as const), at: fc.nat(), cut: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('external' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dropOpType' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('renameInput' as const), at: fc.nat(), name: fc.constantFrom('', 'nope', 'x', '\u0000', 'a'.repeat(5000)) }),
  fc.record({ kind: fc.constant('attrTensor' as const), at: fc.nat(), dims: fc.array(dimArb, { maxLength: 5 }) }),
  fc.record({ kind: fc.constant('nestGraphs' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant('valueDims' as const), at: fc.nat(), dims: fc.array(dimArb, { maxLength: 6 }) }),
  fc.record({
    kind: fc.constant('opset' as const),
    version: fc.oneof(
      fc.integer({ min: -5, max: 30 }),
      hugeInt.filter((d) => Number.isInteger(d)),
    ),
  }),
);

type Obj = Record<string, unknown>;
const at = <T>(list: T[] | undefined, i: number): T | undefined => (list && list.length ? list[i % list.length] : undefined);

/** Re-encodes a valid ONNX file with one structural lie (sizes, types, names, nesting). */
export function applyOnnxLie(file: Uint8Array, lie: OnnxLie): Uint8Array {
  if (lie.kind === 'nestGraphs') return appendNestedGraph(file, lie.depth);
  const type = modelProtoType();
  const m = type.decode(file) as unknown as Obj;
  const g = m.graph as Obj;
  const inits = g.initializer as Obj[];
  const nodes = g.node as Obj[];
  switch (lie.kind) {
    case 'initDims': {
      const t = at(inits, lie.at);
      if (t) t.dims = lie.dims;
      break;
    }
    case 'initType': {
      const t = at(inits, lie.at);
      if (t) t.dataType = lie.dataType;
      break;
    }
    case 'initRaw': {
      const t = at(inits, lie.at);
      if (t && t.rawData instanceof Uint8Array) t.rawData = t.rawData.subarray(0, Math.max(0, t.rawData.length - lie.cut));
      break;
    }
    case 'external': {
      const t = at(inits, lie.at);
      if (t)
        Object.assign(t, {
          dataLocation: 1,
          externalData: [
            { key: 'location', value: '../../etc/passwd' },
            { key: 'offset', value: '1e99' },
            { key: 'length', value: '-1' },
          ],
        });
      break;
    }
    case 'dropOpType': {
      const n = at(nodes, lie.at);
      if (n) n.opType = '';
      break;
    }
    case 'renameInput': {
      const n = at(nodes, lie.at);
      if (n && Array.isArray(n.input) && n.input.length) (n.input as string[])[lie.at % n.input.length] = lie.name;
      break;
    }
    case 'attrTensor': {
      const n = at(nodes, lie.at);
      if (n) n.attribute = [...((n.attribute as Obj[]) ?? []), { name: 'value', type: 4, t: { dims: lie.dims, dataType: 1, rawData: new Uint8Array(8) } }];
      break;
    }
    case 'valueDims': {
      const v = at([...(g.input as Obj[]), ...(g.output as Obj[])], lie.at);
      const tt = (v?.type as Obj | undefined)?.tensorType as Obj | undefined;
      if (tt) tt.shape = { dim: lie.dims.map((d) => ({ dimValue: d })) };
      break;
    }
    case 'opset':
      m.opsetImport = [{ domain: '', version: lie.version }];
      break;
  }
  return type.encode(m).finish();
}

// ---------------------------------------------------------------- deep nesting, written by hand (protobufjs refuses to encode it)

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/**
 * Appends a second `graph` field to the ModelProto (the decoder keeps the last one): one If node whose
 * then_branch graph holds an If node, `depth` levels deep. Field numbers as in onnx.proto. Every nested
 * message is the last field of its parent, so each level is a header in front of the next level's bytes.
 */
export function appendNestedGraph(file: Uint8Array, depth: number): Uint8Array {
  const headers: number[][] = [];
  let inner = 0; // length of the graph nested at the current level
  for (let d = 0; d < depth; d++) {
    const attrHead = [0x0a, 11, ...ascii('then_branch'), 0xa0, 0x01, 5, 0x32, ...varint(inner)];
    const nodeHeadFields = [0x0a, 1, ...ascii('c'), 0x12, 1, ...ascii('o'), 0x22, 2, ...ascii('If'), 0x2a];
    const attrLen = attrHead.length + inner;
    const nodeLen = nodeHeadFields.length + varint(attrLen).length + attrLen;
    const graphHead = [0x0a, ...varint(nodeLen)];
    headers.push([...graphHead, ...nodeHeadFields, ...varint(attrLen), ...attrHead]);
    inner = graphHead.length + nodeLen;
  }
  const tail = [0x3a, ...varint(inner)];
  const out = new Uint8Array(file.length + tail.length + inner);
  out.set(file);
  out.set(tail, file.length);
  let at = file.length + tail.length;
  for (let d = headers.length - 1; d >= 0; d--) {
    out.set(headers[d]!, at);
    at += headers[d]!.length;
  }
  return out;
}
