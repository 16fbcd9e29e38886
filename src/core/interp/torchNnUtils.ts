// torch.nn.utils weight reparametrisations as PyTorch applies them to a built module: weight_norm replaces `weight`
// by `weight_g` (norm over all but `dim`) and `weight_v`; spectral_norm renames it `weight_orig` and adds u/v buffers.
import { dim } from '../shape/dim';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { instanceOf, unknown, type Tensor } from './objects';
import { builtin } from './builtins';
import { num, pyStr } from './pyOps';

function newParam(ip: Evaluator, shape: Tensor['shape'], dtype: Tensor['dtype']): Tensor {
  const t = ip.rec.tensor(shape, dtype);
  ip.facts.markParam(t);
  return t;
}

/** weight_norm(module, name='weight', dim=0) — also torch.nn.utils.parametrizations.weight_norm (same shapes). */
function weightNorm(ip: Evaluator, parametrization: boolean): PyValue {
  return builtin('weight_norm', (a, k) => {
    const mod = a[0] ?? NONE;
    const inst = instanceOf(mod);
    const nameV = a[1] ?? k.get('name') ?? pyStr('weight');
    const dimV = a[2] ?? k.get('dim') ?? { kind: 'int', dim: dim(0) };
    if (!inst || nameV.kind !== 'str') return mod;
    const w = inst.params.get(nameV.value);
    if (!w || !w.shape) {
      ip.diag('warning', 'unsupported', `weight_norm of a module without a known '${nameV.value}' parameter is not analysed`, ip.site.range);
      return mod;
    }
    const rank = w.shape.length;
    const d = dimV.kind === 'none' ? null : num(dimV);
    const at = d === null ? null : d < 0 ? d + rank : d;
    const gShape = at === null ? [] : w.shape.map((x, i) => (i === at ? x : dim(1)));
    const name = nameV.value;
    inst.params.delete(name);
    if (parametrization) {
      // parametrize.register_parametrization: parametrizations.<name>.original0 (g) and original1 (v) on a child module.
      inst.params.set(`${name}_g`, newParam(ip, gShape, w.dtype));
      inst.params.set(`${name}_v`, newParam(ip, w.shape, w.dtype));
    } else {
      inst.params.set(`${name}_g`, newParam(ip, gShape, w.dtype));
      inst.params.set(`${name}_v`, newParam(ip, w.shape, w.dtype));
    }
    // The module still reads `weight` in forward: a plain tensor of the same shape.
    inst.dict.set(name, ip.rec.tensor(w.shape, w.dtype));
    return mod;
  });
}

/** spectral_norm(module, name='weight', …): `weight_orig` parameter, `weight_u`/`weight_v` buffers, same shapes in forward. */
function spectralNorm(ip: Evaluator): PyValue {
  return builtin('spectral_norm', (a, k) => {
    const mod = a[0] ?? NONE;
    const inst = instanceOf(mod);
    const nameV = a[1] ?? k.get('name') ?? pyStr('weight');
    if (!inst || nameV.kind !== 'str') return mod;
    const name = nameV.value;
    const w = inst.params.get(name);
    if (!w || !w.shape) return mod;
    const dimV = k.get('dim');
    const d = dimV && dimV.kind !== 'none' ? (num(dimV) ?? 0) : (inst.leaf?.weightOutputAxis ?? 0);
    const rows = w.shape[d < 0 ? d + w.shape.length : d];
    const cols = w.shape.reduce((acc, x, i) => (i === d ? acc : acc * (x.value ?? 1)), 1);
    inst.params.delete(name);
    inst.params.set(`${name}_orig`, newParam(ip, w.shape, w.dtype));
    inst.dict.set(name, ip.rec.tensor(w.shape, w.dtype));
    inst.buffers.set(`${name}_u`, ip.rec.tensor([rows], w.dtype));
    inst.buffers.set(`${name}_v`, ip.rec.tensor([dim(cols)], w.dtype));
    return mod;
  });
}

/** Names of torch.nn.utils (and .parametrizations) handled here; null for the others. */
export function nnUtilsAttr(ip: Evaluator, path: string, name: string): PyValue | null {
  switch (name) {
    case 'weight_norm':
      return weightNorm(ip, path.endsWith('parametrizations'));
    case 'spectral_norm':
      return path.endsWith('parametrizations') ? null : spectralNorm(ip);
    case 'remove_weight_norm':
    case 'remove_spectral_norm':
      return builtin(name, (a) => a[0] ?? unknown(name));
  }
  return null;
}
