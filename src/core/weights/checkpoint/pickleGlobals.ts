// The allow-list of pickle globals: torch's tensor-rebuild functions, storages, dtypes and plain containers as pure data builders.
import type { DType } from '../../shape/shape';
import {
  PyCallable,
  PyDict,
  PyGlobal,
  PyList,
  PyObject,
  PySet,
  PyTuple,
  TorchDevice,
  TorchDType,
  TorchStorage,
  TorchStorageType,
  TorchTensor,
  describe,
  type PyValue,
} from './pickleValues';

export class PickleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PickleError';
  }
}

/** torch dtype name → [project dtype or null, element bytes]. */
const DTYPES: Readonly<Record<string, [DType | null, number]>> = {
  float64: ['float64', 8],
  float32: ['float32', 4],
  float16: ['float16', 2],
  bfloat16: ['bfloat16', 2],
  int64: ['int64', 8],
  int32: ['int32', 4],
  int16: ['int16', 2],
  int8: ['int8', 1],
  uint8: ['uint8', 1],
  bool: ['bool', 1],
  uint16: [null, 2],
  uint32: [null, 4],
  uint64: [null, 8],
  complex32: [null, 4],
  complex64: [null, 8],
  complex128: [null, 16],
  qint8: [null, 1],
  quint8: [null, 1],
  qint32: [null, 4],
  quint4x2: [null, 1],
  quint2x4: [null, 1],
  float8_e4m3fn: [null, 1],
  float8_e5m2: [null, 1],
  float8_e4m3fnuz: [null, 1],
  float8_e5m2fnuz: [null, 1],
};

/** Aliases torch defines for the same dtypes (`torch.float` is `torch.float32`). */
const DTYPE_ALIASES: Readonly<Record<string, string>> = {
  double: 'float64',
  float: 'float32',
  half: 'float16',
  long: 'int64',
  int: 'int32',
  short: 'int16',
  cfloat: 'complex64',
  cdouble: 'complex128',
  chalf: 'complex32',
};

/** `torch.<X>Storage` → dtype name. */
const STORAGES: Readonly<Record<string, string>> = {
  DoubleStorage: 'float64',
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  ComplexFloatStorage: 'complex64',
  ComplexDoubleStorage: 'complex128',
  QInt8Storage: 'qint8',
  QUInt8Storage: 'quint8',
  QInt32Storage: 'qint32',
  QUInt4x2Storage: 'quint4x2',
  QUInt2x4Storage: 'quint2x4',
  UntypedStorage: 'uint8',
  _UntypedStorage: 'uint8',
};

export function torchDType(name: string): TorchDType | null {
  const canonical = DTYPE_ALIASES[name] ?? name;
  const info = Object.prototype.hasOwnProperty.call(DTYPES, canonical) ? DTYPES[canonical] : undefined;
  return info ? new TorchDType(canonical, info[0], info[1]) : null;
}

/** The builders REDUCE / NEWOBJ may apply, by `module.name`. Each checks its arguments' types and returns data. */
const CALLABLES: ReadonlyMap<string, (args: readonly PyValue[], ctx: CallContext) => PyValue> = new Map<
  string,
  (args: readonly PyValue[], ctx: CallContext) => PyValue
