// Tensors (and Nones) inside tuples, lists and dicts, named `[i]` / `['key']`, nested at most three levels (the oracle's rule).
import type { PyValue } from '../ops/values';
import type { Tensor } from './objects';
import { floatRepr } from './pyFormat';
import { enumPlain, enumRepr } from './enumCore';
import { hashKey } from './pyHash';

const MAX_ITEMS = 512;

export function tensorLeaves(v: PyValue, suffix = '', depth = 0, out: [string, Tensor | null][] = []): [string, Tensor | null][] {
  if (v.kind === 'none') out.push([suffix, null]);
  else if (v.kind === 'tensor') out.push([suffix, v as Tensor]);
  else if (depth >= 3) return out;
  else if (v.kind === 'tuple' || v.kind === 'list') {
    if (v.items.length <= MAX_ITEMS) v.items.forEach((x, i) => tensorLeaves(x, `${suffix}[${i}]`, depth + 1, out));
  } else if (v.kind === 'dict') {
    if (v.keys.length <= MAX_ITEMS) {
      for (const k of v.keys) {
        const item = v.entries.get(dictKey(k));
        if (item) tensorLeaves(item, `${suffix}[${pyRepr(k)}]`, depth + 1, out);
      }
    }
  }
  return out;
}

/** The Map key of a Python dict key: strings as themselves, other keys by a tagged hash key (equal for 1, 1.0 and True;
 *  objects by identity), or by their repr when the analysis cannot hash them. */
export function dictKey(k: PyValue): string {
  // A str-mixin enum member is the same key as its value.
  const plain = k.kind === 'object' ? enumPlain(k) : k;
  if (plain.kind === 'str') return plain.value;
  return `\u0000${hashKey(plain) ?? pyRepr(plain)}`;
}

/** Python's repr for the simple values that can be dict keys or appear in messages. */
export function pyRepr(v: PyValue): string {
  switch (v.kind) {
    case 'str':
      return v.value.includes("'") && !v.value.includes('"') ? `"${v.value}"` : `'${v.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'int':
      return v.dim.value === null ? '?' : String(v.dim.value);
    case 'float':
      return floatRepr(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple':
      if (v.isSize) return `torch.Size([${v.items.map(pyRepr).join(', ')}])`;
      return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : `(${v.items.map(pyRepr).join(', ')})`;
    case 'list':
      return `[${v.items.map(pyRepr).join(', ')}]`;
    case 'dict':
      return `{${v.keys.map((k) => `${pyRepr(k)}: ${pyRepr(v.entries.get(dictKey(k)) ?? { kind: 'none' })}`).join(', ')}}`;
    case 'ellipsis':
      return 'Ellipsis';
    case 'object':
      return enumRepr(v, pyRepr) ?? `<${v.kind}>`;
    default:
      return `<${v.kind}>`;
  }
}
