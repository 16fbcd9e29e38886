// einops as a built-in library: rearrange/repeat/reduce/pack/unpack/einsum/parse_shape and the torch layers
// Rearrange/Reduce/EinMix, provided as the Python modules `einops`, `einops.einops` and `einops.layers.torch`.
import { Dim, dim, dimEquals, formatDim } from '../shape/dim';
import { DType, Shape } from '../shape/shape';
import { describe } from './args';
import { einsumShape } from './einsum';
import { numelOf } from './flopsCount';
import { providePythonModule, registerOps } from './registry';
import { opt, req, star, starstar } from './sig';
import { showShape } from './showShape';
import { BoundArgs, FunctionOpDef, InferContext, ModuleOpDef, ShapeError, TensorSpec, UnknownArgError } from './types';
import { NONE, PyValue, TensorValue } from './values';
import {
  EinopsFailure,
  EinopsOperation,
  einopsRecipe,
  EinopsRecipe,
  ELLIPSIS,
  isAnon,
  lengthsRepr,
  minInputRank,
  parseSide,
  preparePattern,
  REDUCTIONS,
} from './einopsPattern';
import { axesLengthsOf, compactEinsum, einmixPlan, patternOf } from './einopsPlans';
import { pack, pyShapeText, unpack } from './einopsPack';
import { einmixLowering, einopsEinsumLowering, einopsLowering } from './lowerEinops';

const pyInt = (d: Dim): PyValue => ({ kind: 'int', dim: d });

/** The input: a tensor, or a list of equal-shaped tensors that einops stacks on a new first axis. */
function inputOf(v: PyValue | undefined, op: string): { shape: Shape | null; dtype: DType } {
  if (!v || v.kind === 'unknown') throw new UnknownArgError(`${op}: the input is unknown`);
  if (v.kind === 'tensor') return { shape: v.shape, dtype: v.dtype };
  if (v.kind === 'list') {
    if (v.items.length === 0) throw new EinopsFailure("TypeError: Rearrange/Reduce/Repeat can't be applied to an empty list", `${op}: the input list is empty`);
    const ts = v.items.map((x, i) => {
      if (x.kind === 'unknown') throw new UnknownArgError(`${op}: list item ${i} is unknown`);
      if (x.kind !== 'tensor') throw new ShapeError(`${op}: list item ${i} must be a tensor, not ${describe(x)}`);
      return x;
    });
    const first = ts[0].shape;
    if (!first || ts.some((t) => !t.shape)) return { shape: null, dtype: ts[0].dtype };
    ts.forEach((t, i) => {
      const s = t.shape!;
      if (s.length !== first.length || s.some((d, j) => dimEquals(d, first[j]) === false)) {
        const a = first.map((d) => d.value ?? '?').join(', ');
        const b = s.map((d) => d.value ?? '?').join(', ');
        throw new EinopsFailure(
          `RuntimeError: stack expects each tensor to be equal size, but got [${a}] at entry 0 and [${b}] at entry ${i}`,
          `${op}: a list input is stacked first, so its tensors must have one shape, but item 0 is ${showShape(first)} and item ${i} is ${showShape(s)}`,
        );
      }
    });
    return { shape: [dim(ts.length), ...first], dtype: ts[0].dtype };
  }
  throw new EinopsFailure(
    `RuntimeError: Tensor type unknown to einops ${pyTypeName(v)}`,
    `${op}: the input must be a tensor or a list of tensors, not ${describe(v)}`,
  );
}

function pyTypeName(v: PyValue): string {
  const t = { tuple: 'tuple', dict: 'dict', int: 'int', float: 'float', str: 'str', none: 'NoneType', bool: 'bool' }[v.kind as string];
  return `<class '${t ?? 'object'}'>`;
}

/** Reduction as einops receives it: a name, or a callable (a user function). */
function reductionOf(v: PyValue | undefined, op: string): EinopsOperation {
  if (!v || v.kind === 'unknown') throw new UnknownArgError(`${op}: the reduction is unknown`);
  if (v.kind === 'str') return v.value;
  if (v.kind === 'object') return 'callable';
  throw new EinopsFailure(
    `Unknown reduction ${describe(v)}. Expect one of ${'(' + REDUCTIONS.map((r) => `'${r}'`).join(', ') + ')'}.`,
    `${op}: the reduction must be one of ${REDUCTIONS.join(', ')} or a function, not ${describe(v)}`,
  );
}

