// A torch.save checkpoint as a state dict: finds the candidate state dicts (nested, EMA, whole pickled modules), picks one, strips wrapper prefixes.
import { codeFromDtype } from '../safetensorsDtype';
import type { SafetensorsFile, StoredTensor } from '../readSafetensors';
import { describe, PyDict, PyList, PyObject, PySet, PyTuple, TorchTensor, type PyValue } from './pickleValues';
import { CheckpointError, readTorchFile, type TorchFile, type TorchFileLimits, DEFAULT_TORCH_LIMITS } from './readTorchFile';
import { tensorFromStorage } from './tensorFromStorage';

export interface StateDictCandidate {
  /** Dotted path of the entry in the checkpoint (`''` for the file itself, `model`, `ema.module`). */
  readonly path: string;
  readonly tensors: number;
  /** A dict of tensors, or the state dict of a whole pickled nn.Module (read from its placeholders). */
  readonly kind: 'dict' | 'module';
}

export interface CheckpointEntrySummary {
  readonly key: string;
  readonly text: string;
}

export interface Checkpoint extends SafetensorsFile {
  readonly format: 'torch-zip' | 'torch-legacy';
  /** The candidate read (see `candidates`). */
  readonly entry: StateDictCandidate;
  readonly candidates: readonly StateDictCandidate[];
  /** Wrapper prefixes removed from every key (`module.` of DataParallel, `_orig_mod.` of torch.compile). */
  readonly strippedPrefixes: readonly string[];
  /** Tensors of the chosen state dict whose dtype is not read (complex, quantized…), with their dtype. */
  readonly skipped: readonly string[];
  /** Top-level entries besides the state dict (`epoch`, `best_acc`, optimizer state summarised). */
  readonly others: readonly CheckpointEntrySummary[];
  readonly warnings: readonly string[];
  readonly placeholders: readonly string[];
  readonly bigEndian: boolean;
}

export interface CheckpointOptions {
  /** Path of the candidate to read (as listed in `candidates`); default: the best guess. */
  readonly entry?: string;
  readonly limits?: TorchFileLimits;
}

const PREFIXES = ['module.', '_orig_mod.'];
/** Preferred names of the model's own state dict, best first; EMA copies come after any of these. */
const PREFERRED = ['state_dict', 'model_state_dict', 'model', 'module', 'net', 'network', 'model_state', 'weights', 'params', 'params_ema'];
const MAX_DEPTH = 5;

function isOptimizer(d: PyDict): boolean {
  return d.get('state') instanceof PyDict && d.get('param_groups') instanceof PyList;
}

function stringKeyed(d: PyDict): [string, PyValue][] | null {
  const out: [string, PyValue][] = [];
  for (const [k, v] of d.entries()) {
    if (typeof k !== 'string') return null;
    out.push([k, v]);
  }
  return out;
}

/**
 * `{name: tensor}`: string keys, at least one tensor and at least half of the values tensors, no nested
 * dicts or modules (those make it a checkpoint, not a state dict). Other values are left out and named.
 */
function tensorDict(d: PyDict): Map<string, TorchTensor> | null {
  const items = stringKeyed(d);
  if (!items) return null;
  const out = new Map<string, TorchTensor>();
  for (const [k, v] of items) {
    if (v instanceof TorchTensor) out.set(k, v);
    else if (v instanceof PyDict || isModuleObject(v)) return null;
  }
  return out.size && out.size * 2 >= items.length ? out : null;
}

function attr(o: PyObject, name: string): PyValue | undefined {
  const st = o.state instanceof PyTuple && o.state.items.length === 2 ? o.state.items[0]! : o.state;
  return st instanceof PyDict ? st.get(name) : undefined;
}

function isModuleObject(v: PyValue): v is PyObject {
  return v instanceof PyObject && attr(v, '_parameters') instanceof PyDict;
}

