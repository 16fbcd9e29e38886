// Bounded, validated reader of the .safetensors format, with zero-copy typed-array views where alignment allows.
import { dtypeFromCode, isSafetensorsDtype, SAFETENSORS_DTYPES, type SafetensorsDtype } from './safetensorsDtype';
import { arrayTypeFor, type TensorArray, type TensorData } from './tensorData';

export interface StoredTensor extends TensorData {
  readonly name: string;
  readonly code: SafetensorsDtype;
  /** True when `data` views the file's bytes; false when they had to be copied (misaligned). */
  readonly zeroCopy: boolean;
}

export interface SafetensorsFile {
  /** In header order, except that integer-like names come first (JavaScript object key order). */
  readonly tensors: ReadonlyMap<string, StoredTensor>;
  readonly metadata: Readonly<Record<string, string>> | null;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/** Same limit as the reference implementation: a larger header is a corrupt or hostile file. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Span {
  readonly name: string;
  readonly begin: number;
  readonly end: number;
}

/** Parses `bytes` as a safetensors file; `source` names it in error messages. */
export function readSafetensors(bytes: Uint8Array, source = 'safetensors file'): SafetensorsFile {
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${source}: ${msg}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen64 = view.getBigUint64(0, true);
  if (headerLen64 > BigInt(bytes.length - 8)) {
    fail(`header length ${headerLen64} exceeds the ${bytes.length - 8} bytes after the length field`);
  }
  const headerLen = Number(headerLen64);
  if (headerLen > MAX_HEADER_BYTES) fail(`header length ${headerLen} exceeds the ${MAX_HEADER_BYTES}-byte limit`);

  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const entries = header as Record<string, unknown>;

  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  let metadata: Record<string, string> | null = null;
  const tensors = new Map<string, StoredTensor>();
  const spans: Span[] = [];

  for (const [name, raw] of Object.entries(entries)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(raw, fail);
      continue;
    }
    const where = `tensor '${name}'`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`${where}: entry is not an object`);
    const info = raw as Record<string, unknown>;
    const code = info.dtype;
    if (!isSafetensorsDtype(code)) {
      fail(`${where}: dtype ${JSON.stringify(code)} is not one of ${SAFETENSORS_DTYPES.join(', ')}`);
    }
    const dtype = dtypeFromCode(code as SafetensorsDtype);
    const Ctor = arrayTypeFor(dtype);
    const size = Ctor.BYTES_PER_ELEMENT;
    const shape = parseShape(info.shape, where, fail);
    const numel = boundedNumel(shape, Math.floor(dataLen / size), where, dataLen, fail);
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      fail(`${where}: data_offsets must be two non-negative integers, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLen) {
      fail(`${where}: data_offsets [${begin}, ${end}] lie outside the ${dataLen}-byte data region`);
    }
    if (end - begin !== numel * size) {
      fail(`${where}: shape [${shape.join(', ')}] of ${code} needs ${numel * size} bytes but data_offsets span ${end - begin}`);
    }
    spans.push({ name, begin, end });
    const absolute = bytes.byteOffset + dataStart + begin;
    let data: TensorArray;
    let zeroCopy = false;
    if (LITTLE_ENDIAN_HOST && absolute % size === 0) {
      data = new (Ctor as unknown as new (b: ArrayBufferLike, o: number, n: number) => TensorArray)(bytes.buffer, absolute, numel);
      zeroCopy = true;
    } else {
      data = copyLittleEndian(bytes.subarray(dataStart + begin, dataStart + end), Ctor, numel, size);
    }
    tensors.set(name, { name, code: code as SafetensorsDtype, dtype, shape, data, zeroCopy });
  }

  checkLayout(spans, dataLen, fail);
  return { tensors, metadata };
}

function parseMetadata(raw: unknown, fail: (m: string) => never): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('__metadata__ is not a JSON object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string') fail(`__metadata__ value of '${k}' is not a string`);
    out[k] = v as string;
  }
  return out;
}

function parseShape(raw: unknown, where: string, fail: (m: string) => never): number[] {
  if (!Array.isArray(raw) || !raw.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`${where}: shape must be a list of non-negative integers, got ${JSON.stringify(raw)}`);
  }
  return (raw as number[]).slice();
}

/** Element count, refusing (without allocating) any shape that cannot fit in the data region. */
function boundedNumel(shape: readonly number[], maxElems: number, where: string, dataLen: number, fail: (m: string) => never): number {
  if (shape.includes(0)) return 0;
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > maxElems) fail(`${where}: shape [${shape.join(', ')}] is larger than the ${dataLen}-byte data region`);
  }
  return n;
}

/** Tensors must tile the data region exactly: no overlaps, no gaps, no trailing bytes. */
function checkLayout(spans: Span[], dataLen: number, fail: (m: string) => never): void {
  const sorted = [...spans].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let prev: Span | null = null;
  for (const s of sorted) {
    if (s.begin < cursor && prev) fail(`tensors '${prev.name}' and '${s.name}' overlap (bytes ${s.begin}..${cursor})`);
    if (s.begin > cursor) fail(`data region has a gap at bytes ${cursor}..${s.begin} before tensor '${s.name}'`);
    cursor = s.end;
    prev = s;
  }
  if (cursor !== dataLen) fail(`${dataLen - cursor} trailing bytes after the last tensor`);
}

function copyLittleEndian(src: Uint8Array, Ctor: { new (n: number): TensorArray }, numel: number, size: number): TensorArray {
  const out = new Ctor(numel);
  const dst = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  if (LITTLE_ENDIAN_HOST || size === 1) {
    dst.set(src);
  } else {
    for (let i = 0; i < numel; i++) for (let b = 0; b < size; b++) dst[i * size + b] = src[i * size + size - 1 - b]!;
  }
  return out;
}
