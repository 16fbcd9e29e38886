// einops.pack / einops.unpack: joining tensors along the `*` axis of a pattern and splitting them back by recorded shapes.
import { Dim, dim, dimAdd, dimEquals, dimMul } from '../shape/dim';
import { Shape } from '../shape/shape';
import { describe } from './args';
import { req } from './sig';
import { showShape } from './showShape';
import { FunctionOpDef, ShapeError, UnknownArgError } from './types';
import { PyValue } from './values';
import { axisNameProblem, EinopsFailure } from './einopsPattern';
import { patternOf } from './einopsPlans';
import { packLowering, unpackLowering } from './lowerEinops';

const pyInt = (d: Dim): PyValue => ({ kind: 'int', dim: d });

/** `pack` / `unpack` patterns: space-separated names with exactly one `*`. */
function packPattern(pattern: string, opname: string): { before: number; after: number } {
  const axes = pattern.split(/\s+/).filter(Boolean);
  if (new Set(axes).size !== axes.length)
    throw new EinopsFailure(`Duplicates in axes names in ${opname}(..., "${pattern}")`, `${opname}: '${pattern}' repeats an axis name`);
  if (!axes.includes('*'))
    throw new EinopsFailure(`No *-axis in ${opname}(..., "${pattern}")`, `${opname}: '${pattern}' needs one '*' marking the packed axes`);
  for (const a of axes) {
    if (a !== '*' && axisNameProblem(a))
      throw new EinopsFailure(`Invalid axis name ${a} in ${opname}(..., "${pattern}")`, `${opname}: '${a}' in '${pattern}' is not a valid axis name`);
  }
  const before = axes.indexOf('*');
  return { before, after: axes.length - before - 1 };
}

export const pyShapeText = (s: Shape): string => `torch.Size([${s.map((d) => d.value ?? '?').join(', ')}])`;

export const pack: FunctionOpDef = {
  kind: 'function',
  name: 'einops.pack',
  family: 'einops',
  role: { kind: 'concat' },
  signature: [req('tensors'), req('pattern')],
  onnx: packLowering,
  infer(args, ctx) {
    const op = 'pack';
    const pattern = patternOf(args, op);
    const { before, after } = packPattern(pattern, op);
    const v = args.tensors;
    if (!v || v.kind === 'unknown') throw new UnknownArgError('pack: the tensors are unknown');
    if (v.kind !== 'list' && v.kind !== 'tuple') throw new ShapeError(`pack: expected a list of tensors, not ${describe(v)}`);
    if (v.items.length === 0) throw new EinopsFailure('IndexError: list index out of range', 'pack: the list of tensors is empty');
    const ts = v.items.map((x, i) => {
      if (x.kind === 'unknown') throw new UnknownArgError(`pack: tensor ${i} is unknown`);
      if (x.kind !== 'tensor') throw new ShapeError(`pack: item ${i} must be a tensor, not ${describe(x)}`);
      return x;
    });
    if (ts.some((t) => !t.shape))
      return { kind: 'tuple', items: [ctx.tensor(null, ts[0].dtype), { kind: 'unknown', why: 'packed shapes of unknown tensors' }] };
    let total: Dim = dim(0);
    const shapes: PyValue[] = [];
    let outer: Shape | null = null;
    ts.forEach((t, i) => {
      const s = t.shape!;
      if (s.length < before + after) {
        throw new EinopsFailure(
          `packed tensor #${i} (enumeration starts with 0) has shape ${pyShapeText(s)}, while pattern ${pattern} assumes at least ${before + after} axes`,
          `pack: tensor ${i} is ${showShape(s)} but '${pattern}' needs at least ${before + after} axes`,
        );
      }
      const packed = s.slice(before, s.length - after);
      shapes.push({ kind: 'tuple', items: packed.map(pyInt), isSize: true });
      total = dimAdd(
        total,
        packed.reduce<Dim>((p, d) => dimMul(p, d), dim(1)),
      );
      const rest = [...s.slice(0, before), ...s.slice(s.length - after)];
      if (!outer) outer = rest;
      else {
        const o: Shape = outer;
        const bad = rest.findIndex((d, j) => dimEquals(d, o[j]) === false);
        if (bad >= 0) {
          const axis = bad < before ? bad : before + 1 + (bad - before);
          throw new EinopsFailure(
            `RuntimeError: Sizes of tensors must match except in dimension ${before}. Expected size ${o[bad].value} but got size ${rest[bad].value} for tensor number ${i} in the list.`,
            `pack: the axes outside '*' must agree, but tensor ${i} is ${showShape(s)} (axis ${axis} is ${rest[bad].value}, tensor 0 has ${o[bad].value})`,
          );
        }
      }
    });
    const o = outer as unknown as Shape;
    const out = ctx.tensor([...o.slice(0, before), total, ...o.slice(before)], ts[0].dtype);
    return { kind: 'tuple', items: [out, { kind: 'list', items: shapes }] };
  },
};

