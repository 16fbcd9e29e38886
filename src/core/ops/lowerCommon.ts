// Shared pieces of the ONNX lowerings: argument access, casts, constants, generic one-op and reshape lowerings, reductions.
import type { DType } from '../shape/shape';
import { argInts, argNumber, attr, LoweringArg, normDim, OnnxAttr, OnnxLowering, OnnxLoweringContext } from './lowering';

type Ctx = OnnxLoweringContext;

/** An argument by name: call arguments first, then constructor attributes (module forms keep options there). */
export function opt(ctx: Ctx, name: string): LoweringArg | undefined {
  return ctx.args[name] !== undefined ? ctx.args[name] : ctx.attrs[name];
}

export function optNumber(ctx: Ctx, name: string, dflt: number): number {
  const v = opt(ctx, name);
  return v === null || v === undefined ? dflt : (argNumber(v) ?? ctx.fail(`argument '${name}' must be a known number`));
}

export function optBool(ctx: Ctx, name: string, dflt: boolean): boolean {
  const v = opt(ctx, name);
  return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : dflt;
}

export function optString(ctx: Ctx, name: string, dflt: string): string {
  const v = opt(ctx, name);
  return typeof v === 'string' ? v : dflt;
}

/** The main tensor operand: `input`, `self`, `a`, `x`, else the first tensor input. */
export function mainInput(ctx: Ctx): string {
  for (const k of ['input', 'self', 'a', 'x', 'tensor']) {
    const t = ctx.tensorArg(k);
    if (t) return t;
  }
  return ctx.inputs[0] ?? ctx.fail('the op has no tensor input');
}

export const isFloat = (d: DType): boolean => d.startsWith('float') || d === 'bfloat16';

/** `name` cast to `dtype` when it is not already of that dtype. */
export function castTo(ctx: Ctx, name: string, dtype: DType): string {
  if (ctx.dtype(name) === dtype) return name;
  return ctx.node('Cast', [name], { to: attr.int(ONNX_TYPE[dtype]) })[0]!;
}

export const ONNX_TYPE: Record<DType, number> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int16: 5,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
  bfloat16: 16,
};

export function shapeConst(ctx: Ctx, shape: readonly number[]): string {
  return ctx.constInt64(shape);
}

export const identity: OnnxLowering = (ctx) => {
  ctx.node('Identity', [mainInput(ctx)], {}, ctx.outputs);
};

/** Any op whose result is its input's elements in a new shape (view, reshape, flatten, squeeze, …). */
export const reshapeToOutput: OnnxLowering = (ctx) => {
  ctx.node('Reshape', [mainInput(ctx), shapeConst(ctx, ctx.shape(ctx.outputs[0]!))], {}, ctx.outputs);
};

/** Casts (`.float()`, `.to(dtype)`, `.type_as`): Cast to the output's dtype, or Identity when it already matches. */
export const castToOutput: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const to = ctx.dtype(ctx.outputs[0]!);
  if (ctx.dtype(x) === to) ctx.node('Identity', [x], {}, ctx.outputs);
  else ctx.node('Cast', [x], { to: attr.int(ONNX_TYPE[to]) }, ctx.outputs);
};

/** One ONNX op on the main input, with attributes computed from the node. */
export function unary(opType: string, attrs?: (ctx: Ctx) => Record<string, OnnxAttr>): OnnxLowering {
  return (ctx) => {
    ctx.node(opType, [mainInput(ctx)], attrs ? attrs(ctx) : {}, ctx.outputs);
  };
}

/** A chain built from the input (`x → f(x)`), the last node writing the output. */
export function composite(build: (ctx: Ctx, x: string, dtype: DType) => string): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    ctx.node('Identity', [build(ctx, x, ctx.dtype(x))], {}, ctx.outputs);
  };
}

export const scalar = (ctx: Ctx, v: number, dtype: DType): string => ctx.constFloat([v], [], dtype);

/** The reduced axes from `dim` (int, list or None = all). */
export function reduceAxes(ctx: Ctx, rank: number): number[] {
  const d = opt(ctx, 'dim');
  if (d === null || d === undefined || (Array.isArray(d) && d.length === 0)) return Array.from({ length: rank }, (_, i) => i);
  const one = argNumber(d);
  if (one !== null) return [normDim(one, rank)];
  const list = argInts(d, rank) ?? ctx.fail('dim must be known');
  return list.map((a) => normDim(a, rank));
}

export function reduceNode(ctx: Ctx, opType: string, x: string, axes: readonly number[], keep: boolean, outputs?: readonly string[]): string {
  // Opset 17: ReduceSum takes axes as an input, the other Reduce* ops as an attribute.
  const keepAttr = { keepdims: attr.int(keep ? 1 : 0) };
  if (opType === 'ReduceSum') return ctx.node(opType, [x, ctx.constInt64(axes)], keepAttr, outputs)[0]!;
  return ctx.node(opType, [x], { ...keepAttr, axes: attr.ints(axes) }, outputs)[0]!;
}
