// Reads a torch.save file (zip or legacy format) into plain data: the pickled object with its storages' bytes attached.
import { DEFAULT_PICKLE_LIMITS, loadPickle, type PickleLimits } from './pickleMachine';
import { PickleError } from './pickleGlobals';
import { describe, PyGlobal, PyList, PyTuple, TorchStorage, TorchStorageType, type PyValue } from './pickleValues';
import { DEFAULT_ZIP_LIMITS, isZip, ZipArchive, ZipError, type ZipLimits } from './zipArchive';

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export interface TorchFile {
  readonly format: 'zip' | 'legacy';
  readonly root: PyValue;
  /** Globals outside the allow-list that became inert placeholders. */
  readonly placeholders: readonly string[];
  /** Storage bytes are big-endian (a zip written on a big-endian machine). */
  readonly bigEndian: boolean;
  readonly storages: readonly TorchStorage[];
}

export interface TorchFileLimits {
  readonly pickle: PickleLimits;
  readonly zip: ZipLimits;
  /** Bytes of the pickle itself. */
  readonly maxPickleBytes: number;
}

export const DEFAULT_TORCH_LIMITS: TorchFileLimits = { pickle: DEFAULT_PICKLE_LIMITS, zip: DEFAULT_ZIP_LIMITS, maxPickleBytes: 512 * 1024 * 1024 };

/** 0x1950a86a20f9469cfc6c: the first pickle of a legacy torch.save file. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

/** True when the bytes start like a torch.save file (a zip archive, or a pickle as the legacy format writes). */
export function looksLikeTorchFile(bytes: Uint8Array): boolean {
  return isZip(bytes) || (bytes.length > 2 && bytes[0] === 0x80 && bytes[1]! >= 2 && bytes[1]! <= 5);
}

export function readTorchFile(bytes: Uint8Array, source = 'checkpoint', limits: TorchFileLimits = DEFAULT_TORCH_LIMITS): TorchFile {
  try {
    return isZip(bytes) ? readZip(bytes, source, limits) : readLegacy(bytes, source, limits);
  } catch (e) {
    if (e instanceof PickleError || e instanceof ZipError) throw new CheckpointError(e.message.startsWith(source) ? e.message : `${source}: ${e.message}`);
    if (e instanceof RangeError) throw new CheckpointError(`${source}: ${e.message}`); // e.g. an allocation the limits let through
    throw e;
  }
}

/** Checks a persistent id `('storage', type, key, location, numel[, view])` and returns its (shared) storage object. */
function storageFor(pid: PyValue, seen: Map<string, TorchStorage>, source: string): PyValue {
  // The legacy format names each pickled nn.Module class as ('module', cls, source_file, source): keep the class placeholder.
  if (pid instanceof PyTuple && pid.items[0] === 'module' && pid.items.length === 4 && pid.items[1] instanceof PyGlobal) return pid.items[1];
  if (!(pid instanceof PyTuple) || pid.items.length < 5 || pid.items[0] !== 'storage') {
    throw new PickleError(`${source}: persistent id ${describe(pid)} is not a torch storage`);
  }
  const [, type, key, location, numel] = pid.items;
  if (!(type instanceof TorchStorageType)) throw new PickleError(`${source}: storage type ${describe(type ?? null)} is not a torch storage class`);
  if (typeof key !== 'string' || !/^[\w.-]{1,64}$/.test(key)) throw new PickleError(`${source}: storage key ${describe(key ?? null)} is not a plain name`);
  if (typeof location !== 'string') throw new PickleError(`${source}: storage location ${describe(location ?? null)} is not a string`);
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0)
    throw new PickleError(`${source}: storage size ${describe(numel ?? null)} is not a count`);
  if (pid.items[5] !== undefined && pid.items[5] !== null) throw new PickleError(`${source}: storage views of the pre-1.0 format are not read`);
  const prior = seen.get(key);
  if (prior) {
    if (prior.dtype.name !== type.dtype.name || prior.numel !== numel)
      throw new PickleError(`${source}: storage '${key}' is declared twice with different types or sizes`);
    return prior;
  }
  const s = new TorchStorage(key, type.dtype, location, numel);
  seen.set(key, s);
  return s;
}