>([
  ['torch._utils._rebuild_tensor_v2', (a) => rebuildTensor(a, 'torch._utils._rebuild_tensor_v2')],
  ['torch._utils._rebuild_tensor', (a) => rebuildTensor(a, 'torch._utils._rebuild_tensor')],
  ['torch._utils._rebuild_parameter', (a) => rebuildParameter(a, 'torch._utils._rebuild_parameter')],
  ['torch._utils._rebuild_parameter_with_state', (a) => rebuildParameter(a, 'torch._utils._rebuild_parameter_with_state')],
  ['torch._tensor._rebuild_from_type_v2', rebuildFromType],
  ['torch._tensor._rebuild_from_type', rebuildFromType],
  ['collections.OrderedDict', (a) => buildDict(a, true, 'collections.OrderedDict')],
  ['builtins.dict', (a) => buildDict(a, false, 'dict')],
  ['builtins.list', (a) => new PyList(iterableArg(a, 'list').slice())],
  ['builtins.tuple', (a) => new PyTuple(iterableArg(a, 'tuple').slice())],
  ['builtins.set', (a) => new PySet(iterableArg(a, 'set').slice())],
  ['builtins.frozenset', (a) => new PySet(iterableArg(a, 'frozenset').slice(), true)],
  ['builtins.bytearray', buildBytes],
  ['builtins.bytes', buildBytes],
  ['_codecs.encode', codecsEncode],
  ['torch.Size', (a) => new PyTuple(intList(iterableArg(a, 'torch.Size'), 'torch.Size'))],
  ['torch.device', buildDevice],
  ['numpy.dtype', numpyDtype],
  ['numpy.core.multiarray.scalar', numpyScalar],
  ['numpy._core.multiarray.scalar', numpyScalar],
  ['copyreg._reconstructor', reconstructor],
]);

export interface CallContext {
  /** Records that a placeholder was made for `what` (once per name). */
  warn(what: string): void;
}

/**
 * What GLOBAL / STACK_GLOBAL push: an allow-listed builder, a storage type, a dtype, or an inert
 * placeholder that only carries the name. Nothing is imported or looked up anywhere else.
 */
export function resolveGlobal(module: string, name: string): PyValue {
  // Protocols 0–2 name Python 3's builtins and copyreg by their Python 2 modules
  if (module === '__builtin__') module = 'builtins';
  else if (module === 'copy_reg') module = 'copyreg';
  const id = `${module}.${name}`;
  if (CALLABLES.has(id)) return new PyCallable(id);
  if (module === 'torch' || module === 'torch.cuda' || module === 'torch.storage') {
    const st = Object.prototype.hasOwnProperty.call(STORAGES, name) ? STORAGES[name] : undefined;
    if (st) return new TorchStorageType(id, torchDType(st)!);
    if (module === 'torch') {
      const dt = torchDType(name);
      if (dt) return dt;
    }
  }
  return new PyGlobal(module, name);
}

/** REDUCE / NEWOBJ of `callable` with `args`: allow-listed builders run as pure functions; placeholders build a PyObject. */
export function applyGlobal(callable: PyValue, args: readonly PyValue[], ctx: CallContext): PyValue {
  if (callable instanceof PyCallable) return CALLABLES.get(callable.id)!(args, ctx);
  if (callable instanceof PyGlobal) {
    ctx.warn(callable.qualified);
    return new PyObject(callable, args);
  }
  if (callable instanceof TorchStorageType) {
    ctx.warn(callable.qualified);
    return new PyObject(new PyGlobal('torch', callable.qualified.split('.').pop()!), args);
  }
  throw new PickleError(`cannot apply ${describe(callable)}: only allow-listed globals and placeholders can be applied`);
}

function nonNegInt(v: PyValue, what: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  throw new PickleError(`${what} must be a non-negative integer, got ${describe(v)}`);
}

function intList(items: readonly PyValue[], what: string): number[] {
  if (items.length > 64) throw new PickleError(`${what} has ${items.length} dimensions (at most 64)`);
  return items.map((d, i) => nonNegInt(d, `${what}[${i}]`));
}

function seq(v: PyValue, what: string): readonly PyValue[] {
  if (v instanceof PyTuple || v instanceof PyList) return v.items;
  throw new PickleError(`${what} must be a tuple or list, got ${describe(v)}`);
}

function iterableArg(a: readonly PyValue[], what: string): readonly PyValue[] {
  if (a.length === 0) return [];
  if (a.length !== 1) throw new PickleError(`${what}() takes one iterable, got ${a.length} arguments`);
  const v = a[0]!;
  if (v instanceof PySet) return v.items;
  if (v instanceof PyDict) return [...v.entries()].map(([k]) => k);
  return seq(v, `${what}() argument`);
}

