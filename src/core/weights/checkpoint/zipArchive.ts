// A bounded reader of zip archives (stored and deflated entries, zip64 sizes) as torch.save writes them.
import { InflateError, inflateRaw } from './inflateRaw';

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Offset of the entry's data (after its local header) in the archive. */
  readonly dataOffset: number;
}

export interface ZipLimits {
  readonly maxEntries: number;
  /** Bytes all deflated entries may expand to, together. */
  readonly maxInflated: number;
  /** A deflated entry may declare at most this many times its compressed size (plus 1 MiB). */
  readonly maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 200_000, maxInflated: 4 * 1024 ** 3, maxRatio: 1100 };

export class ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;
  private inflated = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  ) {
    this.entries = readDirectory(bytes, limits);
  }

  /** The entry's bytes: a view of the archive for stored entries, inflated (bounded) for deflated ones. */
  read(name: string): Uint8Array {
    const e = this.entries.get(name);
    if (!e) throw new ZipError(`entry '${name}' is not in the archive`);
    const raw = this.bytes.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
    if (e.method === 0) return raw;
    if (e.size > this.limits.maxRatio * e.compressedSize + (1 << 20)) {
      throw new ZipError(`entry '${name}' declares ${e.size} bytes from ${e.compressedSize} compressed: refused as a zip bomb`);
    }
    if (this.inflated + e.size > this.limits.maxInflated) {
      throw new ZipError(`deflated entries expand past the ${this.limits.maxInflated}-byte limit`);
    }
    try {
      const out = inflateRaw(raw, e.size, e.size);
      this.inflated += out.length;
      return out;
    } catch (err) {
      if (err instanceof InflateError) throw new ZipError(`entry '${name}': ${err.message}`);
      throw err;
    }
  }
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function readDirectory(bytes: Uint8Array, limits: ZipLimits): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  let eocd = -1;
  for (let i = len - 22; i >= Math.max(0, len - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('no end-of-central-directory record (truncated or not a zip file)');
  let count = view.getUint16(eocd + 10, true);
  let dirSize = view.getUint32(eocd + 12, true);
  let dirOffset = view.getUint32(eocd + 16, true);
  // zip64: a locator just before the EOCD points at the zip64 EOCD record
  if ((count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const rec = big(view, eocd - 12, len);
    if (rec + 56 > len || view.getUint32(rec, true) !== 0x06064b50) throw new ZipError('zip64 end-of-central-directory record is missing');
    count = big(view, rec + 32, Number.MAX_SAFE_INTEGER);
    dirSize = big(view, rec + 40, len);
    dirOffset = big(view, rec + 48, len);
  }
  if (count > limits.maxEntries) throw new ZipError(`${count} entries (at most ${limits.maxEntries})`);
  if (dirOffset + dirSize > len) throw new ZipError('central directory lies outside the file');
  const entries = new Map<string, ZipEntry>();
  const dec = new TextDecoder('utf-8', { fatal: false });
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > len || view.getUint32(p, true) !== 0x02014b50) throw new ZipError(`central directory entry ${i} is damaged`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > len) throw new ZipError(`central directory entry ${i} runs past the end`);
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 extended information: the fields that were 0xFFFFFFFF, in order
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = view.getUint16(x, true);
      const sz = view.getUint16(x + 2, true);
      if (x + 4 + sz > xEnd) break;
      if (id === 0x0001) {
        let q = x + 4;
        const next = (): number => {
          if (q + 8 > x + 4 + sz) throw new ZipError(`entry '${name}': zip64 field is short`);
          const v = big(view, q, Number.MAX_SAFE_INTEGER);
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      x += 4 + sz;
    }
    p = xEnd + commentLen;
    if (flags & 1) throw new ZipError(`entry '${name}' is encrypted`);
    if (method !== 0 && method !== 8) throw new ZipError(`entry '${name}' uses compression method ${method} (only stored and deflated are read)`);
    if (method === 0 && compressedSize !== size) throw new ZipError(`stored entry '${name}' has different sizes (${compressedSize} vs ${size})`);
    if (localOffset + 30 > len || view.getUint32(localOffset, true) !== 0x04034b50) throw new ZipError(`entry '${name}': local header missing`);
    const dataOffset = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    if (dataOffset + compressedSize > len) {
      throw new ZipError(`entry '${name}' declares ${compressedSize} bytes but only ${Math.max(0, len - dataOffset)} are present`);
    }
    if (entries.has(name)) throw new ZipError(`entry '${name}' appears twice`);
    entries.set(name, { name, method, compressedSize, size, dataOffset });
  }
  return entries;
}

function big(view: DataView, at: number, max: number): number {
  if (at < 0 || at + 8 > view.byteLength) throw new ZipError('zip64 field lies outside the file');
  const v = view.getBigUint64(at, true);
  if (v > BigInt(max)) throw new ZipError(`zip64 value ${v} is out of range`);
  return Number(v);
}
