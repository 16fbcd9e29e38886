// ONNX lowerings of element-wise ops: activations, arithmetic and comparisons with torch promotion, unary math, clamp/where/fill.
import type { DType } from '../shape/shape';
import { argNumber, attr, normDim, OnnxLowering, OnnxLoweringContext } from './lowering';
import { castTo, composite, isFloat, mainInput, ONNX_TYPE, opt, optBool, optNumber, optString, scalar, shapeConst, unary } from './lowerCommon';

type Ctx = OnnxLoweringContext;

// activations

export const geluLowering: OnnxLowering = composite((ctx, x, dt) => {
  if (optString(ctx, 'approximate', 'none') === 'tanh') {
    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
    const x3 = ctx.node('Mul', [ctx.node('Mul', [x, x])[0]!, x])[0]!;
    const inner = ctx.node('Add', [x, ctx.node('Mul', [x3, scalar(ctx, 0.044715, dt)])[0]!])[0]!;
    const t = ctx.node('Tanh', [ctx.node('Mul', [inner, scalar(ctx, Math.sqrt(2 / Math.PI), dt)])[0]!])[0]!;
    const onePlus = ctx.node('Add', [t, scalar(ctx, 1, dt)])[0]!;
    return ctx.node('Mul', [ctx.node('Mul', [x, onePlus])[0]!, scalar(ctx, 0.5, dt)])[0]!;
  }
  // 0.5·x·(1 + erf(x/√2))
  const e = ctx.node('Erf', [ctx.node('Div', [x, scalar(ctx, Math.SQRT2, dt)])[0]!])[0]!;
  const onePlus = ctx.node('Add', [e, scalar(ctx, 1, dt)])[0]!;
  return ctx.node('Mul', [ctx.node('Mul', [x, onePlus])[0]!, scalar(ctx, 0.5, dt)])[0]!;
});

export const siluLowering: OnnxLowering = composite((ctx, x) => ctx.node('Mul', [x, ctx.node('Sigmoid', [x])[0]!])[0]!);

export const mishLowering: OnnxLowering = composite((ctx, x) => ctx.node('Mul', [x, ctx.node('Tanh', [ctx.node('Softplus', [x])[0]!])[0]!])[0]!);

export const tanhshrinkLowering: OnnxLowering = composite((ctx, x) => ctx.node('Sub', [x, ctx.node('Tanh', [x])[0]!])[0]!);

/** Clip between two bounds given by argument names (Hardtanh) or fixed numbers (ReLU6). */
export function clipLowering(lo: string | number, hi: string | number): OnnxLowering {
  return (ctx) => {
    const x = mainInput(ctx);
    const dt = ctx.dtype(x);
    const min = typeof lo === 'number' ? lo : optNumber(ctx, lo, -1);
    const max = typeof hi === 'number' ? hi : optNumber(ctx, hi, 1);
    ctx.node('Clip', [x, scalar(ctx, min, dt), scalar(ctx, max, dt)], {}, ctx.outputs);
  };
}

/** torch's softplus(β, threshold): log(1 + exp(βx))/β, and x itself where βx > threshold. */
export const softplusLowering: OnnxLowering = composite((ctx, x, dt) => {
  const beta = optNumber(ctx, 'beta', 1);
  const threshold = optNumber(ctx, 'threshold', 20);
  const bx = beta === 1 ? x : ctx.node('Mul', [x, scalar(ctx, beta, dt)])[0]!;
  let sp = ctx.node('Softplus', [bx])[0]!;
  if (beta !== 1) sp = ctx.node('Div', [sp, scalar(ctx, beta, dt)])[0]!;
  const linear = ctx.node('Greater', [bx, scalar(ctx, threshold, dt)])[0]!;
  return ctx.node('Where', [linear, x, sp])[0]!;
});

