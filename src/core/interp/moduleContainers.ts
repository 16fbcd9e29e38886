// nn.Sequential / ModuleList / ModuleDict as containers: indexing, slicing, item assignment, iteration and len().
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { Instance, unknown } from './objects';
import { pyInt, pyStr } from './pyOps';
import { addChild, instanceGetAttr } from './moduleRuntime';

function childAt(ip: Evaluator, inst: Instance, i: number, r: Range | null): PyValue {
  const entries = [...inst.modules.values()];
  const j = i < 0 ? entries.length + i : i;
  if (j < 0 || j >= entries.length) {
    ip.diag('error', 'index', `index ${i} is out of range for ${inst.typeName} of length ${entries.length}`, r);
    return unknown('index out of range');
  }
  return entries[j]?.value ?? NONE;
}

export function moduleGetItem(ip: Evaluator, inst: Instance, index: PyValue, r: Range | null): PyValue {
  if (inst.container === 'Sequential' || inst.container === 'ModuleList') {
    if (index.kind === 'int' && index.dim.value !== null) return childAt(ip, inst, index.dim.value, r);
    if (index.kind === 'slice') {
      const keys = [...inst.modules.keys()];
      const idx = ip.sliceIndices(index, keys.length);
      if (!idx) return unknown('slice with unknown bounds');
      const out = new Instance(
        inst.cls.t === 'torch' ? inst.cls : { t: 'torch', type: inst.container, leaf: null },
        inst.container === 'Sequential' && inst.cls.t === 'torch' ? 'Sequential' : inst.typeName,
        true,
      );
      out.container = inst.container;
      // Sequential slices keep their keys; ModuleList slices are renumbered.
      idx.forEach((i, n) => out.modules.set(inst.container === 'Sequential' ? keys[i] : String(n), inst.modules.get(keys[i]) ?? null));
      return out.value;
    }
    return index.kind === 'unknown' ? index : unknown('module index not known');
  }
  if (inst.container === 'ModuleDict') {
    if (index.kind === 'str') {
      const m = inst.modules.get(index.value);
      if (m) return m.value;
      ip.diag('error', 'key', `ModuleDict has no key '${index.value}'`, r);
      return unknown('missing key');
    }
    return unknown('ModuleDict key not known');
  }
  if (inst.container === 'ParameterList' || inst.container === 'ParameterDict') {
    const key =
      index.kind === 'int' && index.dim.value !== null
        ? String(index.dim.value < 0 ? inst.params.size + index.dim.value : index.dim.value)
        : index.kind === 'str'
          ? index.value
          : null;
    const p = key !== null ? inst.params.get(key) : undefined;
    return p ?? unknown('parameter not found');
  }
  const m = instanceGetAttr(ip, inst, '__getitem__', r, false, true);
  if (m.kind !== 'unknown') return ip.call(m, [index], new Map(), r);
  return ip.unsupported(`subscript of ${inst.typeName}`, r);
}

export function moduleSetItem(ip: Evaluator, inst: Instance, index: PyValue, v: PyValue, r: Range | null): void {
  if (inst.container === 'ModuleDict' && index.kind === 'str') return addChild(ip, inst, index.value, v, r);
  if ((inst.container === 'Sequential' || inst.container === 'ModuleList') && index.kind === 'int' && index.dim.value !== null) {
    const keys = [...inst.modules.keys()];
    const i = index.dim.value < 0 ? keys.length + index.dim.value : index.dim.value;
    if (keys[i] !== undefined) addChild(ip, inst, keys[i], v, r);
    return;
  }
  if (inst.dict.size && !inst.isModule) return;
  ip.unsupported(`item assignment on ${inst.typeName}`, r);
}

export function moduleIter(ip: Evaluator, inst: Instance, r: Range | null): PyValue[] | null {
  if (inst.container === 'Sequential' || inst.container === 'ModuleList') return [...inst.modules.values()].map((m) => m?.value ?? NONE);
  if (inst.container === 'ModuleDict') return [...inst.modules.keys()].map(pyStr);
  if (inst.container === 'ParameterList') return [...inst.params.values()].map((p) => p ?? NONE);
  if (inst.container === 'ParameterDict') return [...inst.params.keys()].map(pyStr);
  const m = instanceGetAttr(ip, inst, '__iter__', r, false, true);
  if (m.kind !== 'unknown') return ip.iterate(ip.call(m, [], new Map(), r), r);
  ip.unsupported(`iteration over ${inst.typeName}`, r);
  return null;
}

export function moduleLen(ip: Evaluator, inst: Instance, r: Range | null): PyValue {
  if (inst.container === 'ParameterList' || inst.container === 'ParameterDict') return pyInt(inst.params.size);
  if (inst.container) return pyInt(inst.modules.size);
  const m = instanceGetAttr(ip, inst, '__len__', r, false, true);
  if (m.kind !== 'unknown') return ip.call(m, [], new Map(), r);
  return ip.unsupported(`len() of ${inst.typeName}`, r);
}
