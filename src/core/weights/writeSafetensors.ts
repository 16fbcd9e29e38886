// Writes tensors as a .safetensors file in the oracle's layout (decreasing element size, space-padded header).
import { codeFromDtype } from './safetensorsDtype';
import { arrayMatchesDtype, shapeNumel, type TensorData } from './tensorData';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** JSON text as Python's `json.dumps(..., separators=(",", ":"))` writes it (non-ASCII escaped). */
function pythonJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Layout: 8-byte little-endian header length N, N bytes of UTF-8 JSON padded with spaces to a
 * multiple of 8, then the data. Tensors are stored by decreasing element size (stable), so each
 * starts at an offset that is a multiple of its element size and can be viewed without copying.
 */
export function writeSafetensors(tensors: Iterable<readonly [string, TensorData]>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const items = [...tensors].map(([name, t], index) => {
    if (name === '__metadata__') throw new Error(`'__metadata__' cannot name a tensor`);
    if (!arrayMatchesDtype(t.data, t.dtype)) throw new Error(`tensor '${name}': ${t.data.constructor.name} does not hold ${t.dtype}`);
    const numel = shapeNumel(t.shape);
    if (numel !== t.data.length) {
      throw new Error(`tensor '${name}': shape [${t.shape.join(', ')}] has ${numel} elements but the data has ${t.data.length}`);
    }
    return { name, t, index, size: t.data.BYTES_PER_ELEMENT };
  });
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.name)) throw new Error(`tensor '${it.name}' is given twice`);
    seen.add(it.name);
  }
  items.sort((a, b) => b.size - a.size || a.index - b.index);

  // built as text, not as an object, so integer-like tensor names keep their place in the order
  const fields: string[] = [];
  if (metadata && Object.keys(metadata).length > 0) fields.push(`"__metadata__":${pythonJson({ ...metadata })}`);
  let offset = 0;
  for (const it of items) {
    const bytes = it.t.data.byteLength;
    const info = { dtype: codeFromDtype(it.t.dtype), shape: [...it.t.shape], data_offsets: [offset, offset + bytes] };
    fields.push(`${pythonJson(it.name)}:${pythonJson(info)}`);
    offset += bytes;
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);

  let at = 8 + padded;
  for (const it of items) {
    const d = it.t.data;
    const src = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    if (LITTLE_ENDIAN_HOST || it.size === 1) {
      out.set(src, at);
    } else {
      for (let i = 0; i < d.length; i++) for (let b = 0; b < it.size; b++) out[at + i * it.size + b] = src[i * it.size + it.size - 1 - b]!;
    }
    at += d.byteLength;
  }
  return out;
}
