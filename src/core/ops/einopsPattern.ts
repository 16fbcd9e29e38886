// einops patterns: parsing (`b c (h p1) (w p2) -> b (h w) (p1 p2 c)`) and the transform recipe over symbolic dims.
//
// Semantics follow einops 0.8/0.9: the checks run in einops' order and each failure carries the text einops
// raises (`einops`), while the message shown to the user says it in plain words with the shapes involved.
import { Dim, dim, dimFloorDiv, dimMul, formatDim } from '../shape/dim';
import { exprEval, exprFormat, exprSymbols, type Expr } from '../shape/expr';
import { Shape } from '../shape/shape';
import { ShapeError } from './types';

/** A failure einops would raise: `einops` is its exception text (`EinopsError: …`), `message` the diagnostic. */
export class EinopsFailure extends ShapeError {
  /** Divisibilities of input-derived sizes found before the failure (a failed split included). */
  divisibility: readonly EinopsDivisibility[] = [];
  constructor(
    readonly einops: string,
    message: string,
    hint?: string,
  ) {
    super(message, hint);
    this.name = 'EinopsFailure';
  }
}

export const ELLIPSIS = '…';

/** One side of a pattern. Anonymous axes (`3`) are unique keys `3#n`; `1` and `()` are empty groups. */
export interface ParsedSide {
  readonly text: string;
  readonly hasEllipsis: boolean;
  /** null when there is no ellipsis. */
  readonly ellipsisParenthesized: boolean | null;
  /** Insertion-ordered identifiers (names, anonymous keys, and `…`). */
  readonly identifiers: Set<string>;
  /** Groups of axes; `…` outside brackets is a bare string. */
  readonly composition: (string[] | typeof ELLIPSIS)[];
  readonly hasNonUnitaryAnonymous: boolean;
}

let anonCounter = 0;
export const isAnon = (axis: string): boolean => /^\d+#\d+$/.test(axis);
export const anonValue = (axis: string): number => Number(axis.slice(0, axis.indexOf('#')));
/** How einops prints an axis inside a set: `'h'`, `3-axis`, `'…'`. */
export const axisRepr = (axis: string): string => (isAnon(axis) ? `${anonValue(axis)}-axis` : `'${axis}'`);
export const pySet = (axes: Iterable<string>): string => `{${[...axes].map(axisRepr).join(', ')}}`;
/** How an axis reads in a message: `h`, `3`, `...`. */
export const axisName = (axis: string): string => (isAnon(axis) ? String(anonValue(axis)) : axis === ELLIPSIS ? '...' : axis);

const PY_KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);
const isIdentifier = (s: string): boolean => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s);

/** einops' rule for an axis name: a Python identifier that neither starts nor ends with `_` (keywords only warn). */
export function axisNameProblem(name: string, allowUnderscore = false): string | null {
  if (!isIdentifier(name)) return 'not a valid python identifier';
  if (name[0] === '_' || name[name.length - 1] === '_') {
    if (name === '_' && allowUnderscore) return null;
    return 'axis name should should not start or end with underscore';
  }
  return null;
}
export const isKeywordAxis = (name: string): boolean => PY_KEYWORDS.has(name);

/**
 * What einops cannot know: which sizes of the model's own inputs would make `length` satisfy `ok`
 * (`H a multiple of 32`, `W = 64 or 128`), one input symbol at a time; null when it does not derive from one.
 */
export function fittingInputs(length: Dim, ok: (n: number) => boolean): string | null {
  if (!length.expr || length.expr.kind === 'const') return null;
  const parts: string[] = [];
  for (const sym of exprSymbols(length.expr)) {
    const fits: number[] = [];
    for (let v = 1; v <= 4096 && fits.length < 64; v++) {
      const n = exprEval(length.expr, new Map([[sym, v]]));
      if (n !== null && ok(n)) fits.push(v);
    }
    if (!fits.length) continue;
    const step = fits[0];
    const periodic = fits.length >= 3 && fits.every((f, i) => f === step * (i + 1));
    parts.push(periodic ? `${sym} a multiple of ${step}` : `${sym} = ${fits.slice(0, 3).join(', ')}${fits.length > 3 ? ', …' : ''}`);
  }
  return parts.length ? `${exprFormat(length.expr)} fits when ${parts.join('; or ')}` : null;
}