/** Runs the recipe, turning einops' failure into a diagnostic that names the call, pattern and input. */
function recipeFor(op: string, pattern: string, operation: EinopsOperation, shape: Shape, lengths: [string, Dim][], ctx?: InferContext): EinopsRecipe {
  try {
    return einopsRecipe(pattern, operation, shape, lengths);
  } catch (e) {
    if (e instanceof EinopsFailure) {
      for (const d of e.divisibility) if (d.size.expr) ctx?.constrain?.({ expr: d.size.expr, divisibleBy: d.by });
      const extra = lengths.length ? `, ${lengths.map(([k, d]) => `${k}=${d.value ?? formatDim(d)}`).join(', ')}` : '';
      throw new EinopsFailure(e.einops, `${op}('${pattern}'${extra}) on ${showShape(shape)}: ${e.message} [einops: ${e.einops.split('\n')[0]}]`, e.hint);
    }
    throw e;
  }
}

function recipeOut(ctx: InferContext, recipe: EinopsRecipe, dtype: DType): PyValue {
  for (const d of recipe.divisibility) ctx.constrain?.({ expr: d.size.expr!, divisibleBy: d.by });
  return ctx.tensor(recipe.output, dtype);
}

function transform(op: string, operation: (args: BoundArgs) => EinopsOperation): (args: BoundArgs, ctx: InferContext) => PyValue {
  return (args, ctx) => {
    const pattern = patternOf(args, op);
    const how = operation(args);
    const lengths = axesLengthsOf(args.axes_lengths, op);
    const x = inputOf(args.tensor, op);
    if (!x.shape) {
      preparePattern(
        pattern,
        how,
        lengths.map(([k]) => k),
      );
      return ctx.tensor(null, x.dtype);
    }
    if (how === 'mean' && !x.dtype.startsWith('float') && x.dtype !== 'bfloat16') {
      throw new EinopsFailure(
        'NotImplementedError: reduce_mean is not available for non-floating tensors',
        `${op}: 'mean' needs a floating-point input, but it is ${x.dtype}`,
        'convert with .float() first',
      );
    }
    const recipe = recipeFor(op, pattern, how, x.shape, lengths, ctx);
    return recipeOut(ctx, recipe, how === 'any' || how === 'all' ? 'bool' : x.dtype);
  };
}

function reduceFlops(args: BoundArgs, out: PyValue): number {
  const x = args.tensor;
  const n = numelOf(x);
  return n > numelOf(out) ? n : 0;
}

const AXES = starstar('axes_lengths');

const rearrange: FunctionOpDef = {
  kind: 'function',
  name: 'einops.rearrange',
  family: 'einops',
  role: { kind: 'layout' },
  signature: [req('tensor'), req('pattern'), AXES],
  infer: transform('rearrange', () => 'rearrange'),
  flops: () => 0,
  onnx: einopsLowering,
};
const repeat: FunctionOpDef = {
  kind: 'function',
  name: 'einops.repeat',
  family: 'einops',
  role: { kind: 'layout' },
  signature: [req('tensor'), req('pattern'), AXES],
  infer: transform('repeat', () => 'repeat'),
  flops: () => 0,
  onnx: einopsLowering,
};
const reduce: FunctionOpDef = {
  kind: 'function',
  name: 'einops.reduce',
  family: 'einops',
  role: { kind: 'reduce', detail: 'reduce' },
  signature: [req('tensor'), req('pattern'), req('reduction'), AXES],
  infer: transform('reduce', (a) => reductionOf(a.reduction, 'reduce')),
  flops: reduceFlops,
  onnx: einopsLowering,
};

function einsumParts(args: BoundArgs): { tensors: TensorValue[]; pattern: string } {
  const all = args.tensors_and_pattern;
  const items = all && all.kind === 'tuple' ? all.items : [];
  if (items.length <= 1) {
    throw new EinopsFailure(
      'ValueError: `einops.einsum` takes at minimum two arguments: the tensors (at least one), followed by the pattern.',
      'einsum: pass the tensors, then the pattern',
    );
  }
  const p = items[items.length - 1];
  if (p.kind === 'unknown') throw new UnknownArgError('einsum: the pattern is unknown');
  if (p.kind !== 'str') {
    throw new EinopsFailure(
      'ValueError: The last argument passed to `einops.einsum` must be a string, representing the einsum pattern.',
      'einsum: the pattern comes last, after the tensors',
    );
  }
  const tensors = items.slice(0, -1).map((t, i) => {
    if (t.kind === 'unknown') throw new UnknownArgError(`einsum: operand ${i} is unknown`);
    if (t.kind !== 'tensor') throw new ShapeError(`einsum: operand ${i} must be a tensor, not ${describe(t)}`);
    return t;
  });
  return { tensors, pattern: p.value };
}

