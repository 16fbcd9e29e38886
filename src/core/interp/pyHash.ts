// Hash keys of Python values: equal keys for values Python's == calls equal and hash alike (1 == 1.0 == True), so sets and
// dicts find members by a Map lookup. Objects are keyed by identity, as object.__hash__ does. A value the analysis cannot
// key (a symbolic int, an unknown, a list, a tensor) gets null and is compared item by item.
import type { PyValue } from '../ops/values';
import { asObject } from './objects';
import { floatRepr } from './pyFormat';
import { enumPlain } from './enumCore';

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/** A stable identity for an object used as a dict key (its hash is its id, as for Python objects without __hash__). */
function objectIdentity(ref: object): number {
  let id = identities.get(ref);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(ref, id);
  }
  return id;
}

const identity = (o: object): string => `#${objectIdentity(o)}`;

/** The key of a hashable value, or null when it has none the analysis can compute. */
export function hashKey(v: PyValue): string | null {
  switch (v.kind) {
    case 'str':
      return JSON.stringify(v.value);
    case 'int':
      return v.dim.value === null ? null : String(v.dim.value);
    case 'bool':
      return v.value ? '1' : '0';
    case 'float':
      if (Number.isNaN(v.value)) return null;
      return Number.isInteger(v.value) ? String(v.value) : floatRepr(v.value);
    case 'none':
      return 'None';
    case 'ellipsis':
      return 'Ellipsis';
    case 'tuple': {
      const parts: string[] = [];
      for (const x of v.items) {
        const k = hashKey(x);
        if (k === null) return null;
        parts.push(k);
      }
      return `(${parts.join(',')})`;
    }
    case 'object': {
      // A member of an enum with a mixed-in type (IntEnum, StrEnum) hashes as its value.
      const plain = enumPlain(v);
      if (plain !== v) return hashKey(plain);
      const o = asObject(v);
      if (!o) return typeof v.ref === 'string' ? `r${JSON.stringify(v.ref)}` : v.ref !== null && typeof v.ref === 'object' ? identity(v.ref) : null;
      switch (o.t) {
        case 'instance':
          return identity(o.inst);
        case 'class':
          return o.cls.t === 'user' ? identity(o.cls.cls) : `torch:${o.cls.type}`;
        case 'namespace':
          return `ns:${o.path}`;
        case 'func':
          return identity(o.fn);
        case 'builtin':
          return identity(o.call);
        case 'pymodule':
          return identity(o.scope);
        case 'set':
          return null;
        default:
          return identity(o);
      }
    }
    default:
      return null;
  }
}