/** A failed split: the failure carries the splits seen so far, so the input-size solver still learns them. */
function failSplit(splits: readonly EinopsDivisibility[], einops: string, message: string, hint?: string): never {
  const e = new EinopsFailure(einops, message, hint);
  e.divisibility = splits;
  throw e;
}

function fail(einops: string, message: string, hint?: string): never {
  throw new EinopsFailure(einops, message, hint);
}

/** Parses one side of a pattern as einops' ParsedExpression does. */
export function parseSide(expression: string, opts: { allowUnderscore?: boolean; allowDuplicates?: boolean } = {}): ParsedSide {
  let expr = expression;
  let hasEllipsis = false;
  let ellipsisParenthesized: boolean | null = null;
  const identifiers = new Set<string>();
  const composition: (string[] | typeof ELLIPSIS)[] = [];
  let nonUnitary = false;
  if (expr.includes('.')) {
    if (!expr.includes('...')) fail('Expression may contain dots only inside ellipsis (...)', `'${expression}' has a '.' that is not part of '...'`);
    if (expr.split('...').length !== 2 || expr.split('.').length !== 4) {
      fail('Expression may contain dots only inside ellipsis (...); only one ellipsis for tensor ', `'${expression}' may hold one '...' and no other dots`);
    }
    expr = expr.replace('...', ELLIPSIS);
    hasEllipsis = true;
  }
  let group: string[] | null = null;
  const add = (x: string): void => {
    if (identifiers.has(x) && !(opts.allowUnderscore && x === '_') && !opts.allowDuplicates) {
      fail(
        `Indexing expression contains duplicate dimension "${x}"`,
        `axis '${x}' appears twice in '${expression.trim()}': each axis name may appear once per side`,
      );
    }
    if (x === ELLIPSIS) {
      identifiers.add(ELLIPSIS);
      if (group === null) {
        composition.push(ELLIPSIS);
        ellipsisParenthesized = false;
      } else {
        group.push(ELLIPSIS);
        ellipsisParenthesized = true;
      }
      return;
    }
    const isNumber = /^[0-9]+$/.test(x);
    if (isNumber && Number(x) === 1) {
      if (group === null) composition.push([]);
      return;
    }
    const problem = axisNameProblem(x, opts.allowUnderscore);
    if (!isNumber && problem) fail(`Invalid axis identifier: ${x}\n${problem}`, `'${x}' is not a valid axis name in '${expression.trim()}' (${problem})`);
    let key = x;
    if (isNumber) {
      const v = Number(x);
      if (v <= 1) fail(`Anonymous axis should have positive length, not ${v}`, `anonymous axis '${x}' in '${expression.trim()}' must be a length ≥ 1`);
      key = `${v}#${anonCounter++}`;
      nonUnitary = true;
    }
    identifiers.add(key);
    if (group === null) composition.push([key]);
    else group.push(key);
  };
  let current: string | null = null;
  for (const ch of expr) {
    if (ch === '(' || ch === ')' || ch === ' ') {
      if (current !== null) add(current);
      current = null;
      if (ch === '(') {
        if (group !== null)
          fail(
            'Axis composition is one-level (brackets inside brackets not allowed)',
            `'${expression.trim()}' nests brackets; einops groups axes one level deep`,
          );
        group = [];
      } else if (ch === ')') {
        if (group === null) fail('Brackets are not balanced', `'${expression.trim()}' closes a bracket that was not opened`);
        composition.push(group);
        group = null;
      }
    } else if (/[\p{L}\p{N}_]/u.test(ch) || ch === ELLIPSIS) {
      current = current === null ? ch : current + ch;
    } else {
      fail(`Unknown character '${ch}'`, `'${expression.trim()}' contains '${ch}'; patterns hold axis names, numbers, brackets, spaces and '...'`);
    }
  }
  if (group !== null) fail(`Imbalanced parentheses in expression: "${expr}"`, `'${expression.trim()}' opens a bracket that is never closed`);
  if (current !== null) add(current);
  return { text: expression, hasEllipsis, ellipsisParenthesized, identifiers, composition, hasNonUnitaryAnonymous: nonUnitary };
}

