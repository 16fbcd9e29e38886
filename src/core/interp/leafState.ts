// A leaf torch module's own parameters and buffers: built by its constructor, or, for a lazy module (an entry with
// `lazy`, PyTorch's LazyModuleMixin), at its first call from the input's size. Generic over the registry's entries.
import type { Range } from '../python/ast';
import { dim } from '../shape/dim';
import type { ValueSource } from '../graph/modelGraph';
import type { BoundArgs, LazyArgs, ModuleOpDef } from '../ops/types';
import type { PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { Instance, unknown } from './objects';
import { pyInt } from './pyOps';

/** Runs a leaf constructor's checks and builds its tensors; a lazy module whose tensors wait for the input builds none yet. */
export function constructLeaf(ip: Evaluator, inst: Instance, def: ModuleOpDef, bound: BoundArgs): void {
  const attrs = def.lazy ? withZeros(def.lazy, bound) : bound;
  def.validate?.(attrs);
  // Until the first call the lazy arguments stay out of the bound arguments: that is what marks the module pending.
  if (def.lazy && def.tensors(attrs).length > 0) return;
  buildLeafTensors(ip, inst, def, attrs);
  inst.leafAttrs = attrs;
}

/** The arguments PyTorch's lazy modules hold before their first call: 0 for each argument taken from the input. */
function withZeros(lazy: LazyArgs, bound: BoundArgs): BoundArgs {
  return { ...bound, ...Object.fromEntries(lazy.args.map((a) => [a, pyInt(0)])) };
}

/** A lazy module not called yet: it has no parameters and its lazy arguments read as 0. */
export function lazyPending(inst: Instance): boolean {
  const lazy = inst.leaf?.lazy;
  const attrs = inst.leafAttrs;
  return !!lazy && !!attrs && lazy.args.some((a) => !(a in attrs));
}

/**
 * The first call of a pending lazy module: its lazy arguments from the call's input, the constructor checks on the
 * completed arguments, then its tensors. Null when done; otherwise the call's result (unknown, with the diagnostic).
 */
export function materialiseLazy(ip: Evaluator, inst: Instance, args: PyValue[], kwargs: Map<string, PyValue>, r: Range | null): PyValue | null {
  const def = inst.leaf!;
  const bound = ip.bindSpec(def.forward, args, kwargs, def.type);
  if (typeof bound === 'string') {
    ip.diag('error', 'call-args', bound, r);
    return unknown(bound);
  }
  try {
    const sizes = def.lazy!.fromInput(bound);
    const attrs: BoundArgs = { ...inst.leafAttrs, ...Object.fromEntries(Object.entries(sizes).map(([k, n]) => [k, pyInt(n)])) };
    def.validate?.(attrs);
    // While forward is recorded the new tensors are state values (the state_dict taken after forward names them).
    buildLeafTensors(ip, inst, def, attrs, true);
    inst.leafAttrs = attrs;
    return null;
  } catch (e) {
    return ip.opFailure(e, `nn.${def.type}`, r);
  }
}

/** An attribute of a pending lazy module that exists only after the first call: its lazy arguments (0) and its tensors. */
export function pendingLazyAttr(ip: Evaluator, inst: Instance, name: string, r: Range | null): PyValue | undefined {
  const def = inst.leaf!;
  const lazy = def.lazy!;
  if (lazy.args.includes(name)) return pyInt(0);
  if (!def.tensors(withZeros(lazy, inst.leafAttrs!)).some((t) => t.name === name)) return undefined;
  ip.diag('warning', 'lazy-uninitialized', notYet(inst, `its '${name}'`), r);
  return unknown(`uninitialized parameter ${name} of ${inst.typeName}`);
}

/** For parameters()/state_dict() and the like: warns and returns true when one of `mods` is a pending lazy module. */
export function pendingLazyState(ip: Evaluator, mods: readonly Instance[], what: string, r: Range | null): boolean {
  const pending = mods.find(lazyPending);
  if (!pending) return false;
  ip.diag('warning', 'lazy-uninitialized', notYet(pending, `${what}`), r);
  return true;
}

/** After forward: lazy modules that never took shape (not called, or called on an input of unknown size): not counted. */
export function reportUncalledLazy(ip: Evaluator, named: readonly [string, Instance][]): void {
  for (const [path, m] of named) {
    if (!lazyPending(m)) continue;
    const args = m.leaf!.lazy!.args.join(', ');
    ip.diag(
      'warning',
      'lazy-uninitialized',
      `${m.typeName} '${path}' never took shape in forward (not called, or its input's size is not known), so its ${args} and parameters are not known (PyTorch sets them at the first call); its parameters are not counted`,
      m.ctorRange,
    );
  }
}

function notYet(inst: Instance, what: string): string {
  const args = inst.leaf!.lazy!.args.join(', ');
  return `${what} cannot be known before the first call of ${inst.typeName}: PyTorch takes its ${args} from the first input and only then creates its parameters; run a forward pass first`;
}

/** Creates a leaf's own tensors (and those of the submodules its constructor makes); `asState` records them as state values. */
export function buildLeafTensors(ip: Evaluator, inst: Instance, def: ModuleOpDef, attrs: BoundArgs, asState = false): void {
  const own = def.tensors(attrs);
  const subs = def.submodules?.(attrs) ?? [];
  const make = (t: (typeof own)[number], into: Instance) => {
    const source: ValueSource = asState ? t.role : 'node';
    const tensor = ip.rec.tensor(
      t.shape.map((n) => dim(n)),
      t.dtype,
      source,
    );
    ip.facts.setInit(tensor, t.init);
    if (t.role === 'param') {
      ip.facts.markParam(tensor);
      into.params.set(t.name, tensor);
    } else into.buffers.set(t.name, tensor);
  };
  for (const t of own) make(t, inst);
  for (const sub of subs) {
    const child = new Instance({ t: 'torch', type: sub.type, leaf: null }, sub.type, true);
    for (const t of sub.tensors) make(t, child);
    inst.modules.set(sub.name, child);
  }
}
