// einops pattern pieces shared by the op rules and their ONNX lowerings: arguments, einsum compaction, EinMix's plan.
import { Dim, dim } from '../shape/dim';
import { describe } from './args';
import { BoundArgs, ShapeError, UnknownArgError } from './types';
import { PyValue } from './values';
import { EinopsFailure, ELLIPSIS, isAnon, parseSide, ParsedSide, pySet } from './einopsPattern';

export function patternOf(args: BoundArgs, op: string): string {
  const p = args.pattern;
  if (!p || p.kind === 'unknown') throw new UnknownArgError(`${op}: the pattern is unknown`);
  if (p.kind !== 'str') throw new ShapeError(`${op}: the pattern must be a string, not ${describe(p)}`);
  return p.value;
}

/** `**axes_lengths` as ordered (name, Dim) pairs; lengths must be ints (symbolic ones are kept). */
export function axesLengthsOf(v: PyValue | undefined, op: string): [string, Dim][] {
  if (!v || v.kind !== 'dict') return [];
  const out: [string, Dim][] = [];
  for (const [k, x] of v.entries) {
    if (x.kind === 'unknown') throw new UnknownArgError(`${op}: the length of ${k} is unknown`);
    if (x.kind === 'int') out.push([k, x.dim]);
    else if (x.kind === 'bool') out.push([k, dim(x.value ? 1 : 0)]);
    else throw new ShapeError(`${op}: the length of axis ${k} must be an int, not ${describe(x)}`);
  }
  return out;
}

/** einops.einsum's pattern (`b h i d, b h j d -> b h i j`) as a one-letter einsum equation; null operands when too few. */
export function compactEinsum(pattern: string): string {
  if (!pattern.includes('->')) throw new EinopsFailure("ValueError: Einsum pattern must contain '->'.", `einsum: the pattern '${pattern}' must contain '->'`);
  const [lhs, rhs] = pattern.split('->');
  const lefts = lhs.split(',').map((t) => parseSide(t, { allowUnderscore: true, allowDuplicates: true }));
  const right = parseSide(rhs, { allowUnderscore: true });
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const map = new Map<string, string>();
  const axis = (g: string[] | typeof ELLIPSIS): string | null => {
    if (g === ELLIPSIS) return null;
    if (g.length === 0)
      throw new EinopsFailure(
        'NotImplementedError: Singleton () axes are not yet supported in einsum.',
        "einsum: '()' and '1' axes are not supported in einops.einsum",
      );
    if (g.length > 1)
      throw new EinopsFailure(
        'NotImplementedError: Shape rearrangement is not yet supported in einsum.',
        'einsum: grouped axes like (h d) are not supported in einops.einsum; rearrange first',
      );
    if (isAnon(g[0]))
      throw new EinopsFailure(
        'NotImplementedError: Anonymous axes are not yet supported in einsum.',
        'einsum: numbered axes are not supported in einops.einsum',
      );
    return g[0];
  };
  const terms = lefts.map((side) =>
    side.composition
      .map((g) => {
        const a = axis(g);
        if (a === null) return '...';
        if (!map.has(a)) {
          if (map.size >= letters.length) throw new EinopsFailure('RuntimeError: Too many axes in einsum.', 'einsum: more than 52 distinct axes');
          map.set(a, letters[map.size]);
        }
        return map.get(a)!;
      })
      .join(''),
  );
  const out = right.composition
    .map((g) => {
      const a = axis(g);
      if (a === null) return '...';
      const l = map.get(a);
      if (!l) throw new EinopsFailure(`Unknown axis ${a} on right side of einsum ${pattern}.`, `einsum: output axis '${a}' of '${pattern}' is on no input`);
      return l;
    })
    .join('');
  return `${terms.join(',')}->${out}`;
}

// ---------------------------------------------------------------- EinMix

/** EinMix's construction, as einops checks and derives it: weight/bias shapes, fan-in, einsum equation, reshapes. */
export interface EinMixPlan {
  readonly weightShape: number[];
  readonly biasShape: number[] | null;
  readonly fanIn: number;
  readonly equation: string;
  /** `left -> flat` when the input side groups axes, with the lengths it needs. */
  readonly pre: { pattern: string; lengths: [string, Dim][] } | null;
  /** `flat -> right` when the output side groups axes. */
  readonly post: string | null;
}

function mixFail(e: string, msg: string, hint?: string): never {
  throw new EinopsFailure(e, `EinMix: ${msg} [einops: ${e}]`, hint);
}