/** Softmax-like ops over `dim` (torch's implicit dim for legacy calls without one). */
export function softmaxLowering(opType: 'Softmax' | 'LogSoftmax', negate = false): OnnxLowering {
  return (ctx) => {
    let x = mainInput(ctx);
    const rank = ctx.shape(x).length;
    const d = opt(ctx, 'dim');
    const axis = d === null || d === undefined ? (rank <= 1 || rank === 3 ? 0 : 1) : normDim(argNumber(d) ?? ctx.fail('dim must be known'), rank);
    const outDtype = ctx.dtype(ctx.outputs[0]!);
    x = castTo(ctx, x, outDtype);
    if (negate) x = ctx.node('Neg', [x])[0]!;
    ctx.node(opType, [x], { axis: attr.int(axis) }, ctx.outputs);
  };
}

/** PReLU: the weight ([C] or [1]) broadcast along dim 1 of the input. */
export const preluLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const w = ctx.tensorArg('weight') ?? ctx.param('weight') ?? ctx.fail('PReLU has no weight');
  const rank = ctx.shape(x).length;
  const n = ctx.shape(w).reduce((a, b) => a * b, 1);
  const wShape = rank >= 2 && n > 1 ? [n, ...Array(rank - 2).fill(1)] : [n];
  const wr = ctx.node('Reshape', [w, shapeConst(ctx, wShape)])[0]!;
  ctx.node('PRelu', [x, wr], {}, ctx.outputs);
};

// element-wise binary

const LHS = ['a', 'input', 'self', 'condition'];
const RHS = ['b', 'other', 'exponent', 'mat2'];

function argNamed(ctx: Ctx, names: readonly string[]): string | null {
  for (const n of names) if (ctx.args[n] !== undefined) return n;
  return null;
}

/** Both operands as tensors of `dtype` (Python numbers become constants). */
export function binaryOperands(ctx: Ctx, dtype: DType): [string, string] {
  const l = argNamed(ctx, LHS) ?? ctx.fail('missing left operand');
  const r = argNamed(ctx, RHS) ?? ctx.fail('missing right operand');
  return [castTo(ctx, ctx.operand(l, dtype), dtype), castTo(ctx, ctx.operand(r, dtype), dtype)];
}

/** The dtype both operands are computed in: the output's for arithmetic; the promoted input type for comparisons. */
function computeDtype(ctx: Ctx, boolOut: boolean): DType {
  const out = ctx.dtype(ctx.outputs[0]!);
  if (!boolOut) return out;
  const types: DType[] = [];
  for (const names of [LHS, RHS]) {
    const n = argNamed(ctx, names);
    const t = n ? ctx.tensorArg(n) : null;
    if (t) types.push(ctx.dtype(t));
    else if (n && typeof ctx.args[n] === 'number' && !Number.isInteger(ctx.args[n])) types.push('float32');
  }
  return types.find(isFloat) ?? types[0] ?? 'float32';
}

/** `a <op> b` with torch's `alpha` (add/sub) applied to b. */
export function binary(opType: string, options: { boolOut?: boolean; alpha?: boolean } = {}): OnnxLowering {
  return (ctx) => {
    const dt = computeDtype(ctx, options.boolOut ?? false);
    let [a, b] = binaryOperands(ctx, dt);
    if (options.alpha) {
      const alpha = optNumber(ctx, 'alpha', 1);
      if (alpha !== 1) b = ctx.node('Mul', [b, scalar(ctx, alpha, dt)])[0]!;
    }
    ctx.node(opType, [a, b], {}, ctx.outputs);
  };
}

/** `a != b`, `a <= b`, `a >= b`: the complement of another comparison. */
export function notOf(opType: string): OnnxLowering {
  return (ctx) => {
    const [a, b] = binaryOperands(ctx, computeDtype(ctx, true));
    ctx.node('Not', [ctx.node(opType, [a, b])[0]!], {}, ctx.outputs);
  };
}

/** Logical ops on bool-cast operands. */
export function logical(opType: 'And' | 'Or' | 'Xor'): OnnxLowering {
  return (ctx) => {
    const l = argNamed(ctx, LHS) ?? ctx.fail('missing left operand');
    const r = argNamed(ctx, RHS) ?? ctx.fail('missing right operand');
    const a = castTo(ctx, ctx.operand(l, 'bool'), 'bool');
    const b = castTo(ctx, ctx.operand(r, 'bool'), 'bool');
    ctx.node(opType, [a, b], {}, ctx.outputs);
  };
}

