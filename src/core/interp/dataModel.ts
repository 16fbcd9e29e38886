// The Python data model on instances beyond plain attributes: `__dict__`, explicit `__setattr__`/`__getattr__`/
// `__getattribute__`/`__delattr__` (object's and nn.Module's own), user `__getattr__` fallbacks and `__setattr__`
// overrides, and the hyper-parameters of built torch layers that forward reads (`conv.stride = 1` changes it).
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, obj, unknown, type Instance } from './objects';
import { pyStr } from './pyOps';
import { dataclassFieldsOf, fieldObject } from './pyDataclass';

/** A user-defined method of the instance's class (not the torch/object default), or null. */
export function userOverride(ev: Evaluator, inst: Instance, name: string): PyValue | null {
  if (inst.cls.t !== 'user') return null;
  for (const c of inst.cls.cls.mro) {
    const raw = ev.lookupInClass(c, name);
    if (raw) {
      const o = asObject(raw);
      return o && o.t === 'func' ? ev.bindFromClass(raw, inst.value, c) : null;
    }
  }
  return null;
}

/** `inst.__dict__`: a dict sharing the instance's attribute map (updates through it set attributes). */
export function instanceDict(inst: Instance): PyValue {
  return { kind: 'dict', entries: inst.dict, keys: [...inst.dict.keys()].map(pyStr) };
}

type SetAttr = (ev: Evaluator, inst: Instance, name: string, v: PyValue, r: Range | null, bypass: boolean) => void;
type GetAttr = (ev: Evaluator, inst: Instance, name: string, r: Range | null, torchOnly?: boolean, quiet?: boolean) => PyValue;

/**
 * Attributes every object has that the class namespace does not hold: `__dict__` and the default implementations of
 * the attribute protocol (what `object.__setattr__`, `nn.Module.__getattr__` and `super().__setattr__` do). Null otherwise.
 */
export function defaultDunder(ev: Evaluator, inst: Instance, name: string, get: GetAttr, set: SetAttr): PyValue | null {
  const method = (call: (a: PyValue[]) => PyValue) => obj({ t: 'builtin', name, call: (a) => call(a) }, 'method');
  switch (name) {
    case '__dict__':
      return instanceDict(inst);
    case '__dataclass_fields__': {
      const fields = dataclassFieldsOf(inst.value);
      if (!fields) return null;
      const d: Extract<PyValue, { kind: 'dict' }> = { kind: 'dict', entries: new Map(), keys: [] };
      for (const f of fields) ev.dictSet(d.entries, d.keys, pyStr(f.name), fieldObject(f));
      return d;
    }
    case '__setattr__':
      return method((a) => {
        if (a[0]?.kind === 'str') set(ev, inst, a[0].value, a[1] ?? NONE, ev.site.range, true);
        else ev.diag('warning', 'unsupported', '__setattr__ with a name not known at analysis time', ev.site.range);
        return NONE;
      });
    case '__getattr__':
    case '__getattribute__':
      return method((a) =>
        a[0]?.kind === 'str'
          ? get(ev, inst, a[0].value, ev.site.range, name === '__getattr__' && inst.isModule)
          : unknown(`${name} with a name not known at analysis time`),
      );
    case '__delattr__':
      return method((a) => {
        if (a[0]?.kind === 'str') deleteInstanceAttr(ev, inst, a[0].value, ev.site.range);
        return NONE;
      });
  }
  return null;
}

/** Removes an attribute, submodule, parameter or buffer (nn.Module.__delattr__), warning when there is none. */
export function deleteInstanceAttr(ev: Evaluator, inst: Instance, name: string, r: Range | null): void {
  const had = inst.dict.delete(name) || inst.modules.delete(name) || inst.params.delete(name) || inst.buffers.delete(name);
  inst.nonPersistent.delete(name);
  if (!had) ev.diag('warning', 'unknown-attr', `'${inst.typeName}' object has no attribute '${name}' to delete (as far as the analysis knows)`, r);
}

/** `del target.name` / delattr(): the class's __delattr__ if it has one, else nn.Module/object semantics. */
export function deleteAttr(ev: Evaluator, target: PyValue, name: string, r: Range | null): void {
  const o = asObject(target);
  if (o && o.t === 'instance') {
    const own = userOverride(ev, o.inst, '__delattr__');
    if (own) ev.call(own, [pyStr(name)], new Map(), r);
    else deleteInstanceAttr(ev, o.inst, name, r);
    return;
  }
  if (o && o.t === 'class' && o.cls.t === 'user') return void o.cls.cls.ns.delete(name);
  if (o && o.t === 'pymodule') return void o.scope.globals.delete(name);
  if (o && o.t === 'func') return void o.fn.attrs.delete(name);
  if (target.kind !== 'unknown')
    ev.diag('warning', 'unsupported', `deleting attribute '${name}' of ${target.kind === 'object' ? target.typeName : target.kind} is not analysed`, r);
}

/** Constructor arguments of a built layer that define its parameters' shapes: writing them later does not change forward. */
const SHAPE_DEFINING = new Set([
  'in_channels',
  'out_channels',
  'kernel_size',
  'in_features',
  'out_features',
  'num_features',
  'normalized_shape',
  'num_embeddings',
  'embedding_dim',
  'num_parameters',
  'input_size',
  'hidden_size',
  'embed_dim',
]);

/**
 * `layer.stride = (1, 1)` on a built torch layer: the attributes forward reads (stride, padding, dilation, groups, eps,
 * a pooling layer's kernel_size, …) change what it computes from then on. True when the write was taken as such.
 */
export function setLeafAttr(inst: Instance, name: string, v: PyValue): boolean {
  if (!inst.leafAttrs || !(name in inst.leafAttrs)) return false;
  if (inst.params.has(name) || inst.buffers.has(name) || inst.modules.has(name) || v.kind === 'tensor' || v.kind === 'none') return false;
  // A layer with parameters keeps the weight it built: its shape-defining sizes are read from the weight, not the attribute.
  if (SHAPE_DEFINING.has(name) && inst.params.size > 0) return false;
  if (name === 'padding_mode' || v.kind === 'unknown') return false;
  inst.leafAttrs = { ...inst.leafAttrs, [name]: v };
  return true;
}