/** Python's repr of a (nested) list/tuple of ints, as einops prints packed shapes. */
function pyRepr(v: PyValue): string {
  if (v.kind === 'int') return String(v.dim.value ?? '?');
  if (v.kind === 'list') return `[${v.items.map(pyRepr).join(', ')}]`;
  if (v.kind === 'tuple')
    return v.isSize ? `torch.Size([${v.items.map(pyRepr).join(', ')}])` : `(${v.items.map(pyRepr).join(', ')}${v.items.length === 1 ? ',' : ''})`;
  return '?';
}

function shapesOf(v: PyValue | undefined): Dim[][] | null {
  if (!v || (v.kind !== 'list' && v.kind !== 'tuple')) return null;
  const out: Dim[][] = [];
  for (const s of v.items) {
    if (s.kind !== 'list' && s.kind !== 'tuple') return null;
    const dims: Dim[] = [];
    for (const d of s.items) {
      if (d.kind !== 'int') return null;
      dims.push(d.dim);
    }
    out.push(dims);
  }
  return out;
}

export const unpack: FunctionOpDef = {
  kind: 'function',
  name: 'einops.unpack',
  family: 'einops',
  role: { kind: 'other' },
  signature: [req('tensor'), req('packed_shapes'), req('pattern')],
  onnx: unpackLowering,
  infer(args, ctx) {
    const op = 'unpack';
    const pattern = patternOf(args, op);
    const { before, after } = packPattern(pattern, op);
    const x = args.tensor;
    if (!x || x.kind === 'unknown') throw new UnknownArgError('unpack: the input is unknown');
    if (x.kind !== 'tensor') throw new ShapeError(`unpack: the input must be a tensor, not ${describe(x)}`);
    const shapes = shapesOf(args.packed_shapes);
    if (!shapes) throw new UnknownArgError('unpack: the packed shapes are unknown');
    if (!x.shape) return { kind: 'list', items: shapes.map(() => ctx.tensor(null, x.dtype)) };
    const s = x.shape;
    if (s.length !== before + 1 + after) {
      throw new EinopsFailure(
        `unpack(..., ${pattern}) received input of wrong dim with shape ${pyShapeText(s)}`,
        `unpack: '${pattern}' describes ${before + 1 + after} axes, but the input ${showShape(s)} has ${s.length}`,
      );
    }
    const unknowns = shapes.filter((p) => p.some((d) => d.value === -1)).length;
    if (unknowns > 1) {
      throw new EinopsFailure(
        `unpack(..., ${pattern}) received more than one -1 in ${pyRepr(args.packed_shapes!)} and can't infer dimensions`,
        `unpack: at most one packed shape may contain -1`,
      );
    }
    const axisLen = s[before];
    const lens = shapes.map((p) => (p.some((d) => d.value === -1) ? null : p.reduce<Dim>((a, d) => dimMul(a, d), dim(1))));
    const knownSum = lens.reduce<Dim>((a, l) => (l ? dimAdd(a, l) : a), dim(0));
    const fails = (): never => {
      throw new EinopsFailure(
        `Error during unpack(..., "${pattern}"): could not split axis of size ${axisLen.value} into requested ${pyRepr(args.packed_shapes!)}`,
        `unpack: axis ${before} of the input ${showShape(s)} has ${axisLen.value} elements, but the packed shapes need ${knownSum.value}`,
      );
    };
    const items = shapes.map((p, i) => {
      let packed: Dim[] = p;
      if (lens[i] === null) {
        const rest = axisLen.value !== null && knownSum.value !== null ? axisLen.value - knownSum.value : null;
        const other = p.filter((d) => d.value !== -1).reduce((a, d) => a * (d.value ?? 1), 1);
        if (rest !== null && (rest < 0 || (other > 0 && rest % other !== 0))) fails();
        packed = p.map((d) => (d.value === -1 ? (rest === null ? { value: null, expr: null } : dim(rest / (other || 1))) : d));
      }
      return ctx.tensor([...s.slice(0, before), ...packed, ...s.slice(before + 1)], x.dtype);
    });
    if (unknowns === 0 && axisLen.value !== null && knownSum.value !== null && axisLen.value !== knownSum.value) fails();
    return { kind: 'list', items };
  },
};