/** `/` with torch's rounding modes: true division (ints promoted to float), 'floor' and 'trunc'. */
export const divLowering: OnnxLowering = (ctx) => {
  const out = ctx.dtype(ctx.outputs[0]!);
  const mode = optString(ctx, 'rounding_mode', '');
  if (!isFloat(out)) {
    if (mode === 'trunc') {
      const [a, b] = binaryOperands(ctx, out);
      ctx.node('Div', [a, b], {}, ctx.outputs);
      return;
    }
    // Integer floor division: compute in float64 (exact for |values| < 2^53) and floor.
    const [a, b] = binaryOperands(ctx, 'float64');
    const q = ctx.node('Floor', [ctx.node('Div', [a, b])[0]!])[0]!;
    ctx.node('Cast', [q], { to: attr.int(ONNX_TYPE[out]) }, ctx.outputs);
    return;
  }
  const [a, b] = binaryOperands(ctx, out);
  if (mode === 'floor') ctx.node('Floor', [ctx.node('Div', [a, b])[0]!], {}, ctx.outputs);
  else if (mode === 'trunc') {
    const q = ctx.node('Div', [a, b])[0]!;
    ctx.node('Mul', [ctx.node('Sign', [q])[0]!, ctx.node('Floor', [ctx.node('Abs', [q])[0]!])[0]!], {}, ctx.outputs);
  } else ctx.node('Div', [a, b], {}, ctx.outputs);
};

export const floorDivLowering: OnnxLowering = (ctx) => {
  const out = ctx.dtype(ctx.outputs[0]!);
  const [a, b] = binaryOperands(ctx, isFloat(out) ? out : 'float64');
  const q = ctx.node('Floor', [ctx.node('Div', [a, b])[0]!])[0]!;
  ctx.node('Cast', [q], { to: attr.int(ONNX_TYPE[out]) }, ctx.outputs);
};

/** Python's `%` / torch.remainder (sign of the divisor): a − floor(a/b)·b; fmod keeps the dividend's sign. */
export function remainderLowering(fmod: boolean): OnnxLowering {
  return (ctx) => {
    const out = ctx.dtype(ctx.outputs[0]!);
    if (!isFloat(out)) {
      const [a, b] = binaryOperands(ctx, out);
      ctx.node('Mod', [a, b], { fmod: attr.int(fmod ? 1 : 0) }, ctx.outputs);
      return;
    }
    const [a, b] = binaryOperands(ctx, out);
    const q = ctx.node('Div', [a, b])[0]!;
    const r = fmod ? ctx.node('Mul', [ctx.node('Sign', [q])[0]!, ctx.node('Floor', [ctx.node('Abs', [q])[0]!])[0]!])[0]! : ctx.node('Floor', [q])[0]!;
    ctx.node('Sub', [a, ctx.node('Mul', [r, b])[0]!], {}, ctx.outputs);
  };
}

// unary math

