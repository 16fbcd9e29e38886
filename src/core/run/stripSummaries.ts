// Removes the in-graph summaries (everything that depends on the summary gate input) from ONNX bytes, so the model alone can run where float64 kernels are missing (onnxruntime-web's WebGPU build).
import { SUMMARY_GATE } from '../onnx/summaryGate';

/** One protobuf field of a message: its number, wire type and the raw bytes of key and value. */
interface Field {
  readonly no: number;
  readonly wire: number;
  /** Start of the key and end of the value in the message. */
  readonly start: number;
  readonly end: number;
  /** For length-delimited fields: the value's bytes. */
  readonly body?: Uint8Array;
}

function varint(b: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = pos; i < b.length; i++) {
    v += (b[i]! & 0x7f) * mul;
    if (b[i]! < 0x80) return [v, i + 1];
    mul *= 128;
  }
  throw new Error('truncated varint');
}

function fields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < b.length) {
    const start = pos;
    const [key, p] = varint(b, pos);
    const no = Math.floor(key / 8);
    const wire = key & 7;
    pos = p;
    if (wire === 0) pos = varint(b, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, q] = varint(b, pos);
      if (q + len > b.length) throw new Error('truncated field');
      out.push({ no, wire, start, end: q + len, body: b.subarray(q, q + len) });
      pos = q + len;
      continue;
    } else throw new Error(`unsupported wire type ${wire}`);
    out.push({ no, wire, start, end: pos });
  }
  return out;
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const strings = (fs: readonly Field[], no: number): string[] => fs.filter((f) => f.no === no && f.body).map((f) => text(f.body!));

function lengthPrefix(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const CONTROL_FLOW = new Set(['If', 'Loop', 'Scan']);

/**
 * The model without its summaries: the gate input, every node that depends on it (the summary `If`s), their graph
 * outputs, and then nodes no remaining output needs (when no control flow is left whose captured values are unknown).
 * Returns null when the model has no summary gate.
 */
export function stripSummaries(model: Uint8Array): Uint8Array | null {
  const top = fields(model);
  const graphField = top.find((f) => f.no === 7 && f.body);
  if (!graphField) return null;
  const g = graphField.body!;
  const gf = fields(g);
  if (!gf.some((f) => f.no === 11 && f.body && strings(fields(f.body), 1)[0] === SUMMARY_GATE)) return null;
  const nodes = gf
    .filter((f) => f.no === 1 && f.body)
    .map((f) => {
      const nf = fields(f.body!);
      return { field: f, inputs: strings(nf, 1), outputs: strings(nf, 2), op: strings(nf, 4)[0] ?? '' };
    });
  // forward: everything computed from the gate goes
  const removedValues = new Set([SUMMARY_GATE]);
  const removed = new Set<number>();
  nodes.forEach((n, i) => {
    if (n.inputs.some((x) => removedValues.has(x))) {
      removed.add(i);
      for (const o of n.outputs) removedValues.add(o);
    }
  });
  const outputName = (f: Field): string => strings(fields(f.body!), 1)[0] ?? '';
  const keptOutputs = gf.filter((f) => f.no === 12 && f.body && !removedValues.has(outputName(f))).map(outputName);
  // backward: nodes that fed only the summaries (when every kept node lists all it reads)
  const kept = nodes.map((_, i) => !removed.has(i));
  if (!nodes.some((n, i) => kept[i] && CONTROL_FLOW.has(n.op))) {
    const needed = new Set(keptOutputs);
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (!kept[i]) continue;
      if (nodes[i]!.outputs.some((o) => needed.has(o))) for (const x of nodes[i]!.inputs) needed.add(x);
      else kept[i] = false;
    }
  }
  const dropNode = new Set(nodes.filter((_, i) => !kept[i]).map((n) => n.field));
  const parts = gf
    .filter((f) => {
      if (f.no === 1) return !dropNode.has(f);
      if (f.no === 11 || f.no === 12) return !removedValues.has(outputName(f));
      return true;
    })
    .map((f) => g.subarray(f.start, f.end));
  const graph = concat(parts);
  const graphKey = Uint8Array.from([...lengthPrefix((7 << 3) | 2), ...lengthPrefix(graph.length)]);
  return concat(top.flatMap((f) => (f === graphField ? [graphKey, graph] : [model.subarray(f.start, f.end)])));
}