export function einmixPlan(attrs: BoundArgs): EinMixPlan {
  const pattern = patternOf(attrs, 'EinMix');
  const ws = attrs.weight_shape;
  if (!ws || ws.kind !== 'str') throw new ShapeError(`EinMix: weight_shape must be a string of axis names, not ${ws ? describe(ws) : 'missing'}`);
  const lengths = axesLengthsOf(attrs.axes_lengths, 'EinMix');
  const lengthMap = new Map(lengths);
  const sides = pattern.split('->');
  if (sides.length !== 2) mixFail(`ValueError: not enough values to unpack (expected 2, got ${sides.length})`, `the pattern '${pattern}' needs one '->'`);
  const [leftText, rightText] = sides;
  const left = parseSide(leftText);
  const right = parseSide(rightText);
  const weight = parseSide(ws.value);
  const ids = (p: ParsedSide): string[] => [...p.identifiers];
  const unrecognised = ids(right).filter((a) => !left.identifiers.has(a) && !weight.identifiers.has(a));
  if (unrecognised.length)
    mixFail(
      `Unrecognized identifiers on the right side of EinMix ${pySet(unrecognised)}`,
      `output axes ${unrecognised.join(', ')} are neither in the input nor in the weight`,
    );
  if (weight.hasEllipsis)
    mixFail('Ellipsis is not supported in weight, as its shape should be fully specified', `weight_shape '${ws.value}' may not contain '...'`);
  if (left.hasEllipsis || right.hasEllipsis) {
    if (!(left.hasEllipsis && right.hasEllipsis))
      mixFail(`Ellipsis in EinMix should be on both sides, ${pattern}`, `'...' must be on both sides of '${pattern}'`);
    if (left.ellipsisParenthesized) mixFail(`Ellipsis on left side can't be in parenthesis, got ${pattern}`, `'...' cannot be in brackets on the input side`);
  }
  if ([left, right, weight].some((p) => p.hasNonUnitaryAnonymous))
    mixFail('Anonymous axes (numbers) are not allowed in EinMix', 'numbered axes are not allowed in EinMix');
  if (ws.value.includes('(') || ws.value.includes(')'))
    mixFail(`Parenthesis is not allowed in weight shape: ${ws.value}`, `weight_shape '${ws.value}' may not group axes`);
  const flatNames = (p: ParsedSide): string[] => p.composition.flatMap((g) => (g === ELLIPSIS ? ['...'] : g.map((a) => (a === ELLIPSIS ? '...' : a))));
  let pre: EinMixPlan['pre'] = null;
  if (left.composition.some((g) => g !== ELLIPSIS && g.length !== 1)) {
    const names = flatNames(left);
    pre = { pattern: `${leftText}-> ${names.join(' ')}`, lengths: lengths.filter(([k]) => names.includes(k)) };
  }
  let post: string | null = null;
  if (right.composition.some((g) => g !== ELLIPSIS && g.length !== 1) || right.ellipsisParenthesized) post = `${flatNames(right).join(' ')} ->${rightText}`;
  const weightAxes = weight.composition.map((g) => (g as string[])[0]).filter((a) => a !== undefined);
  for (const a of weight.identifiers)
    if (!lengthMap.has(a)) mixFail(`Dimension ${a} of weight should be specified`, `pass the length of weight axis ${a} (${a}=<length>)`);
  const unused = lengths.map(([k]) => k).filter((k) => !left.identifiers.has(k) && !weight.identifiers.has(k));
  if (unused.length) mixFail(`Axes ${pySet(unused)} are not used in pattern`, `${unused.join(', ')} given but not used`);
  const redundant = ids(weight).filter((a) => !left.identifiers.has(a) && !right.identifiers.has(a));
  if (redundant.length) mixFail(`Weight axes ${pySet(redundant)} are redundant`, `weight axes ${redundant.join(', ')} are on neither side of the pattern`);
  const concrete = (a: string): number => {
    const v = lengthMap.get(a)?.value;
    if (v === null || v === undefined) throw new UnknownArgError(`EinMix: the length of ${a} is unknown`);
    return v;
  };
  const weightShape = weightAxes.map(concrete);
  const fanIn = weightAxes.filter((a) => !right.identifiers.has(a)).reduce((p, a) => p * concrete(a), 1);
  let biasShape: number[] | null = null;
  const bs = attrs.bias_shape;
  if (bs && bs.kind !== 'none') {
    if (bs.kind !== 'str') mixFail('bias shape should be string specifying which axes bias depends on', 'bias_shape must be a string of axis names');
    const bias = parseSide(bs.value);
    const notOut = ids(bias).filter((a) => !right.identifiers.has(a));
    if (notOut.length) mixFail(`Bias axes ${pySet(notOut)} not present in output`, `bias axes ${notOut.join(', ')} are not in the output`);
    const noLen = ids(bias).filter((a) => !lengthMap.has(a));
    if (noLen.length) mixFail(`Sizes not provided for bias axes ${pySet(noLen)}`, `pass the lengths of bias axes ${noLen.join(', ')}`);
    biasShape = [];
    let used = false;
    for (const g of right.composition) {
      if (g === ELLIPSIS) {
        if (used) mixFail('all bias dimensions should go after ellipsis in the output', "bias axes must come after '...' in the output");
        continue;
      }
      for (const a of g) {
        if (a === ELLIPSIS) {
          if (used) mixFail('all bias dimensions should go after ellipsis in the output', "bias axes must come after '...' in the output");
        } else if (bias.identifiers.has(a)) {
          biasShape.push(concrete(a));
          used = true;
        } else biasShape.push(1);
      }
    }
  }
  const mapped = [...new Set([...left.identifiers, ...right.identifiers, ...weight.identifiers])].filter((a) => a !== ELLIPSIS).sort();
  const letter = new Map(mapped.map((a, i) => [a, 'abcdefghijklmnopqrstuvwxyz'[i] ?? '?']));
  const flat = (p: ParsedSide): string =>
    p.composition.map((g) => (g === ELLIPSIS ? '...' : g.map((a) => (a === ELLIPSIS ? '...' : letter.get(a))).join(''))).join('');
  return { weightShape, biasShape, fanIn, equation: `${flat(left)},${flat(weight)}->${flat(right)}`, pre, post };
}