const einsum: FunctionOpDef = {
  kind: 'function',
  name: 'einops.einsum',
  family: 'einops',
  role: { kind: 'other' },
  signature: [star('tensors_and_pattern')],
  onnx: einopsEinsumLowering,
  infer(args, ctx) {
    const { tensors, pattern } = einsumParts(args);
    const eq = compactEinsum(pattern);
    return ctx.tensor(einsumShape(`einsum('${pattern}')`, eq, tensors), tensors[0].dtype);
  },
  flops(args, out) {
    try {
      const { tensors, pattern } = einsumParts(args);
      const eq = compactEinsum(pattern);
      const outLetters = new Set(eq.split('->')[1]);
      const sizes = new Map<string, number>();
      eq.split('->')[0]
        .split(',')
        .forEach((term, i) => {
          if (term.includes('...')) return;
          [...term].forEach((l, j) => sizes.set(l, tensors[i].shape?.[j]?.value ?? 1));
        });
      let contracted = 1;
      for (const [l, n] of sizes) if (!outLetters.has(l)) contracted *= n;
      return 2 * numelOf(out) * contracted;
    } catch {
      return 0;
    }
  },
};

const parseShape: FunctionOpDef = {
  kind: 'function',
  name: 'einops.parse_shape',
  family: 'einops',
  role: { kind: 'other', detail: 'shape' },
  signature: [req('x'), req('pattern')],
  infer(args) {
    const pattern = patternOf(args, 'parse_shape');
    const x = args.x;
    if (!x || x.kind === 'unknown') throw new UnknownArgError('parse_shape: the input is unknown');
    if (x.kind !== 'tensor') throw new ShapeError(`parse_shape: the input must be a tensor, not ${describe(x)}`);
    const exp = parseSide(pattern, { allowUnderscore: true });
    const shape = x.shape;
    if (!shape) throw new UnknownArgError('parse_shape: the input rank is unknown');
    const st = pyShapeText(shape);
    if (exp.composition.some((g) => g !== ELLIPSIS && g.length > 1)) {
      throw new EinopsFailure(
        `RuntimeError: Can't parse shape with composite axes: ${pattern} ${st}`,
        `parse_shape: '${pattern}' may not group axes in brackets`,
      );
    }
    const n = exp.composition.length;
    if (shape.length !== n) {
      if (exp.hasEllipsis) {
        if (shape.length < n - 1)
          throw new EinopsFailure(
            `RuntimeError: Can't parse shape with this number of dimensions: ${pattern} ${st}`,
            `parse_shape: '${pattern}' needs at least ${n - 1} axes, the input ${showShape(shape)} has ${shape.length}`,
          );
      } else {
        throw new EinopsFailure(
          `RuntimeError: Can't parse shape with different number of dimensions: ${pattern} ${st}`,
          `parse_shape: '${pattern}' names ${n} axes, the input ${showShape(shape)} has ${shape.length}`,
        );
      }
    }
    let comp = exp.composition;
    if (exp.hasEllipsis) {
      const at = comp.indexOf(ELLIPSIS);
      comp = [...comp.slice(0, at), ...Array.from({ length: shape.length - n + 1 }, () => ['_']), ...comp.slice(at + 1)];
    }
    const entries = new Map<string, PyValue>();
    const keys: PyValue[] = [];
    comp.forEach((g, i) => {
      const len = shape[i];
      if (g === ELLIPSIS) return;
      if (g.length === 0) {
        if (len.value !== null && len.value !== 1)
          throw new EinopsFailure(
            `RuntimeError: Length of axis is not 1: ${pattern} ${st}`,
            `parse_shape: axis ${i} of '${pattern}' is 1 or (), but the input ${showShape(shape)} has ${len.value} there`,
          );
        return;
      }
      const a = g[0];
      if (isAnon(a)) {
        const want = Number(a.slice(0, a.indexOf('#')));
        if (len.value !== null && len.value !== want)
          throw new EinopsFailure(
            `RuntimeError: Length of anonymous axis does not match: ${pattern} ${st}`,
            `parse_shape: axis ${i} of '${pattern}' is ${want}, but the input ${showShape(shape)} has ${len.value} there`,
          );
        return;
      }
      if (a === '_') return;
      if (!entries.has(a)) keys.push({ kind: 'str', value: a });
      entries.set(a, pyInt(len));
    });
    return { kind: 'dict', entries, keys };
  },
};