function rebuildTensor(a: readonly PyValue[], what: string): TorchTensor {
  if (a.length < 4 || a.length > 7) throw new PickleError(`${what} takes 4 to 7 arguments, got ${a.length}`);
  const storage = a[0]!;
  if (!(storage instanceof TorchStorage)) throw new PickleError(`${what}: first argument is ${describe(storage)}, not a storage`);
  const offset = nonNegInt(a[1]!, `${what}: storage offset`);
  const shape = intList(seq(a[2]!, `${what}: size`), `${what}: size`);
  const stride = intList(seq(a[3]!, `${what}: stride`), `${what}: stride`);
  if (shape.length !== stride.length) throw new PickleError(`${what}: size has ${shape.length} dims but stride has ${stride.length}`);
  const requiresGrad = a.length > 4 ? a[4] === true : false;
  // The furthest element the view reaches must lie inside the storage's declared elements.
  if (!shape.includes(0)) {
    let last = offset;
    for (let i = 0; i < shape.length; i++) last += (shape[i]! - 1) * stride[i]!;
    if (!Number.isSafeInteger(last) || last >= storage.numel) {
      throw new PickleError(
        `${what}: view [${shape.join(', ')}] at offset ${offset} with strides [${stride.join(', ')}] reaches element ${last} of a ${storage.numel}-element storage`,
      );
    }
  }
  return new TorchTensor(storage, offset, shape, stride, requiresGrad);
}

function rebuildParameter(a: readonly PyValue[], what: string): TorchTensor {
  if (a.length < 3 || a.length > 4) throw new PickleError(`${what} takes 3 or 4 arguments, got ${a.length}`);
  const t = a[0]!;
  if (!(t instanceof TorchTensor)) throw new PickleError(`${what}: first argument is ${describe(t)}, not a tensor`);
  const p = new TorchTensor(t.storage, t.offset, t.shape, t.stride, a[1] === true);
  p.isParameter = true;
  return p;
}

/** `_rebuild_from_type_v2(func, new_type, args, state)`: the tensor `func(*args)` builds; the subclass is not applied. */
function rebuildFromType(a: readonly PyValue[], ctx: CallContext): PyValue {
  if (a.length < 3 || a.length > 4) throw new PickleError(`torch._tensor._rebuild_from_type_v2 takes 3 or 4 arguments, got ${a.length}`);
  const inner = applyGlobal(a[0]!, seq(a[2]!, '_rebuild_from_type_v2 args'), ctx);
  const cls = a[1]!;
  if (cls instanceof PyGlobal && !/^torch\.(Tensor|nn\.parameter\.Parameter)$|^torch\._tensor\.Tensor$/.test(cls.qualified)) ctx.warn(cls.qualified);
  return inner;
}

function buildDict(a: readonly PyValue[], ordered: boolean, what: string): PyDict {
  const d = new PyDict(ordered);
  if (a.length === 0) return d;
  if (a.length !== 1) throw new PickleError(`${what}() takes at most one argument, got ${a.length}`);
  const src = a[0]!;
  if (src instanceof PyDict) {
    for (const [k, v] of src.entries()) d.set(k, v);
    return d;
  }
  for (const pair of seq(src, `${what}() argument`)) {
    const kv = seq(pair, `${what}() item`);
    if (kv.length !== 2) throw new PickleError(`${what}() items must be pairs, got ${describe(pair)}`);
    d.set(kv[0]!, kv[1]!);
  }
  return d;
}

function buildBytes(a: readonly PyValue[]): Uint8Array {
  if (a.length === 0) return new Uint8Array(0);
  const v = a[0]!;
  if (v instanceof Uint8Array) return v.slice();
  if (typeof v === 'string' && a.length >= 2 && a[1] === 'latin1') return latin1(v);
  throw new PickleError(`bytes()/bytearray() argument must be bytes, got ${describe(v)}`);
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new PickleError('latin1 text holds a character above U+00FF');
    out[i] = c;
  }
  return out;
}