export const rsqrtLowering: OnnxLowering = composite((ctx, x) => ctx.node('Reciprocal', [ctx.node('Sqrt', [x])[0]!])[0]!);
export const squareLowering: OnnxLowering = composite((ctx, x) => ctx.node('Mul', [x, x])[0]!);
export const expm1Lowering: OnnxLowering = composite((ctx, x, dt) => ctx.node('Sub', [ctx.node('Exp', [x])[0]!, scalar(ctx, 1, dt)])[0]!);
export const exp2Lowering: OnnxLowering = composite((ctx, x, dt) => ctx.node('Pow', [scalar(ctx, 2, dt), x])[0]!);
export const log1pLowering: OnnxLowering = composite((ctx, x, dt) => ctx.node('Log', [ctx.node('Add', [x, scalar(ctx, 1, dt)])[0]!])[0]!);
export function logBase(base: number): OnnxLowering {
  return composite((ctx, x, dt) => ctx.node('Div', [ctx.node('Log', [x])[0]!, scalar(ctx, Math.log(base), dt)])[0]!);
}
export const erfcLowering: OnnxLowering = composite((ctx, x, dt) => ctx.node('Sub', [scalar(ctx, 1, dt), ctx.node('Erf', [x])[0]!])[0]!);
const truncOf = (ctx: Ctx, x: string): string => ctx.node('Mul', [ctx.node('Sign', [x])[0]!, ctx.node('Floor', [ctx.node('Abs', [x])[0]!])[0]!])[0]!;
export const truncLowering: OnnxLowering = composite((ctx, x) => truncOf(ctx, x));
export const fracLowering: OnnxLowering = composite((ctx, x) => ctx.node('Sub', [x, truncOf(ctx, x)])[0]!);
export const isFiniteLowering: OnnxLowering = composite(
  (ctx, x) => ctx.node('Not', [ctx.node('Or', [ctx.node('IsNaN', [x])[0]!, ctx.node('IsInf', [x])[0]!])[0]!])[0]!,
);
export const logicalNotLowering: OnnxLowering = (ctx) => {
  ctx.node('Not', [castTo(ctx, mainInput(ctx), 'bool')], {}, ctx.outputs);
};

/** clamp(min=None, max=None): Clip with omitted bounds where None; tensor bounds via Max/Min. */
export const clampLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const dt = ctx.dtype(ctx.outputs[0]!);
  let y = castTo(ctx, x, dt);
  const bound = (name: string): string | null => {
    const v = opt(ctx, name);
    if (v === null || v === undefined) return null;
    return castTo(ctx, ctx.operand(name, dt), dt);
  };
  const lo = bound('min');
  const hi = bound('max');
  if (lo) y = ctx.node('Max', [y, lo])[0]!;
  if (hi) y = ctx.node('Min', [y, hi])[0]!;
  ctx.node('Identity', [y], {}, ctx.outputs);
};

/** torch.where(condition, input, other) with Python-number branches as constants. */
export const whereLowering: OnnxLowering = (ctx) => {
  const dt = ctx.dtype(ctx.outputs[0]!);
  const c = castTo(ctx, ctx.tensorArg('condition') ?? ctx.fail('where needs a condition tensor'), 'bool');
  const a = castTo(ctx, ctx.operand('input', dt), dt);
  const b = castTo(ctx, ctx.operand('other', dt), dt);
  ctx.node('Where', [c, a, b], {}, ctx.outputs);
};

/** masked_fill(mask, value): Where(mask, value, x). */
export const maskedFillLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const dt = ctx.dtype(x);
  const mask = castTo(ctx, ctx.tensorArg('mask') ?? ctx.fail('masked_fill needs a mask tensor'), 'bool');
  const v = castTo(ctx, ctx.operand('value', dt), dt);
  ctx.node('Where', [mask, v, x], {}, ctx.outputs);
};

/** A tensor of the output's shape filled with one value (zeros_like, fill_, torch.full …). */
export function fillLowering(valueArg: string | number): OnnxLowering {
  return (ctx) => {
    const out = ctx.outputs[0]!;
    const dt = ctx.dtype(out);
    const v = typeof valueArg === 'number' ? valueArg : optNumber(ctx, valueArg, NaN);
    if (Number.isNaN(v) && typeof valueArg !== 'number') ctx.fail(`the fill value '${valueArg}' is not a known number`);
    const s = dt === 'int64' ? ctx.constInt64([v], []) : castTo(ctx, ctx.constFloat([v], [], dt === 'bool' ? 'float32' : dt), dt);
    ctx.node('Expand', [s, shapeConst(ctx, ctx.shape(out))], {}, ctx.outputs);
  };
}

/** Unary math computed in the output's dtype (torch promotes integer inputs of exp/log/sqrt… to float32). */
export function floatUnary(opType: string): OnnxLowering {
  return (ctx) => {
    ctx.node(opType, [castTo(ctx, mainInput(ctx), ctx.dtype(ctx.outputs[0]!))], {}, ctx.outputs);
  };
}