export const REDUCTIONS = ['min', 'max', 'sum', 'mean', 'prod', 'any', 'all'] as const;
/** `rearrange`, `repeat`, a reduction name, or `callable` (a user function reducing the axes). */
export type EinopsOperation = 'rearrange' | 'repeat' | 'callable' | (typeof REDUCTIONS)[number] | string;

/** A divisibility that an input size must satisfy (`H/4` split by 8 ⇒ `H/4` a multiple of 8). */
export interface EinopsDivisibility {
  readonly inputAxis: number;
  readonly size: Dim;
  readonly by: number;
}

/** The transform einops applies, with every length as a Dim (symbolic where the input is). */
export interface EinopsRecipe {
  /** Elementary axes: the input's (ellipsis expanded), then the axes repeat adds; lengths resolved. */
  readonly axes: readonly { readonly name: string; readonly length: Dim }[];
  /** Input axis i → elementary axes composing it. */
  readonly inputGroups: readonly (readonly number[])[];
  /** Input elementary axes in their order after the transposition (kept ones, then reduced ones). */
  readonly permutation: readonly number[];
  /** Number of kept axes: permutation[keep…] are reduced. */
  readonly keep: number;
  /** Output elementary order: elementary index per position (kept input axes and added axes interleaved). */
  readonly outputOrder: readonly number[];
  /** Output axis j → elementary axes composing it. */
  readonly outputGroups: readonly (readonly number[])[];
  readonly output: Shape;
  readonly divisibility: readonly EinopsDivisibility[];
  /** The axes of the pattern (named ones) with their lengths, for hovers. */
  readonly named: ReadonlyMap<string, Dim>;
}

/** Python's repr of an axes_lengths dict (`{'p1': 8}`). */
export function lengthsRepr(lengths: readonly (readonly [string, Dim])[]): string {
  return `{${lengths.map(([k, d]) => `'${k}': ${d.value ?? formatDim(d)}`).join(', ')}}`;
}