function readZip(bytes: Uint8Array, source: string, limits: TorchFileLimits): TorchFile {
  const zip = new ZipArchive(bytes, limits.zip);
  const pkls = [...zip.entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n) || n === 'data.pkl');
  if (pkls.length !== 1) throw new CheckpointError(`${source}: a torch zip file has exactly one <name>/data.pkl, found ${pkls.length}`);
  const prefix = pkls[0]!.slice(0, -'data.pkl'.length);
  const pklEntry = zip.entries.get(pkls[0]!)!;
  if (pklEntry.size > limits.maxPickleBytes) throw new CheckpointError(`${source}: data.pkl is ${pklEntry.size} bytes (at most ${limits.maxPickleBytes})`);
  let bigEndian = false;
  const order = zip.entries.get(`${prefix}byteorder`);
  if (order) {
    if (order.size > 16) throw new CheckpointError(`${source}: byteorder entry is ${order.size} bytes`);
    const text = new TextDecoder().decode(zip.read(order.name)).trim();
    if (text !== 'little' && text !== 'big') throw new CheckpointError(`${source}: byteorder is '${text}', not 'little' or 'big'`);
    bigEndian = text === 'big';
  }
  const seen = new Map<string, TorchStorage>();
  const result = loadPickle(zip.read(pkls[0]!), 0, {
    limits: limits.pickle,
    source: `${source} (data.pkl)`,
    persistentLoad: (pid) => storageFor(pid, seen, source),
  });
  // Every storage's declared size is checked against the entry's bytes before the bytes are taken.
  for (const s of seen.values()) {
    const name = `${prefix}data/${s.key}`;
    const e = zip.entries.get(name);
    if (!e) throw new CheckpointError(`${source}: storage '${s.key}' has no entry ${name}`);
    const need = s.numel * s.dtype.size;
    if (!Number.isSafeInteger(need) || e.size < need) {
      throw new CheckpointError(`${source}: storage '${s.key}' declares ${s.numel} × ${s.dtype.size} bytes but its entry holds ${e.size}`);
    }
    s.bytes = zip.read(name).subarray(0, need);
  }
  return { format: 'zip', root: result.value, placeholders: result.placeholders, bigEndian, storages: [...seen.values()] };
}

function readLegacy(bytes: Uint8Array, source: string, limits: TorchFileLimits): TorchFile {
  if (bytes.length > 262 && bytes[257] === 0x75 && bytes[258] === 0x73 && bytes[259] === 0x74 && bytes[260] === 0x61 && bytes[261] === 0x72) {
    throw new CheckpointError(`${source}: the tar format of torch.save before 0.4 is not read`);
  }
  const small = { ...limits.pickle, maxValues: 10_000 };
  const opt = (what: string) => ({ limits: small, source: `${source} (${what})` });
  const magic = loadPickle(bytes, 0, opt('magic number'));
  const magicValue = magic.value;
  if (!(typeof magicValue === 'bigint' && magicValue === LEGACY_MAGIC)) {
    throw new CheckpointError(`${source}: not a torch.save file (no zip header and no legacy magic number; got ${describe(magicValue)})`);
  }
  let pos = magic.consumed;
  const proto = loadPickle(bytes, pos, opt('protocol version'));
  if (proto.value !== LEGACY_PROTOCOL) throw new CheckpointError(`${source}: legacy protocol version ${describe(proto.value)}, expected ${LEGACY_PROTOCOL}`);
  pos += proto.consumed;
  const sysInfo = loadPickle(bytes, pos, opt('sys info'));
  pos += sysInfo.consumed;
  const seen = new Map<string, TorchStorage>();
  const main = loadPickle(bytes, pos, {
    limits: limits.pickle,
    source: `${source} (pickle)`,
    persistentLoad: (pid) => storageFor(pid, seen, source),
  });
  if (main.consumed > limits.maxPickleBytes) throw new CheckpointError(`${source}: the pickle is ${main.consumed} bytes (at most ${limits.maxPickleBytes})`);
  pos += main.consumed;
  const keysPickle = loadPickle(bytes, pos, { limits: limits.pickle, source: `${source} (storage keys)` });
  pos += keysPickle.consumed;
  const keys = keysPickle.value;
  if (!(keys instanceof PyList) || !keys.items.every((k) => typeof k === 'string'))
    throw new CheckpointError(`${source}: storage keys are not a list of strings`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Storages follow in key order, each an int64 element count (little-endian) and its bytes (little-endian).
  for (const key of keys.items as string[]) {
    const s = seen.get(key);
    if (!s) throw new CheckpointError(`${source}: storage key '${key}' is not used by the pickle`);
    if (s.bytes) throw new CheckpointError(`${source}: storage '${key}' is listed twice`);
    if (pos + 8 > bytes.length) throw new CheckpointError(`${source}: storage '${key}' is missing (file ends at its size field)`);
    const n = view.getBigInt64(pos, true);
    pos += 8;
    if (n !== BigInt(s.numel)) throw new CheckpointError(`${source}: storage '${key}' holds ${n} elements, the pickle declares ${s.numel}`);
    const need = s.numel * s.dtype.size;
    if (pos + need > bytes.length) {
      throw new CheckpointError(`${source}: storage '${key}' declares ${need} bytes but only ${bytes.length - pos} are present`);
    }
    s.bytes = bytes.subarray(pos, pos + need);
    pos += need;
  }
  for (const s of seen.values()) if (!s.bytes) throw new CheckpointError(`${source}: storage '${s.key}' is used but not stored`);
  return { format: 'legacy', root: main.value, placeholders: main.placeholders, bigEndian: false, storages: [...seen.values()] };
}

export { TorchStorage };
