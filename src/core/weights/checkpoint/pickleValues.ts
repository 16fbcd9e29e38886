// The plain data a pickle can build here: Python containers as inert classes, storages, tensors and placeholders.
import type { DType } from '../../shape/shape';

/** A value on the pickle machine's stack. Python ints are numbers (bigint beyond 2^53), floats are numbers. */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyList
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyObject
  | TorchDType
  | TorchDevice
  | TorchStorage
  | TorchTensor
  | TorchStorageType
  | PyCallable
  | MarkValue;

export class PyList {
  readonly kind = 'list';
  constructor(readonly items: PyValue[] = []) {}
}

export class PyTuple {
  readonly kind = 'tuple';
  constructor(readonly items: readonly PyValue[]) {}
}

export class PySet {
  readonly kind = 'set';
  constructor(
    readonly items: PyValue[] = [],
    readonly frozen = false,
  ) {}
}

/** A dict (or OrderedDict) in insertion order; keys are strings, numbers, bools, None or tuples of those. */
export class PyDict {
  readonly kind = 'dict';
  private readonly byKey = new Map<string, [PyValue, PyValue]>();
  /** Attributes set by BUILD on an OrderedDict (a state_dict's `_metadata`). */
  attrs: PyDict | null = null;
  constructor(readonly ordered = false) {}

  set(key: PyValue, value: PyValue): void {
    this.byKey.set(hashKey(key), [key, value]);
  }
  get(key: PyValue): PyValue | undefined {
    return this.byKey.get(hashKey(key))?.[1];
  }
  get size(): number {
    return this.byKey.size;
  }
  entries(): IterableIterator<[PyValue, PyValue]> {
    return this.byKey.values();
  }
}

/** A global the allow-list does not know: only its name is kept; it is never looked up or called. */
export class PyGlobal {
  readonly kind = 'global';
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/**
 * What REDUCE / NEWOBJ / INST / OBJ made of a placeholder global: the class and arguments it would
 * have been called with, and the state BUILD would have set. Nothing of it ran.
 */
export class PyObject {
  readonly kind = 'object';
  state: PyValue = null;
  readonly items: PyValue[] = [];
  readonly dictItems: [PyValue, PyValue][] = [];
  constructor(
    readonly cls: PyGlobal,
    readonly args: readonly PyValue[],
  ) {}
}

export class TorchDType {
  readonly kind = 'dtype';
  constructor(
    readonly name: string,
    /** The project dtype, or null for dtypes Fusion Lens reads only as shapes (complex, quantized…). */
    readonly dtype: DType | null,
    readonly size: number,
  ) {}
}

export class TorchDevice {
  readonly kind = 'device';
  constructor(readonly text: string) {}
}

/** A storage named by a persistent id; its bytes are attached by the file reader once it is validated. */
export class TorchStorage {
  readonly kind = 'storage';
  bytes: Uint8Array | null = null;
  constructor(
    readonly key: string,
    readonly dtype: TorchDType,
    readonly location: string,
    /** Elements declared by the persistent id. */
    readonly numel: number,
  ) {}
}

export class TorchTensor {
  readonly kind = 'tensor';
  isParameter = false;
  constructor(
    readonly storage: TorchStorage,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
    readonly requiresGrad: boolean,
  ) {}
  get dtype(): TorchDType {
    return this.storage.dtype;
  }
}

/** `torch.FloatStorage` and kin as pushed by GLOBAL: a storage type in a persistent id. */
export class TorchStorageType {
  readonly kind = 'storageType';
  constructor(
    readonly qualified: string,
    readonly dtype: TorchDType,
  ) {}
}

/** An allow-listed global that REDUCE / NEWOBJ may apply: a pure builder of data, named by `id` (module.name). */
export class PyCallable {
  readonly kind = 'callable';
  constructor(readonly id: string) {}
}

/** The MARK opcode's stack marker (never escapes the machine). */
export class MarkValue {
  readonly kind = 'mark';
}

/** A canonical string for a hashable key; unhashable keys are refused by the machine before this. */
export function hashKey(key: PyValue): string {
  if (key === null) return 'N';
  switch (typeof key) {
    case 'boolean':
      return key ? 'i1' : 'i0'; // Python: True == 1
    case 'number':
      return `i${key}`;
    case 'bigint':
      return `i${key}`;
    case 'string':
      return `s${key}`;
    default:
      break;
  }
  if (key instanceof Uint8Array) return `b${Array.from(key).join(',')}`;
  if (key instanceof PyTuple) return `t(${key.items.map(hashKey).join('|')})`;
  if (key instanceof PyGlobal) return `g${key.qualified}`;
  if (key instanceof TorchDType) return `d${key.name}`;
  return `o${objectId(key as object)}`;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

export function isHashable(v: PyValue): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (v instanceof Uint8Array || v instanceof PyGlobal || v instanceof TorchDType || v instanceof TorchDevice) return true;
  if (v instanceof PyCallable || v instanceof TorchStorageType) return true;
  if (v instanceof PyTuple) return v.items.every(isHashable);
  if (v instanceof PySet) return v.frozen;
  return v instanceof PyObject;
}

/** Short Python-like text of a value for messages and summaries (bounded in length and depth). */
export function describe(v: PyValue, depth = 0): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}…` : v);
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (depth > 2) return '…';
  if (v instanceof PyList || v instanceof PyTuple) {
    const inner = v.items.slice(0, 6).map((x) => describe(x, depth + 1));
    if (v.items.length > 6) inner.push(`… ${v.items.length} items`);
    return v instanceof PyList ? `[${inner.join(', ')}]` : `(${inner.join(', ')}${v.items.length === 1 ? ',' : ''})`;
  }
  if (v instanceof PyDict) return `{${v.size} entries}`;
  if (v instanceof PySet) return `{set of ${v.items.length}}`;
  if (v instanceof PyGlobal) return v.qualified;
  if (v instanceof PyObject) return `<${v.cls.qualified} object>`;
  if (v instanceof TorchDType) return `torch.${v.name}`;
  if (v instanceof TorchDevice) return `device('${v.text}')`;
  if (v instanceof TorchStorage) return `<storage ${v.dtype.name} × ${v.numel}>`;
  if (v instanceof TorchTensor) return `tensor[${v.shape.join(', ')}] ${v.dtype.name}`;
  if (v instanceof TorchStorageType) return v.qualified;
  if (v instanceof PyCallable) return v.id;
  return '?';
}