/** Pattern-level checks that need no input (einops' recipe preparation); returns both sides parsed. */
export function preparePattern(pattern: string, op: EinopsOperation, axesNames: readonly string[]): { left: ParsedSide; right: ParsedSide } {
  const parts = pattern.split('->');
  if (parts.length !== 2) {
    const got = parts.length;
    fail(
      got < 2 ? 'ValueError: not enough values to unpack (expected 2, got 1)' : `ValueError: too many values to unpack (expected 2)`,
      got < 2 ? `pattern '${pattern}' has no '->' between its input and output sides` : `pattern '${pattern}' has more than one '->'`,
    );
  }
  const left = parseSide(parts[0]);
  const right = parseSide(parts[1]);
  if (!left.hasEllipsis && right.hasEllipsis) {
    fail(`Ellipsis found in right side, but not left side of a pattern ${pattern}`, `the output side of '${pattern}' uses '...' but the input side does not`);
  }
  if (left.hasEllipsis && left.ellipsisParenthesized) {
    fail(`Ellipsis inside parenthesis in the left side is not allowed: ${pattern}`, `'...' cannot be inside brackets on the input side of '${pattern}'`);
  }
  if (op === 'rearrange') {
    if (left.hasNonUnitaryAnonymous || right.hasNonUnitaryAnonymous) {
      fail(
        'Non-unitary anonymous axes are not supported in rearrange (exception is length 1)',
        `rearrange cannot use numbered axes other than 1 ('${pattern}'); name the axis and pass its length`,
      );
    }
    const diff = symmetricDifference(left.identifiers, right.identifiers);
    if (diff.length) {
      const onlyLeft = diff.filter((a) => left.identifiers.has(a)).map(axisName);
      const onlyRight = diff.filter((a) => right.identifiers.has(a)).map(axisName);
      const where = [
        onlyLeft.length ? `${onlyLeft.join(', ')} only on the input side` : '',
        onlyRight.length ? `${onlyRight.join(', ')} only on the output side` : '',
      ]
        .filter(Boolean)
        .join('; ');
      fail(
        `Identifiers only on one side of expression (should be on both): ${pySet(diff)}`,
        `rearrange keeps every axis, so each must appear on both sides of '${pattern}': ${where}`,
        onlyLeft.length && !onlyRight.length
          ? `to drop or combine ${onlyLeft.join(', ')}, use reduce(…); to add axes, use repeat(…)`
          : onlyRight.length
            ? 'to add new axes, use repeat(…) with their lengths'
            : undefined,
      );
    }
  } else if (op === 'repeat') {
    const diff = [...left.identifiers].filter((a) => !right.identifiers.has(a));
    if (diff.length) {
      fail(
        `Unexpected identifiers on the left side of repeat: ${pySet(diff)}`,
        `repeat keeps every input axis, but ${diff.map(axisName).join(', ')} of '${pattern}' is missing from the output side`,
        'to drop axes, use reduce(…)',
      );
    }
    const known = new Set([...left.identifiers, ...axesNames]);
    const noSize = [...right.identifiers].filter((a) => !isAnon(a) && !known.has(a));
    if (noSize.length) {
      fail(
        `Specify sizes for new axes in repeat: ${pySet(noSize)}`,
        `repeat adds ${noSize.map(axisName).join(', ')} in '${pattern}' but no length is given`,
        `pass ${noSize.map((a) => `${axisName(a)}=<length>`).join(', ')}`,
      );
    }
  } else if ((REDUCTIONS as readonly string[]).includes(op) || op === 'callable') {
    const diff = [...right.identifiers].filter((a) => !left.identifiers.has(a));
    if (diff.length) {
      fail(
        `Unexpected identifiers on the right side of reduce ${op}: ${pySet(diff)}`,
        `reduce cannot create axes: ${diff.map(axisName).join(', ')} of '${pattern}' is not on the input side`,
        'to add axes, use repeat(…)',
      );
    }
  } else {
    fail(
      `Unknown reduction ${op}. Expect one of ${pyTuple(REDUCTIONS)}.`,
      `'${op}' is not a reduction einops knows; use one of ${REDUCTIONS.join(', ')} or a function`,
    );
  }
  return { left, right };
}

function pyTuple(xs: readonly string[]): string {
  return `(${xs.map((x) => `'${x}'`).join(', ')})`;
}

function symmetricDifference(a: Set<string>, b: Set<string>): string[] {
  return [...[...a].filter((x) => !b.has(x)), ...[...b].filter((x) => !a.has(x))];
}

/** The smallest number of input axes a pattern's left side takes (the exact number without `...`). */
export function minInputRank(left: ParsedSide): number {
  return left.hasEllipsis ? left.composition.length - 1 : left.composition.length;
}

/**
 * The recipe for an input of `shape` (einops' recipe preparation and reconstruction from shape), with
 * `lengths` the `**axes_lengths` given. Throws EinopsFailure exactly where einops raises.
 */