/** The state dict of a pickled nn.Module, read from `_parameters`, `_buffers` and `_modules` of its placeholders. */
function moduleStateDict(root: PyObject): Map<string, TorchTensor> {
  const out = new Map<string, TorchTensor>();
  const seen = new Set<PyObject>();
  const walk = (m: PyObject, prefix: string, depth: number): void => {
    if (seen.has(m) || depth > 64) return;
    seen.add(m);
    const nonPersistent = attr(m, '_non_persistent_buffers_set');
    const skip = new Set(nonPersistent instanceof PySet ? nonPersistent.items.filter((x): x is string => typeof x === 'string') : []);
    for (const field of ['_parameters', '_buffers']) {
      const d = attr(m, field);
      if (!(d instanceof PyDict)) continue;
      for (const [k, v] of d.entries()) {
        if (typeof k === 'string' && v instanceof TorchTensor && !(field === '_buffers' && skip.has(k))) out.set(prefix + k, v);
      }
    }
    const children = attr(m, '_modules');
    if (children instanceof PyDict) {
      for (const [k, v] of children.entries()) if (typeof k === 'string' && isModuleObject(v)) walk(v, `${prefix}${k}.`, depth + 1);
    }
  };
  walk(root, '', 0);
  return out;
}

interface Found extends StateDictCandidate {
  readonly read: () => Map<string, TorchTensor>;
}

