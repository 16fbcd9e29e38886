// copy.deepcopy for the values model code clones (modules with their parameters, lists, dicts).
import type { PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { Instance, asObject, type Tensor } from './objects';
import { enumMember } from './enumCore';

export function deepCopy(ip: Evaluator, v: PyValue, memo = new Map<unknown, PyValue>()): PyValue {
  const seen = memo.get(v);
  if (seen) return seen;
  switch (v.kind) {
    case 'tensor': {
      const t = v as Tensor;
      const copy = ip.rec.tensor(t.shape, t.dtype);
      ip.facts.copy(t, copy);
      memo.set(v, copy);
      return copy;
    }
    case 'list': {
      const out: PyValue = { kind: 'list', items: [] };
      memo.set(v, out);
      for (const x of v.items) out.items.push(deepCopy(ip, x, memo));
      return out;
    }
    case 'tuple':
      return { ...v, items: v.items.map((x) => deepCopy(ip, x, memo)) };
    case 'dict': {
      const entries = new Map<string, PyValue>();
      for (const [k, x] of v.entries) entries.set(k, deepCopy(ip, x, memo));
      return { kind: 'dict', entries, keys: [...v.keys] };
    }
    case 'object': {
      const o = asObject(v);
      // Enum members are singletons: deepcopy returns them unchanged.
      if (!o || o.t !== 'instance' || enumMember(v)) return v;
      const src = o.inst;
      const inst = new Instance(src.cls, src.typeName, src.isModule);
      memo.set(v, inst.value);
      inst.leaf = src.leaf;
      inst.leafAttrs = src.leafAttrs;
      inst.container = src.container;
      inst.ctorRange = src.ctorRange;
      for (const n of src.nonPersistent) inst.nonPersistent.add(n);
      for (const [k, x] of src.dict) inst.dict.set(k, deepCopy(ip, x, memo));
      for (const [k, p] of src.params) inst.params.set(k, p ? (deepCopy(ip, p, memo) as Tensor) : null);
      for (const [k, b] of src.buffers) inst.buffers.set(k, b ? (deepCopy(ip, b, memo) as Tensor) : null);
      for (const [k, m] of src.modules) {
        const c = m ? asObject(deepCopy(ip, m.value, memo)) : null;
        inst.modules.set(k, c && c.t === 'instance' ? c.inst : null);
      }
      ip.facts.copy(src, inst);
      return inst.value;
    }
    default:
      return v;
  }
}