export function einopsRecipe(pattern: string, op: EinopsOperation, shape: Shape, lengths: readonly (readonly [string, Dim])[]): EinopsRecipe {
  const axesNames = lengths.map(([k]) => k);
  const { left, right } = preparePattern(pattern, op, axesNames);
  const ndim = shape.length;
  let leftComp: string[][];
  let rightComp: string[][];
  const leftIds = new Set(left.identifiers);
  const rightIds = new Set(right.identifiers);
  if (left.hasEllipsis) {
    const others = left.composition.length - 1;
    if (ndim < others) {
      fail(
        `Wrong shape: expected >=${others} dims. Received ${ndim}-dim tensor.`,
        `the pattern needs at least ${others} input axes besides '...', but the input has ${ndim}`,
      );
    }
    const ell = Array.from({ length: ndim - others }, (_, i) => `${ELLIPSIS}${i}`);
    leftComp = left.composition.flatMap((g) => (g === ELLIPSIS ? ell.map((a) => [a]) : [g]));
    rightComp = right.composition.flatMap((g) => (g === ELLIPSIS ? ell.map((a) => [a]) : [g.flatMap((a) => (a === ELLIPSIS ? ell : [a]))]));
    leftIds.delete(ELLIPSIS);
    ell.forEach((a) => leftIds.add(a));
    if (right.hasEllipsis) {
      rightIds.delete(ELLIPSIS);
      ell.forEach((a) => rightIds.add(a));
    }
  } else {
    if (ndim !== left.composition.length) {
      fail(
        `Wrong shape: expected ${left.composition.length} dims. Received ${ndim}-dim tensor.`,
        `the input side '${left.text.trim()}' names ${left.composition.length} axes, but the input has ${ndim}`,
        ndim > left.composition.length ? `add '...' to the pattern to pass the extra axes through` : undefined,
      );
    }
    leftComp = left.composition as string[][];
    rightComp = right.composition as string[][];
  }
  // Elementary axes: the input's, then the ones repeat adds. Length: anon value, given, or inferred (null).
  const order: string[] = [];
  const known = new Map<string, Dim | null>();
  const meet = (a: string): void => {
    if (known.has(a)) return;
    order.push(a);
    known.set(a, isAnon(a) ? dim(anonValue(a)) : null);
  };
  for (const g of leftComp) for (const a of g) meet(a);
  for (const a of rightIds) meet(a);
  for (const [name, length] of lengths) {
    if (axisNameProblem(name)) fail(`('Invalid name for an axis', '${name}')`, `'${name}' is not a valid axis name (${axisNameProblem(name)})`);
    if (!known.has(name))
      fail(`Axis ${name} is not used in transform`, `${name}=${length.value ?? formatDim(length)} is given but '${pattern}' has no axis '${name}'`);
    known.set(name, length);
  }
  for (const g of leftComp) {
    const unknown = g.filter((a) => known.get(a) === null);
    if (unknown.length > 1) {
      fail(
        `Could not infer sizes for ${pySet(unknown)}`,
        `the input axis (${g.map(axisName).join(' ')}) of '${pattern}' splits into ${unknown.length} axes of unknown length`,
        `pass the length of all but one: ${unknown
          .slice(0, -1)
          .map((a) => `${axisName(a)}=<length>`)
          .join(', ')}`,
      );
    }
  }
  const lengthOf = new Map<string, Dim>();
  for (const [a, d] of known) if (d) lengthOf.set(a, d);
  const divisibility: EinopsDivisibility[] = [];
  leftComp.forEach((g, i) => {
    const length = shape[i];
    const unknown = g.filter((a) => !lengthOf.has(a));
    if (unknown.length === 1 && g.length === 1) {
      lengthOf.set(unknown[0], length);
      return;
    }
    const knownAxes = g.filter((a) => lengthOf.has(a));
    const product = knownAxes.reduce<Dim>((p, a) => dimMul(p, lengthOf.get(a)!), dim(1));
    const groupText = g.length ? `(${g.map(axisName).join(' ')})` : '()';
    const named = knownAxes.map((a) => `${axisName(a)}=${lengthOf.get(a)!.value ?? formatDim(lengthOf.get(a)!)}`);
    const factors =
      named.length === 0 ? '1' : named.length === 1 && !isAnon(knownAxes[0]) ? named[0] : `${named.join('·')} = ${product.value ?? formatDim(product)}`;
    if (unknown.length === 0) {
      if (length.value !== null && product.value !== null && length.value !== product.value) {
        fail(
          `Shape mismatch, ${length.value} != ${product.value}`,
          `input axis ${i} ${groupText} should have length ${factors}, but it is ${length.value}`,
          fittingInputs(length, (n) => n === product.value) ?? `input sizes that fit: axis ${i} = ${product.value}`,
        );
      }
      return;
    }
    if (length.expr && length.expr.kind !== 'const' && product.value !== null && product.value > 1)
      divisibility.push({ inputAxis: i, size: length, by: product.value });
    if (length.value !== null && product.value !== null && product.value !== 0 && length.value % product.value !== 0) {
      const lo = Math.floor(length.value / product.value) * product.value;
      const near = [lo, lo + product.value].filter((n) => n > 0);
      // The later splits are constraints too: the input-size solver should fit them all at once.
      for (let j = i + 1; j < leftComp.length; j++) {
        const g2 = leftComp[j]!;
        const d = shape[j]!;
        const unknown2 = g2.filter((a) => !lengthOf.has(a));
        const by = g2
          .filter((a) => lengthOf.has(a))
          .reduce<number | null>((p, a) => (p === null ? null : lengthOf.get(a)!.value === null ? null : p * lengthOf.get(a)!.value!), 1);
        if (unknown2.length === 1 && g2.length > 1 && by !== null && by > 1 && d.expr && d.expr.kind !== 'const')
          divisibility.push({ inputAxis: j, size: d, by });
      }
      failSplit(
        divisibility,
        `Shape mismatch, can't divide axis of length ${length.value} in chunks of ${product.value}`,
        `input axis ${i} ${groupText} has length ${length.value}, which is not a multiple of ${factors}`,
        fittingInputs(length, (n) => n > 0 && n % product.value! === 0) ??
          `input sizes that fit: axis ${i} a multiple of ${product.value} (${near.join(' or ')})`,
      );
    }
    lengthOf.set(unknown[0], dimFloorDiv(length, product));
  });
  const index = new Map(order.map((a, i) => [a, i]));
  const leftFlat = leftComp.flat();
  const rightFlat = rightComp.flat();
  const reduced = leftFlat.filter((a) => !rightIds.has(a));
  const kept = rightFlat.filter((a) => leftIds.has(a));
  const permutation = [...kept, ...reduced].map((a) => leftFlat.indexOf(a));
  const outputGroups = rightComp.map((g) => g.map((a) => index.get(a)!));
  const axes = order.map((name) => ({ name, length: lengthOf.get(name) ?? dim(1) }));
  const output = outputGroups.map((g) => g.reduce<Dim>((p, k) => dimMul(p, axes[k].length), dim(1)));
  const named = new Map<string, Dim>();
  for (const a of order) if (!isAnon(a)) named.set(a.startsWith(ELLIPSIS) ? `...${a.slice(1)}` : a, lengthOf.get(a) ?? dim(1));
  return {
    axes,
    inputGroups: leftComp.map((g) => g.map((a) => index.get(a)!)),
    permutation,
    keep: kept.length,
    outputOrder: rightFlat.map((a) => index.get(a)!),
    outputGroups,
    output,
    divisibility,
    named,
  };
}

/** A recipe's divisibility as a constraint on an input expression (for input-size solving). */
export function divisibilityExpr(d: EinopsDivisibility): { expr: Expr; divisibleBy: number } | null {
  return d.size.expr ? { expr: d.size.expr, divisibleBy: d.by } : null;
}