// ---------------------------------------------------------------- layers

function layerRepr(attrs: BoundArgs, type: string): string {
  const parts = [`'${attrs.pattern?.kind === 'str' ? attrs.pattern.value : '?'}'`];
  if (attrs.reduction?.kind === 'str') parts.push(`'${attrs.reduction.value}'`);
  for (const [k, d] of axesLengthsSafe(attrs)) parts.push(`${k}=${d.value ?? formatDim(d)}`);
  return `${type}(${parts.join(', ')})`;
}

function axesLengthsSafe(attrs: BoundArgs): [string, Dim][] {
  try {
    return axesLengthsOf(attrs.axes_lengths, 'layer');
  } catch {
    return [];
  }
}

/** The checks einops runs when a Rearrange/Reduce layer is built (recipes for every input rank the pattern allows). */
function validateLayer(attrs: BoundArgs, type: string, how: EinopsOperation): void {
  const pattern = patternOf(attrs, type);
  const lengths = axesLengthsOf(attrs.axes_lengths, type);
  try {
    const { left } = preparePattern(
      pattern,
      how,
      lengths.map(([k]) => k),
    );
    const rank = minInputRank(left);
    einopsRecipe(
      pattern,
      how,
      Array.from({ length: rank }, () => ({ value: null, expr: null })),
      lengths,
    );
  } catch (e) {
    if (e instanceof EinopsFailure) {
      throw new EinopsFailure(
        ` Error while preparing ${layerRepr(attrs, type)}\n ${e.einops}`,
        `${layerRepr(attrs, type)}: ${e.message} [einops: ${e.einops.split('\n')[0]}]`,
        e.hint,
      );
    }
    throw e;
  }
}

function layerForward(type: string, how: (attrs: BoundArgs) => EinopsOperation) {
  return (attrs: BoundArgs, args: BoundArgs, ctx: InferContext): PyValue => {
    const x = args.input;
    if (!x || x.kind === 'unknown') throw new UnknownArgError(`${type}: the input is unknown`);
    if (x.kind !== 'tensor') throw new ShapeError(`${type}: the input must be a tensor, not ${describe(x)}`);
    const pattern = patternOf(attrs, type);
    const lengths = axesLengthsOf(attrs.axes_lengths, type);
    const op = how(attrs);
    if (!x.shape) return ctx.tensor(null, op === 'any' || op === 'all' ? 'bool' : x.dtype);
    const left = parseSide(pattern.split('->')[0]);
    const rank = minInputRank(left);
    const ok = left.hasEllipsis ? x.shape.length >= rank && x.shape.length < rank + 8 : x.shape.length === rank;
    if (!ok) {
      throw new EinopsFailure(
        `KeyError: ${x.shape.length}`,
        `${layerRepr(attrs, type)}: the pattern takes ${left.hasEllipsis ? `at least ${rank}` : rank}-dim inputs, but the input ${showShape(x.shape)} has ${x.shape.length} dims [einops: KeyError: ${x.shape.length}]`,
      );
    }
    let recipe: EinopsRecipe;
    try {
      recipe = einopsRecipe(pattern, op, x.shape, lengths);
    } catch (e) {
      if (e instanceof EinopsFailure) for (const d of e.divisibility) if (d.size.expr) ctx.constrain?.({ expr: d.size.expr, divisibleBy: d.by });
      if (e instanceof EinopsFailure)
        throw new EinopsFailure(e.einops, `${layerRepr(attrs, type)} on ${showShape(x.shape)}: ${e.message} [einops: ${e.einops}]`, e.hint);
      throw e;
    }
    return recipeOut(ctx, recipe, op === 'any' || op === 'all' ? 'bool' : x.dtype);
  };
}

const rearrangeLayer: ModuleOpDef = {
  kind: 'module',
  type: 'Rearrange',
  library: 'einops.layers.torch',
  family: 'einops',
  role: { kind: 'layout' },
  ctor: [req('pattern'), AXES],
  forward: [req('input')],
  tensors: () => [],
  validate: (attrs) => validateLayer(attrs, 'Rearrange', 'rearrange'),
  infer: layerForward('Rearrange', () => 'rearrange'),
  flops: () => 0,
  onnx: einopsLowering,
};

