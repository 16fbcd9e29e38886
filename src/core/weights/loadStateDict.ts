// Matches a safetensors file against a model's state_dict entries by name, with errors that list every mismatch.
import type { StateEntry } from '../graph/modelGraph';
import type { SafetensorsFile, StoredTensor } from './readSafetensors';
import type { StateDict, StateTensor } from './stateTensor';
import { toFloat32 } from './toFloat32';

export interface LoadedStateDict {
  readonly tensors: StateDict;
  /** Entries absent from the file that were filled with their default (BatchNorm `num_batches_tracked`). */
  readonly defaulted: readonly string[];
  /** Entries whose stored dtype was converted (e.g. F16 → float32). */
  readonly converted: readonly string[];
}

export interface ShapeMismatch {
  readonly name: string;
  readonly expected: readonly number[];
  readonly actual: readonly number[];
}

export class StateDictError extends Error {
  constructor(
    readonly missing: readonly string[],
    readonly unexpected: readonly string[],
    readonly mismatched: readonly ShapeMismatch[],
    readonly badDtype: readonly string[],
    source: string,
  ) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${missing.length}: ${listNames(missing)}`);
    if (unexpected.length) parts.push(`unexpected ${unexpected.length}: ${listNames(unexpected)}`);
    if (mismatched.length) {
      const shown = mismatched.map((m) => `${m.name} (model [${m.expected.join(', ')}], file [${m.actual.join(', ')}])`);
      parts.push(`wrong shape ${mismatched.length}: ${listNames(shown)}`);
    }
    if (badDtype.length) parts.push(`unusable dtype ${badDtype.length}: ${listNames(badDtype)}`);
    super(`${source} does not fit the model's state_dict: ${parts.join('; ')}`);
    this.name = 'StateDictError';
  }
}

function listNames(names: readonly string[], max = 12): string {
  const head = names.slice(0, max).join(', ');
  return names.length > max ? `${head}, … and ${names.length - max} more` : head;
}

const FLOAT_CODES = new Set(['F32', 'F16', 'BF16', 'F64']);
const INT_CODES = new Set(['I64', 'I32', 'I16', 'I8', 'U8']);

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function convert(entry: StateEntry, t: StoredTensor): StateTensor | null {
  if (entry.dtype === 'int64') {
    if (t.data instanceof BigInt64Array) return t.data;
    if (!INT_CODES.has(t.code)) return null;
    return BigInt64Array.from(t.data as ArrayLike<number>, (v) => BigInt(v));
  }
  if (entry.dtype === 'float32') return FLOAT_CODES.has(t.code) ? toFloat32(t) : null;
  return null;
}

/**
 * The file must hold exactly the model's entries with the same shapes. Tied parameters (`aliasOf`)
 * may be stored once; a BatchNorm `num_batches_tracked` missing from the file becomes 0, as
 * PyTorch does for old checkpoints, since it has no effect on an eval-mode forward pass.
 */
export function loadStateDict(entries: readonly StateEntry[], file: SafetensorsFile, source = 'weights file'): LoadedStateDict {
  const tensors: StateDict = new Map();
  const missing: string[] = [];
  const mismatched: ShapeMismatch[] = [];
  const badDtype: string[] = [];
  const defaulted: string[] = [];
  const converted: string[] = [];
  const known = new Set(entries.map((e) => e.name));

  for (const e of entries) {
    const stored = file.tensors.get(e.name);
    if (!stored) {
      if (e.aliasOf !== undefined && tensors.has(e.aliasOf)) {
        tensors.set(e.name, tensors.get(e.aliasOf)!);
      } else if (e.dtype === 'int64' && e.name.endsWith('num_batches_tracked')) {
        tensors.set(e.name, new BigInt64Array(e.shape.reduce((a, b) => a * b, 1)));
        defaulted.push(e.name);
      } else {
        missing.push(e.name);
      }
      continue;
    }
    if (!sameShape(stored.shape, e.shape)) {
      mismatched.push({ name: e.name, expected: e.shape, actual: stored.shape });
      continue;
    }
    const data = convert(e, stored);
    if (!data) {
      badDtype.push(`${e.name} (model ${e.dtype}, file ${stored.code})`);
      continue;
    }
    if (data !== stored.data) converted.push(e.name);
    tensors.set(e.name, data);
  }
  const unexpected = [...file.tensors.keys()].filter((n) => !known.has(n));
  if (missing.length || unexpected.length || mismatched.length || badDtype.length) {
    throw new StateDictError(missing, unexpected, mismatched, badDtype, source);
  }
  return { tensors, defaulted, converted };
}
