// torch.autograd: Function subclasses (`.apply` runs the static `forward(ctx, …)`), Variable, and torch.from_numpy.
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, obj, unknown, type Tensor, type UserClass } from './objects';
import { dim } from '../shape/dim';
import { builtin } from './builtins';
import { pyBool } from './pyOps';
import { attrObject, numpyArrays } from './stdlibState';

const functionClasses = new WeakMap<Evaluator, PyValue>();

/** The context object `forward(ctx, …)` receives: saving tensors and flags is accepted and has no effect on shapes. */
function functionCtx(): PyValue {
  const none = (name: string) => [name, builtin(name, () => NONE)] as [string, PyValue];
  return attrObject('FunctionCtx', [
    none('save_for_backward'),
    none('mark_dirty'),
    none('mark_non_differentiable'),
    none('set_materialize_grads'),
    ['needs_input_grad', { kind: 'tuple', items: [] }],
    ['saved_tensors', { kind: 'tuple', items: [] }],
  ]);
}

/** `torch.autograd.Function`: a base class whose `apply` classmethod calls the subclass's static forward with a context. */
function autogradFunction(ip: Evaluator): PyValue {
  const known = functionClasses.get(ip);
  if (known) return known;
  const cls: UserClass = {
    name: 'Function',
    qualname: 'Function',
    def: null,
    bases: [],
    ns: new Map(),
    scope: { file: '<torch.autograd>', name: 'torch.autograd', globals: new Map() },
    mro: [],
  };
  cls.mro = [{ t: 'user', cls }];
  const apply = builtin('apply', (a, k, site) => {
    const self = a[0] ?? NONE;
    const fwd = ip.getAttr(self, 'forward', site.range);
    if (fwd.kind === 'unknown') return fwd;
    return ip.call(fwd, [functionCtx(), ...a.slice(1)], k, site.range);
  });
  cls.ns.set('apply', obj({ t: 'classmethod', fn: apply }, 'classmethod'));
  const v = obj({ t: 'class', cls: { t: 'user', cls } }, 'type');
  functionClasses.set(ip, v);
  return v;
}

/** Names of `torch.autograd` (and `torch.autograd.function`); null when unknown here. */
export function autogradAttr(ip: Evaluator, path: string, name: string): PyValue | null {
  if (path === 'torch.autograd' && name === 'function') return obj({ t: 'namespace', path: 'torch.autograd.function' }, 'module');
  switch (name) {
    case 'Function':
    case 'InplaceFunction':
      return autogradFunction(ip);
    case 'Variable':
      return builtin(name, (a) => a[0] ?? unknown('Variable()'));
    case 'FunctionCtx':
      return builtin(name, () => functionCtx());
    case 'once_differentiable':
      return builtin(name, (a) => a[0] ?? NONE);
    case 'grad':
      return builtin(name, () => unknown('torch.autograd.grad (gradients are not analysed)'));
    case 'set_grad_enabled':
    case 'no_grad':
    case 'enable_grad':
      return builtin(name, () => obj({ t: 'opaque', what: 'grad mode' }, 'grad mode'));
  }
  return null;
}

/** torch.from_numpy(a): the array becomes a torch tensor (same shape and dtype). */
export function fromNumpy(ip: Evaluator, r: Range | null): PyValue {
  return builtin('from_numpy', (a) => {
    const x = a[0] ?? NONE;
    if (x.kind !== 'tensor') return x.kind === 'unknown' ? x : unknown('torch.from_numpy of a value that is not an array');
    numpyArrays.delete(x);
    return x;
  });
  void r;
}

/** `torch.is_grad_enabled()` and friends that only answer about modes. */
export function gradModeQuery(name: string): PyValue | null {
  if (name === 'is_grad_enabled') return builtin(name, () => pyBool(false));
  if (name === 'is_inference_mode_enabled') return builtin(name, () => pyBool(true));
  return null;
}

void asObject;

/** torch.unique on a tensor of known values: the sorted distinct values (and inverse/counts when asked). */
export function torchUnique(ip: Evaluator): PyValue {
  return builtin('unique', (a, k) => {
    const t = a[0];
    const vals = t && t.kind === 'tensor' ? ip.facts.valuesOf(t as Tensor) : undefined;
    if (!t || t.kind !== 'tensor' || !vals) {
      ip.diag('warning', 'unsupported', 'torch.unique of a tensor whose values are not known at analysis time (its length depends on them)', ip.site.range);
      return unknown('torch.unique of unknown values');
    }
    const sortedV = k.get('sorted');
    void sortedV;
    const uniq = [...new Set(vals)].sort((x, y) => x - y);
    const out = ip.newTensor([dim(uniq.length)], (t as Tensor).dtype, 'const');
    ip.facts.setValues(out, uniq);
    const extra: PyValue[] = [];
    const flag = (n: string, i: number) => {
      const f = a[i] ?? k.get(n);
      return !!f && f.kind === 'bool' && f.value;
    };
    if (flag('return_inverse', 2)) {
      const inv = ip.newTensor((t as Tensor).shape ?? [dim(vals.length)], 'int64', 'const');
      ip.facts.setValues(
        inv,
        vals.map((x) => uniq.indexOf(x)),
      );
      extra.push(inv);
    }
    if (flag('return_counts', 3)) {
      const counts = ip.newTensor([dim(uniq.length)], 'int64', 'const');
      ip.facts.setValues(
        counts,
        uniq.map((u) => vals.filter((x) => x === u).length),
      );
      extra.push(counts);
    }
    return extra.length ? { kind: 'tuple', items: [out, ...extra] } : out;
  });
}