/** `&`, `|`, `^` on bool tensors; integer bitwise ops need opset 18 and are refused. */
export function bitwiseLowering(opType: 'And' | 'Or' | 'Xor'): OnnxLowering {
  const logicalOp = logical(opType);
  return (ctx) => {
    if (ctx.dtype(ctx.outputs[0]!) !== 'bool') ctx.fail('bitwise ops on integer tensors need ONNX opset 18');
    logicalOp(ctx);
  };
}

/** `~x`: logical not for bool tensors (integer bitwise not needs opset 18). */
export const invertLowering: OnnxLowering = (ctx) => {
  if (ctx.dtype(ctx.outputs[0]!) !== 'bool') ctx.fail('bitwise not on integer tensors needs ONNX opset 18');
  ctx.node('Not', [mainInput(ctx)], {}, ctx.outputs);
};

/** atan2(y, x): atan(y/x) moved to the right quadrant; x = 0 gives ±π/2 (or 0 when y = 0). */
export const atan2Lowering: OnnxLowering = (ctx) => {
  const dt = ctx.dtype(ctx.outputs[0]!);
  const [y, x] = binaryOperands(ctx, dt);
  const zero = scalar(ctx, 0, dt);
  const base = ctx.node('Atan', [ctx.node('Div', [y, x])[0]!])[0]!;
  const xNeg = ctx.node('Less', [x, zero])[0]!;
  const yNeg = ctx.node('Less', [y, zero])[0]!;
  const shift = ctx.node('Where', [yNeg, scalar(ctx, -Math.PI, dt), scalar(ctx, Math.PI, dt)])[0]!;
  const adjusted = ctx.node('Where', [xNeg, ctx.node('Add', [base, shift])[0]!, base])[0]!;
  const onAxis = ctx.node('Mul', [ctx.node('Sign', [y])[0]!, scalar(ctx, Math.PI / 2, dt)])[0]!;
  ctx.node('Where', [ctx.node('Equal', [x, zero])[0]!, onAxis, adjusted], {}, ctx.outputs);
};

/** Lowerings of the arithmetic and comparison operators by torch name (`add`, `truediv`, `ge` …). */
export const BINARY_LOWERINGS: Readonly<Record<string, OnnxLowering>> = {
  add: binary('Add', { alpha: true }),
  sub: binary('Sub', { alpha: true }),
  subtract: binary('Sub', { alpha: true }),
  mul: binary('Mul'),
  multiply: binary('Mul'),
  truediv: divLowering,
  div: divLowering,
  divide: divLowering,
  true_divide: divLowering,
  floordiv: floorDivLowering,
  floor_divide: floorDivLowering,
  mod: remainderLowering(false),
  remainder: remainderLowering(false),
  fmod: remainderLowering(true),
  pow: binary('Pow'),
  maximum: binary('Max'),
  minimum: binary('Min'),
  fmax: binary('Max'),
  atan2: atan2Lowering,
  fmin: binary('Min'),
  eq: binary('Equal', { boolOut: true }),
  ne: notOf('Equal'),
  not_equal: notOf('Equal'),
  lt: binary('Less', { boolOut: true }),
  less: binary('Less', { boolOut: true }),
  le: binary('LessOrEqual', { boolOut: true }),
  less_equal: binary('LessOrEqual', { boolOut: true }),
  gt: binary('Greater', { boolOut: true }),
  greater: binary('Greater', { boolOut: true }),
  ge: binary('GreaterOrEqual', { boolOut: true }),
  greater_equal: binary('GreaterOrEqual', { boolOut: true }),
  logical_and: logical('And'),
  logical_or: logical('Or'),
  logical_xor: logical('Xor'),
  and_: bitwiseLowering('And'),
  or_: bitwiseLowering('Or'),
  xor: bitwiseLowering('Xor'),
  bitwise_and: bitwiseLowering('And'),
  bitwise_or: bitwiseLowering('Or'),
  bitwise_xor: bitwiseLowering('Xor'),
};

