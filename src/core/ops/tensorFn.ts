// Defines an op once for its `torch.<f>(input, …)` and `Tensor.<f>(self, …)` spellings.
import { tensorArg } from './args';
import { BoundArgs, FunctionOpDef, InferContext, ParamSpec } from './types';
import { PyValue, TensorValue } from './values';
import type { OnnxLowering } from './lowering';

export interface TensorFnSpec {
  /** Registry keys; `Tensor.*` keys become methods whose first parameter is `self`. */
  readonly keys: readonly string[];
  readonly family: string;
  /** Parameters after the tensor, identical for every key. */
  readonly params: readonly ParamSpec[];
  /** Name of the first parameter of the function forms (torch uses `input`, sometimes `tensor`). */
  readonly first?: string;
  readonly inPlace?: boolean;
  infer(x: TensorValue, args: BoundArgs, ctx: InferContext, op: string): PyValue;
  flops?(args: BoundArgs, out: PyValue): number;
  readonly onnx?: OnnxLowering;
}

/** torch.* / Tensor.* ops written in Python (not bound by torch's C++ argument parser): no numpy aliases. */
const PYTHON_LEVEL = new Set(['torch.split', 'Tensor.split', 'torch.norm', 'Tensor.norm', 'Tensor.unflatten', 'torch.cdist']);
/** `*args` parameters that native ops also accept as one keyword. */
const SEQUENCE_PARAMS = new Set(['size', 'shape', 'dims', 'repeats']);

/** Adds the keyword aliases torch's C++ argument parser accepts (`axis=`, `keepdims=`, `size=`). */
export function withNativeAliases(key: string, params: readonly ParamSpec[]): ParamSpec[] {
  if (PYTHON_LEVEL.has(key) || !(key.startsWith('torch.') || key.startsWith('Tensor.'))) return [...params];
  return params.map((p) => {
    if (p.name === 'dim' && !p.variadic) return { ...p, aliases: ['axis'] };
    if (p.name === 'keepdim') return { ...p, aliases: ['keepdims'] };
    if (p.variadic === 'args' && SEQUENCE_PARAMS.has(p.name)) return { ...p, aliases: [p.name] };
    return p;
  });
}

export function tensorFn(spec: TensorFnSpec): FunctionOpDef[] {
  return spec.keys.map((key): FunctionOpDef => {
    const method = key.startsWith('Tensor.');
    const first = method ? 'self' : (spec.first ?? 'input');
    return {
      kind: method ? 'method' : 'function',
      name: key,
      family: spec.family,
      signature: [{ name: first }, ...withNativeAliases(key, spec.params)],
      inPlace: spec.inPlace,
      infer: (args, ctx) => spec.infer(tensorArg(args, first, key), args, ctx, key),
      flops: spec.flops,
      onnx: spec.onnx,
    };
  });
}