function findCandidates(root: PyValue): Found[] {
  const found: Found[] = [];
  const seen = new Set<object>();
  const visit = (v: PyValue, path: string, depth: number): void => {
    if (depth > MAX_DEPTH || v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (isModuleObject(v)) {
      const sd = moduleStateDict(v);
      if (sd.size) found.push({ path, tensors: sd.size, kind: 'module', read: () => sd });
      return;
    }
    if (!(v instanceof PyDict) || isOptimizer(v)) return;
    const td = tensorDict(v);
    if (td) {
      found.push({ path, tensors: td.size, kind: 'dict', read: () => td });
      return;
    }
    for (const [k, child] of stringKeyed(v) ?? []) visit(child, path ? `${path}.${k}` : k, depth + 1);
  };
  visit(root, '', 0);
  return found;
}

function pathValue(root: PyValue, path: string): PyValue | undefined {
  let v: PyValue | undefined = root;
  for (const k of path.split('.')) v = v instanceof PyDict ? v.get(k) : undefined;
  return v;
}

function rank(c: StateDictCandidate): number {
  const last = c.path.split('.').pop()!.toLowerCase();
  const i = PREFERRED.indexOf(last);
  if (c.path === '') return 0;
  if (/ema/.test(c.path.toLowerCase())) return 100;
  return i >= 0 ? 1 + i : 50;
}

/** Orders candidates best first: the file itself, preferred names, others, EMA copies; more tensors first within a rank. */
function ordered(cands: Found[]): Found[] {
  return [...cands].sort((a, b) => rank(a) - rank(b) || b.tensors - a.tensors);
}

function summarise(key: string, v: PyValue): string {
  if (v instanceof PyDict && isOptimizer(v)) {
    const state = v.get('state') as PyDict;
    const groups = (v.get('param_groups') as PyList).items;
    const slots = new Set<string>();
    for (const [, s] of state.entries()) if (s instanceof PyDict) for (const [k] of s.entries()) if (typeof k === 'string') slots.add(k);
    const lr = groups.map((g) => (g instanceof PyDict ? g.get('lr') : undefined)).filter((x) => typeof x === 'number');
    const parts = [`optimizer state for ${state.size} parameters`];
    if (slots.size) parts.push(`slots ${[...slots].join(', ')}`);
    parts.push(`${groups.length} param group${groups.length === 1 ? '' : 's'}`);
    if (lr.length) parts.push(`lr ${[...new Set(lr)].join(', ')}`);
    return parts.join('; ');
  }
  if (v instanceof TorchTensor) return `tensor [${v.shape.join(', ')}] ${v.dtype.name}`;
  if (v instanceof PyDict) {
    const td = tensorDict(v);
    if (td) return `${td.size} tensors`;
    return `dict of ${v.size} entries`;
  }
  if (v instanceof PyObject && isModuleObject(v)) return `${v.cls.qualified} (pickled module)`;
  return describe(v);
}

/** Removes a wrapper prefix every key carries, repeatedly (`module._orig_mod.conv.weight` → `conv.weight`). */
function stripPrefixes(names: string[]): { names: string[]; stripped: string[] } {
  const stripped: string[] = [];
  for (;;) {
    const p = PREFIXES.find((x) => names.length > 0 && names.every((n) => n.startsWith(x) && n.length > x.length));
    if (!p) return { names, stripped };
    stripped.push(p);
    names = names.map((n) => n.slice(p.length));
  }
}

/** Reads a torch.save file (bytes) as a state dict, with what else it holds. Throws CheckpointError with a clear message. */
export function readCheckpoint(bytes: Uint8Array, source = 'checkpoint', options: CheckpointOptions = {}): Checkpoint {
  const file: TorchFile = readTorchFile(bytes, source, options.limits ?? DEFAULT_TORCH_LIMITS);
  const found = ordered(findCandidates(file.root));
  const candidates = found.map(({ path, tensors, kind }) => ({ path, tensors, kind }));
  if (!found.length) {
    throw new CheckpointError(
      `${source}: no state dict found (the file holds ${summarise('', file.root)}; a state dict is a dict of tensors or a pickled nn.Module)`,
    );
  }
  let chosen = found[0]!;
  if (options.entry !== undefined) {
    const want = found.find((c) => c.path === options.entry);
    if (!want) throw new CheckpointError(`${source}: no state dict at '${options.entry}' (found: ${candidates.map((c) => c.path || '(file)').join(', ')})`);
    chosen = want;
  }
  const warnings: string[] = [];
  const moduleClasses = file.placeholders.filter((p) => /^torch\.nn\.|^__main__\./.test(p));
  if (file.placeholders.length) {
    warnings.push(
      `${file.placeholders.length} global${file.placeholders.length === 1 ? '' : 's'} outside the allow-list became inert placeholders ` +
        `(nothing was imported or called): ${file.placeholders.slice(0, 12).join(', ')}${file.placeholders.length > 12 ? ', …' : ''}`,
    );
  }
  if (chosen.kind === 'module' || moduleClasses.length) warnings.push('the file pickles a whole model object; only its tensors were read');
  if (found.length > 1) {
    warnings.push(
      `read the state dict at '${chosen.path || '(file)'}'; others: ${candidates
        .filter((c) => c.path !== chosen.path)
        .map((c) => `'${c.path || '(file)'}' (${c.tensors})`)
        .join(', ')}`,
    );
  }
  const raw = chosen.read();
  if (chosen.kind === 'dict') {
    const holder = chosen.path === '' ? file.root : pathValue(file.root, chosen.path);
    const left = holder instanceof PyDict ? (stringKeyed(holder) ?? []).filter(([, v]) => !(v instanceof TorchTensor)).map(([k]) => k) : [];
    if (left.length)
      warnings.push(
        `left out ${left.length} entr${left.length === 1 ? 'y' : 'ies'} of the state dict that ${left.length === 1 ? 'is' : 'are'} not tensors: ${left.slice(0, 8).join(', ')}`,
      );
  }
  const { names, stripped } = stripPrefixes([...raw.keys()]);
  if (stripped.length) warnings.push(`stripped the prefix ${stripped.map((p) => `'${p}'`).join(' then ')} from every key`);
  const tensors = new Map<string, StoredTensor>();
  const skipped: string[] = [];
  let i = 0;
  for (const t of raw.values()) {
    const name = names[i++]!;
    const v = tensorFromStorage(t, file.bigEndian);
    if (!v) {
      skipped.push(`${name} (${t.dtype.name})`);
      continue;
    }
    tensors.set(name, { name, code: codeFromDtype(v.dtype), dtype: v.dtype, shape: v.shape, data: v.data, zeroCopy: v.zeroCopy });
  }
  if (skipped.length)
    warnings.push(`${skipped.length} tensor${skipped.length === 1 ? '' : 's'} of unsupported dtypes not read: ${skipped.slice(0, 6).join(', ')}`);
  const others: CheckpointEntrySummary[] = [];
  if (file.root instanceof PyDict && chosen.path !== '') {
    const top = chosen.path.split('.')[0];
    for (const [k, v] of stringKeyed(file.root) ?? []) if (k !== top) others.push({ key: k, text: summarise(k, v) });
  }
  return {
    format: file.format === 'zip' ? 'torch-zip' : 'torch-legacy',
    tensors,
    metadata: null,
    entry: { path: chosen.path, tensors: chosen.tensors, kind: chosen.kind },
    candidates,
    strippedPrefixes: stripped,
    skipped,
    others,
    warnings,
    placeholders: file.placeholders,
    bigEndian: file.bigEndian,
  };
}