/** Protocol 2 writes Python 3 bytes as `_codecs.encode(text, 'latin1')`. */
function codecsEncode(a: readonly PyValue[]): Uint8Array {
  const [text, codec] = a;
  if (a.length !== 2 || typeof text !== 'string' || (codec !== 'latin1' && codec !== 'latin-1')) {
    throw new PickleError(`_codecs.encode is only read as encode(str, 'latin1'), got ${a.map(describe).join(', ')}`);
  }
  return latin1(text);
}

function buildDevice(a: readonly PyValue[]): TorchDevice {
  const [type, index] = a;
  if (typeof type !== 'string' || a.length > 2 || (a.length === 2 && typeof index !== 'number')) {
    throw new PickleError(`torch.device takes a type string and an optional index, got ${a.map(describe).join(', ')}`);
  }
  return new TorchDevice(a.length === 2 ? `${type}:${index}` : type);
}

/** A numpy dtype as the inert object `numpy.dtype` builds: its type string, byte order set by BUILD. */
function numpyDtype(a: readonly PyValue[]): PyObject {
  if (typeof a[0] !== 'string') throw new PickleError(`numpy.dtype takes a type string, got ${describe(a[0] ?? null)}`);
  return new PyObject(new PyGlobal('numpy', 'dtype'), [a[0]]);
}

/** `numpy.core.multiarray.scalar(dtype, bytes)`: the number a numpy scalar holds (metadata such as `best_acc`). */
function numpyScalar(a: readonly PyValue[]): PyValue {
  const [dt, raw] = a;
  if (!(dt instanceof PyObject) || dt.cls.qualified !== 'numpy.dtype' || typeof dt.args[0] !== 'string' || !(raw instanceof Uint8Array)) {
    throw new PickleError(`numpy scalar needs a numpy.dtype and bytes, got ${a.map(describe).join(', ')}`);
  }
  const code = dt.args[0];
  const state = dt.state instanceof PyTuple ? dt.state.items : [];
  const little = state[1] !== '>';
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const need: Record<string, number> = { f8: 8, f4: 4, f2: 2, i8: 8, i4: 4, i2: 2, i1: 1, u8: 8, u4: 4, u2: 2, u1: 1, b1: 1 };
  const size = need[code];
  if (size === undefined || raw.length !== size) throw new PickleError(`numpy scalar of dtype '${code}' with ${raw.length} bytes is not read`);
  switch (code) {
    case 'f8':
      return view.getFloat64(0, little);
    case 'f4':
      return view.getFloat32(0, little);
    case 'f2':
      return halfBits(view.getUint16(0, little));
    case 'i8': {
      const v = view.getBigInt64(0, little);
      return Number.isSafeInteger(Number(v)) ? Number(v) : v;
    }
    case 'u8': {
      const v = view.getBigUint64(0, little);
      return Number.isSafeInteger(Number(v)) ? Number(v) : v;
    }
    case 'i4':
      return view.getInt32(0, little);
    case 'u4':
      return view.getUint32(0, little);
    case 'i2':
      return view.getInt16(0, little);
    case 'u2':
      return view.getUint16(0, little);
    case 'i1':
      return view.getInt8(0);
    case 'u1':
      return view.getUint8(0);
    default:
      return view.getUint8(0) !== 0;
  }
}

function halfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Protocol 0/1 object pickles: `copyreg._reconstructor(cls, base, state)` — a placeholder instance of cls. */
function reconstructor(a: readonly PyValue[], ctx: CallContext): PyValue {
  const cls = a[0];
  if (!(cls instanceof PyGlobal)) throw new PickleError(`copyreg._reconstructor needs a class, got ${describe(cls ?? null)}`);
  ctx.warn(cls.qualified);
  return new PyObject(cls, a.slice(2));
}
