// Test harness for op rules: Python-style argument binding, fixture value decoding, a tensor-making InferContext.
import { Dim, dim, symDim } from '../../src/core/shape/dim';
import { DType, Shape } from '../../src/core/shape/shape';
import { BoundArgs, InferContext, ParamSpec } from '../../src/core/ops/types';
import { NONE, PyValue, TensorValue } from '../../src/core/ops/values';

export function makeCtx(): InferContext & { count: number } {
  const ctx = {
    count: 0,
    tensor(shape: Shape | null, dtype: DType): TensorValue {
      ctx.count++;
      return { kind: 'tensor', id: `v${ctx.count}`, shape, dtype };
    },
  };
  return ctx;
}

export function tensor(shape: readonly (number | Dim)[], dtype: DType = 'float32'): TensorValue {
  return { kind: 'tensor', id: 'in', shape: shape.map((d) => (typeof d === 'number' ? dim(d) : d)), dtype };
}

export const int = (d: number | Dim): PyValue => ({ kind: 'int', dim: typeof d === 'number' ? dim(d) : d });
export const tuple = (...items: PyValue[]): PyValue => ({ kind: 'tuple', items });

/** Binds positional and keyword arguments to a signature the way CPython does. */
export function bind(params: readonly ParamSpec[], args: readonly PyValue[], kwargs: Readonly<Record<string, PyValue>>): BoundArgs {
  const out: Record<string, PyValue> = {};
  let pos = 0;
  let starSeen = false;
  for (const p of params) {
    if (p.variadic === 'args') {
      out[p.name] = { kind: 'tuple', items: args.slice(pos) };
      pos = args.length;
      starSeen = true;
    } else if (p.variadic === 'kwargs') {
      continue;
    } else if (!p.keywordOnly && !starSeen && pos < args.length) {
      out[p.name] = args[pos++];
    }
  }
  if (pos < args.length) throw new TypeError(`too many positional arguments (${args.length})`);
  const extra = new Map<string, PyValue>();
  for (const [k, v] of Object.entries(kwargs)) {
    const aliased = params.find((q) => q.aliases?.includes(k));
    if (aliased && aliased.variadic === 'args') {
      // `x.view(size=(2, 3))`: the keyword holds the whole sequence.
      if ((out[aliased.name] as { items: unknown[] } | undefined)?.items.length) throw new TypeError(`multiple values for argument '${k}'`);
      out[aliased.name] = { kind: 'tuple', items: [v] };
      continue;
    }
    const p = aliased ?? params.find((q) => q.name === k && !q.variadic);
    if (p) {
      if (p.name in out) throw new TypeError(`multiple values for argument '${k}'`);
      out[p.name] = v;
    } else if (params.some((q) => q.variadic === 'kwargs')) extra.set(k, v);
    else throw new TypeError(`unexpected keyword argument '${k}'`);
  }
  for (const p of params) {
    if (p.variadic === 'kwargs') out[p.name] = { kind: 'dict', entries: extra, keys: [...extra.keys()].map((k) => ({ kind: 'str', value: k })) };
    else if (!(p.name in out)) {
      if (p.default === undefined) throw new TypeError(`missing required argument '${p.name}'`);
      out[p.name] = p.default;
    }
  }
  return out;
}

/** Fixture JSON values (see gen_op_cases.py) → PyValues; `symbolic` turns sizes ≥ 2 into named symbols. */
export class Decoder {
  private next = 0;
  constructor(private readonly symbolic: boolean) {}

  private size(n: number): Dim {
    return this.symbolic && n >= 2 ? symDim(`S${this.next++}`, n) : dim(n);
  }

  decode(v: unknown): PyValue {
    if (v === null) return NONE;
    if (typeof v === 'boolean') return { kind: 'bool', value: v };
    if (typeof v === 'number') return { kind: 'int', dim: this.size(v) };
    if (typeof v === 'string') return { kind: 'str', value: v };
    if (Array.isArray(v)) return { kind: 'list', items: v.map((x) => this.decode(x)) };
    const o = v as Record<string, unknown>;
    if ('t' in o) return { kind: 'tensor', id: `in${this.next++}`, shape: (o.t as number[]).map((n) => this.size(n)), dtype: o.dtype as DType };
    if ('f' in o) return { kind: 'float', value: o.f as number };
    if ('tuple' in o) return { kind: 'tuple', items: (o.tuple as unknown[]).map((x) => this.decode(x)) };
    if ('slice' in o) {
      const [a, b, c] = (o.slice as unknown[]).map((x) => this.decode(x));
      return { kind: 'slice', start: a, stop: b, step: c };
    }
    if ('ellipsis' in o) return { kind: 'ellipsis' };
    if ('dtype' in o) return { kind: 'object', typeName: 'torch.dtype', ref: o.dtype };
    throw new Error(`cannot decode ${JSON.stringify(v)}`);
  }
}

/** A PyValue in the fixture's JSON form, for comparison with torch's results. */
export function encode(v: PyValue): unknown {
  switch (v.kind) {
    case 'none':
      return null;
    case 'bool':
      return v.value;
    case 'int':
      return v.dim.value;
    case 'float':
      return { f: v.value };
    case 'str':
      return v.value;
    case 'tensor':
      return { t: v.shape ? v.shape.map((d) => d.value) : null, dtype: v.dtype };
    case 'tuple':
      return { tuple: v.items.map(encode) };
    case 'list':
      return v.items.map(encode);
    case 'object':
      return v.typeName === 'torch.dtype' ? { dtype: v.ref } : `<${v.typeName}>`;
    default:
      return `<${v.kind}>`;
  }
}
