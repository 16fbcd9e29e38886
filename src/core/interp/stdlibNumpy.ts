// numpy on constants: arrays are constant tensors (marked so the line tracer skips them), scalars are Python numbers.
import type { Range } from '../python/ast';
import { NONE, type PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { obj, unknown, type Tensor } from './objects';
import { builtin } from './builtins';
import { num, pyBool, pyInt } from './pyOps';
import { mathAttr } from './stdlibMath';
import { NP_DTYPES, npDtype, numpyArrays } from './stdlibState';

function hasFloat(v: PyValue): boolean {
  if (v.kind === 'float') return true;
  if (v.kind === 'list' || v.kind === 'tuple') return v.items.some(hasFloat);
  return v.kind === 'tensor' && (v as Tensor).dtype.startsWith('float');
}

function asArray(ip: Evaluator, t: PyValue): PyValue {
  if (t.kind === 'tensor') numpyArrays.add(t);
  return t;
}

export function numpyAttr(ip: Evaluator, name: string, r: Range | null): PyValue | null {
  const f64: PyValue = { kind: 'object', typeName: 'torch.dtype', ref: 'float64' };
  const i64: PyValue = { kind: 'object', typeName: 'torch.dtype', ref: 'int64' };
  const op = (key: string, args: PyValue[], kw: [string, PyValue][] = []) => asArray(ip, ip.callOpKey(key, args, new Map(kw), r));
  if (name in NP_DTYPES) {
    const dt = NP_DTYPES[name];
    return builtin(`numpy.${name}`, (a) => {
      const x = a[0] ?? pyInt(0);
      if (x.kind === 'tensor') return op('Tensor.to', [x, { kind: 'object', typeName: 'torch.dtype', ref: dt }]);
      const n = num(x);
      if (n === null) return unknown(`numpy.${name} of an unknown value`);
      return dt.startsWith('float') ? { kind: 'float', value: n } : dt === 'bool' ? pyBool(n !== 0) : pyInt(Math.trunc(n));
    });
  }
  switch (name) {
    case 'newaxis':
      return NONE;
    case 'ndarray':
      return ip.builtins.get('Tensor') ?? null;
    case 'array':
    case 'asarray':
    case 'ascontiguousarray':
      return builtin(name, (a, k) => {
        const x = a[0] ?? NONE;
        const dt = npDtype(a[1] ?? k.get('dtype'));
        if (x.kind === 'tensor') return dt ? op('Tensor.to', [x, dt]) : asArray(ip, x);
        if (x.kind === 'int' || x.kind === 'float' || x.kind === 'bool') return x;
        return op('torch.tensor', [x], [['dtype', dt ?? (hasFloat(x) ? f64 : i64)]]);
      });
    case 'eye':
    case 'identity':
      return builtin(name, (a, k) => op('torch.eye', a.slice(0, name === 'eye' ? 2 : 1), [['dtype', npDtype(k.get('dtype')) ?? f64]]));
    case 'zeros':
    case 'ones':
    case 'empty':
      return builtin(name, (a, k) => op(`torch.${name === 'empty' ? 'zeros' : name}`, [a[0] ?? NONE], [['dtype', npDtype(a[1] ?? k.get('dtype')) ?? f64]]));
    case 'full':
      return builtin(name, (a, k) =>
        op('torch.full', [a[0] ?? NONE, a[1] ?? NONE], [['dtype', npDtype(a[2] ?? k.get('dtype')) ?? (hasFloat(a[1] ?? NONE) ? f64 : i64)]]),
      );
    case 'arange':
      return builtin(name, (a, k) => op('torch.arange', a, [['dtype', npDtype(k.get('dtype')) ?? (a.some(hasFloat) ? f64 : i64)]]));
    case 'linspace':
      return builtin(name, (a, k) =>
        op('torch.linspace', [a[0] ?? NONE, a[1] ?? NONE, a[2] ?? k.get('num') ?? pyInt(50)], [['dtype', npDtype(k.get('dtype')) ?? f64]]),
      );
    case 'prod':
    case 'sum':
      return builtin(name, (a) => {
        const x = a[0] ?? NONE;
        const items = x.kind === 'tensor' ? null : ip.iterate(x, r);
        if (!items) return x.kind === 'tensor' ? ip.callOpKey(`torch.${name}`, [x], new Map(), r) : unknown(`numpy.${name} of an unknown value`);
        let acc: PyValue = pyInt(name === 'prod' ? 1 : 0);
        for (const it of items) acc = ip.binary(name === 'prod' ? '*' : '+', acc, it, r);
        return acc;
      });
    case 'cumsum':
      return builtin(name, (a) => {
        const items = ip.iterate(a[0] ?? NONE, r);
        if (!items) return unknown('numpy.cumsum of an unknown value');
        let acc: PyValue = pyInt(0);
        const out = items.map((x) => (acc = ip.binary('+', acc, x, r)));
        return op('torch.tensor', [{ kind: 'list', items: out }], [['dtype', out.some(hasFloat) ? f64 : i64]]);
      });
    case 'mean':
      return builtin(name, (a) => {
        const items = ip.iterate(a[0] ?? NONE, r);
        const ns = items?.map(num);
        if (!ns || !ns.length || ns.some((x) => x === null)) return unknown('numpy.mean of an unknown value');
        return { kind: 'float', value: (ns as number[]).reduce((s, x) => s + x, 0) / ns.length };
      });
    case 'max':
    case 'min':
    case 'abs':
    case 'round':
      return ip.builtins.get(name) ?? null;
    case 'floor':
    case 'ceil':
      return builtin(name, (a) => {
        const n = num(a[0] ?? NONE);
        return n === null ? unknown(`numpy.${name} of an unknown value`) : { kind: 'float', value: name === 'floor' ? Math.floor(n) : Math.ceil(n) };
      });
    case 'random':
      return obj({ t: 'namespace', path: 'numpy.random' }, 'module');
  }
  const m = mathAttr(ip, name, r, true);
  return m;
}