const reduceLayer: ModuleOpDef = {
  kind: 'module',
  type: 'Reduce',
  library: 'einops.layers.torch',
  family: 'einops',
  role: { kind: 'reduce', detail: 'reduce' },
  ctor: [req('pattern'), req('reduction'), AXES],
  forward: [req('input')],
  tensors: () => [],
  validate: (attrs) => validateLayer(attrs, 'Reduce', reductionOf(attrs.reduction, 'Reduce')),
  infer: layerForward('Reduce', (a) => reductionOf(a.reduction, 'Reduce')),
  flops: (_attrs, args, out) => {
    const n = numelOf(args.input);
    return n > numelOf(out) ? n : 0;
  },
  onnx: einopsLowering,
};

const einmixLayer: ModuleOpDef = {
  kind: 'module',
  type: 'EinMix',
  library: 'einops.layers.torch',
  family: 'einops',
  role: { kind: 'linear' },
  ctor: [req('pattern'), req('weight_shape'), opt('bias_shape', NONE), AXES],
  forward: [req('input')],
  validate: (attrs) => void einmixPlan(attrs),
  tensors(attrs): TensorSpec[] {
    const plan = einmixPlan(attrs);
    const out: TensorSpec[] = [
      { name: 'weight', shape: plan.weightShape, dtype: 'float32', role: 'param', init: { kind: 'uniform', bound: Math.sqrt(3 / plan.fanIn) } },
    ];
    if (plan.biasShape)
      out.push({ name: 'bias', shape: plan.biasShape, dtype: 'float32', role: 'param', init: { kind: 'uniform', bound: Math.sqrt(1 / plan.fanIn) } });
    return out;
  },
  submodules(attrs) {
    const plan = einmixPlan(attrs);
    return [
      ...(plan.pre ? [{ name: 'pre_rearrange', type: 'Rearrange', tensors: [] }] : []),
      ...(plan.post ? [{ name: 'post_rearrange', type: 'Rearrange', tensors: [] }] : []),
    ];
  },
  infer(attrs, args, ctx) {
    const x = args.input;
    if (!x || x.kind === 'unknown') throw new UnknownArgError('EinMix: the input is unknown');
    if (x.kind !== 'tensor') throw new ShapeError(`EinMix: the input must be a tensor, not ${describe(x)}`);
    const plan = einmixPlan(attrs);
    if (!x.shape) return ctx.tensor(null, x.dtype);
    let shape: Shape = x.shape;
    if (plan.pre) shape = recipeFor('EinMix', plan.pre.pattern, 'rearrange', shape, plan.pre.lengths).output;
    const w: TensorValue = { kind: 'tensor', id: '', shape: plan.weightShape.map((n) => dim(n)), dtype: 'float32' };
    const mixed = einsumShape('EinMix', plan.equation, [{ kind: 'tensor', id: '', shape, dtype: x.dtype }, w]) as Shape;
    const out = plan.post ? recipeFor('EinMix', plan.post, 'rearrange', mixed, []).output : mixed;
    return ctx.tensor(out, x.dtype);
  },
  flops(attrs, args, out) {
    try {
      const plan = einmixPlan(attrs);
      const [lhs, rhs] = plan.equation.split('->');
      const outLetters = new Set(rhs);
      const w = lhs.split(',')[1];
      const contracted = [...w].reduce((p, l, i) => (outLetters.has(l) ? p : p * plan.weightShape[i]), 1);
      return 2 * numelOf(out) * contracted + (plan.biasShape ? numelOf(out) : 0);
    } catch {
      return 0;
    }
  },
  onnx: einmixLowering,
};

registerOps([rearrange, repeat, reduce, pack, unpack, einsum, parseShape, rearrangeLayer, reduceLayer, einmixLayer]);

const functions = { rearrange, repeat, reduce, pack, unpack, einsum, parse_shape: parseShape };
providePythonModule('einops', functions);
providePythonModule('einops.einops', { rearrange, repeat, reduce, einsum, parse_shape: parseShape });
providePythonModule('einops.packing', { pack, unpack });
providePythonModule('einops.layers.torch', { Rearrange: rearrangeLayer, Reduce: reduceLayer, EinMix: einmixLayer });

/** Each axis of a pattern with its length, for the editor's hover (`h=8 · [B, 8, 16, 64]`). */
export function einopsAxes(pattern: string, op: EinopsOperation, shape: Shape, lengths: [string, Dim][]): { axes: [string, Dim][]; output: Shape } | null {
  try {
    const r = einopsRecipe(pattern, op, shape, lengths);
    return { axes: [...r.named.entries()], output: r.output };
  } catch {
    return null;
  }
}
export { lengthsRepr };
