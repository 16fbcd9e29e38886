// Shared state and small helpers of the stdlib emulation: attribute objects, defaultdict factories, named-tuple
// classes, Counter dicts, numpy-array tensors and numpy dtypes (no imports of the module emulations themselves).
import type { Range } from '../python/ast';
import type { PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, obj } from './objects';

/** A plain object with fixed attributes (match objects, signatures, SimpleNamespace); reads like a module's globals. */
export function attrObject(typeName: string, attrs: Iterable<[string, PyValue]>): PyValue {
  return obj({ t: 'pymodule', scope: { file: `<${typeName}>`, name: typeName, globals: new Map(attrs) } }, typeName);
}

/** Default factories of `collections.defaultdict` values (and 0 for Counter), keyed by the dict value. */
export const defaultFactories = new WeakMap<object, PyValue>();

/** The value `d[key]` gives for a missing key of a defaultdict (stored, as Python does); null for a plain dict. */
export function missingDictItem(ip: Evaluator, d: Extract<PyValue, { kind: 'dict' }>, key: PyValue, r: Range | null): PyValue | null {
  const f = defaultFactories.get(d);
  if (!f) return null;
  if (f.kind === 'none') return null;
  const v = ip.call(f, [], new Map(), r);
  ip.dictSet(d.entries, d.keys, key, v);
  return v;
}

export function dictOf(ip: Evaluator, entries: Iterable<[PyValue, PyValue]>): Extract<PyValue, { kind: 'dict' }> {
  const d: Extract<PyValue, { kind: 'dict' }> = { kind: 'dict', entries: new Map(), keys: [] };
  for (const [k, v] of entries) ip.dictSet(d.entries, d.keys, k, v);
  return d;
}

/** Classes made by namedtuple(): their fields, for `_fields`, `_make` and isinstance. */
export const namedtupleTypes = new WeakMap<object, { fields: readonly string[]; fieldTuple: PyValue; make: (items: PyValue[]) => PyValue; newObj: PyValue }>();

/** Dicts made by Counter() (for most_common and their missing-key default). */
export const counters = new WeakSet<object>();

export const NP_DTYPES: Record<string, string> = {
  float32: 'float32',
  float64: 'float64',
  float16: 'float16',
  double: 'float64',
  single: 'float32',
  half: 'float16',
  float_: 'float64',
  int64: 'int64',
  int32: 'int32',
  int16: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool_: 'bool',
  int_: 'int64',
  intc: 'int32',
  longlong: 'int64',
};

/** Tensors that stand for numpy arrays (the line tracer does not report them: PyTorch's tracer sees no tensor there). */
export const numpyArrays = new WeakSet<object>();

/** The torch dtype a numpy dtype (np.float32, 'float32', float) stands for; null when not a dtype. */
export function npDtype(v: PyValue | undefined): PyValue | null {
  if (!v || v.kind === 'none') return null;
  if (v.kind === 'object' && v.typeName === 'torch.dtype') return v;
  const o = asObject(v);
  if (o && o.t === 'builtin') {
    const n = o.name.replace(/^numpy\./, '');
    if (n in NP_DTYPES) return { kind: 'object', typeName: 'torch.dtype', ref: NP_DTYPES[n] };
    if (n === 'float') return { kind: 'object', typeName: 'torch.dtype', ref: 'float64' };
    if (n === 'int') return { kind: 'object', typeName: 'torch.dtype', ref: 'int64' };
    if (n === 'bool') return { kind: 'object', typeName: 'torch.dtype', ref: 'bool' };
  }
  if (v.kind === 'str' && v.value in NP_DTYPES) return { kind: 'object', typeName: 'torch.dtype', ref: NP_DTYPES[v.value] };
  return null;
}
