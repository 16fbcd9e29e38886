// Tensors (and Nones) inside tuples, lists and dicts, named `[i]` / `['key']`, nested at most three levels (the oracle's rule).
import type { PyValue } from '../ops/values';
import type { Tensor } from './objects';
import { floatRepr } from './pyFormat';
import { enumPlain, enumRepr, objectIdentity } from './enumCore';
import { asObject } from './objects';

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

/** The Map key of a Python dict key: strings as themselves, other keys by a tagged repr. */
export function dictKey(k: PyValue): string {
  if (k.kind === 'str') return k.value;
  if (k.kind === 'object') return objectKey(k);
  return `\u0000${pyRepr(k)}`;
}

/** Objects hash by identity (a mixed-in enum member as its value, a torch class by its name). */
function objectKey(k: Extract<PyValue, { kind: 'object' }>): string {
  const plain = enumPlain(k);
  if (plain !== k) return dictKey(plain);
  const o = asObject(k);
  if (!o) return typeof k.ref === 'object' && k.ref !== null ? `\u0001${objectIdentity(k.ref)}` : `\u0000<${k.typeName} ${String(k.ref)}>`;
  switch (o.t) {
    case 'instance':
      return `\u0001${objectIdentity(o.inst)}`;
    case 'class':
      return o.cls.t === 'user' ? `\u0001${objectIdentity(o.cls.cls)}` : `\u0000<class ${o.cls.type}>`;
    case 'func':
      return `\u0001${objectIdentity(o.fn)}`;
    case 'builtin':
      return `\u0001${objectIdentity(o.call)}`;
    case 'namespace':
      return `\u0000<namespace ${o.path}>`;
    case 'pymodule':
      return `\u0001${objectIdentity(o.scope)}`;
    default:
      return `\u0001${objectIdentity(o)}`;
  }
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