/** Lowerings of unary math by torch name (`exp`, `rsqrt`, `isfinite` …). */
export const UNARY_LOWERINGS: Readonly<Record<string, OnnxLowering>> = {
  exp: floatUnary('Exp'),
  exp2: exp2Lowering,
  expm1: expm1Lowering,
  log: floatUnary('Log'),
  log2: logBase(2),
  log10: logBase(10),
  log1p: log1pLowering,
  sqrt: floatUnary('Sqrt'),
  rsqrt: rsqrtLowering,
  sin: floatUnary('Sin'),
  cos: floatUnary('Cos'),
  tan: floatUnary('Tan'),
  asin: floatUnary('Asin'),
  acos: floatUnary('Acos'),
  atan: floatUnary('Atan'),
  sinh: floatUnary('Sinh'),
  cosh: floatUnary('Cosh'),
  erf: floatUnary('Erf'),
  erfc: erfcLowering,
  reciprocal: floatUnary('Reciprocal'),
  abs: unary('Abs'),
  neg: unary('Neg'),
  negative: unary('Neg'),
  sign: unary('Sign'),
  floor: unary('Floor'),
  ceil: unary('Ceil'),
  round: unary('Round'),
  trunc: truncLowering,
  frac: fracLowering,
  square: squareLowering,
  isnan: unary('IsNaN'),
  isinf: unary('IsInf'),
  isfinite: isFiniteLowering,
  logical_not: logicalNotLowering,
};

/** log(sigmoid(x)) = −softplus(−x), stable for large |x|. */
export const logsigmoidLowering: OnnxLowering = composite((ctx, x) => ctx.node('Neg', [ctx.node('Softplus', [ctx.node('Neg', [x])[0]!])[0]!])[0]!);

/** Threshold(threshold, value): x where x > threshold, else value. */
export const thresholdLowering: OnnxLowering = composite((ctx, x, dt) => {
  const keep = ctx.node('Greater', [x, scalar(ctx, optNumber(ctx, 'threshold', 0), dt)])[0]!;
  return ctx.node('Where', [keep, x, scalar(ctx, optNumber(ctx, 'value', 0), dt)])[0]!;
});

/** Hardshrink(λ): x where |x| > λ, else 0. */
export const hardshrinkLowering: OnnxLowering = composite((ctx, x, dt) => {
  const keep = ctx.node('Greater', [ctx.node('Abs', [x])[0]!, scalar(ctx, optNumber(ctx, 'lambd', 0.5), dt)])[0]!;
  return ctx.node('Where', [keep, x, scalar(ctx, 0, dt)])[0]!;
});

/** Softshrink(λ): x − clip(x, −λ, λ). */
export const softshrinkLowering: OnnxLowering = composite((ctx, x, dt) => {
  const l = optNumber(ctx, 'lambd', 0.5);
  return ctx.node('Sub', [x, ctx.node('Clip', [x, scalar(ctx, -l, dt), scalar(ctx, l, dt)])[0]!])[0]!;
});

/** GLU(dim): first half · sigmoid(second half). */
export const gluLowering: OnnxLowering = (ctx) => {
  const x = mainInput(ctx);
  const rank = ctx.shape(x).length;
  const axis = normDim(optNumber(ctx, 'dim', -1), rank);
  const half = ctx.shape(x)[axis]! / 2;
  const [a, b] = ctx.node('Split', [x, ctx.constInt64([half, half])], { axis: attr.int(axis) }, 2) as [string, string];
  ctx.node('Mul', [a, ctx.node('Sigmoid', [b])[0]!], {}, ctx.outputs);
};

/** Softmax2d: softmax over the channel dim (−3). */
export const softmax2dLowering: OnnxLowering = unary('Softmax', () => ({ axis: attr.int(-3) }));

/** RReLU in eval mode: a leaky ReLU with slope (lower + upper) / 2 (training mode is random and refused). */
export const rreluLowering: OnnxLowering = (ctx) => {
  if (optBool(ctx, 'training', false)) ctx.fail('rrelu with training=True draws random slopes');
  const slope = (optNumber(ctx, 'lower', 1 / 8) + optNumber(ctx, 'upper', 1 / 3)) / 2;
  ctx.node('LeakyRelu', [mainInput(ctx)], { alpha: attr.float(slope) }, ctx.outputs);
};
