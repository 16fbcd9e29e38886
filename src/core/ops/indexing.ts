// Tensor subscripts: `x[...]` with ints, slices, None, Ellipsis, bool masks and integer index tensors/lists.
import { Dim, dim, dimAdd, dimCeilDiv, dimSub, unknownDim } from '../shape/dim';
import { Shape } from '../shape/shape';
import { describe, intOf } from './args';
import { broadcastAll } from './broadcast';
import { registerOps } from './registry';
import { req } from './sig';
import { showShape } from './showShape';
import { tensorFn } from './tensorFn';
import { OpDef, ShapeError, UnknownArgError } from './types';
import { PyValue } from './values';
import { getitemLowering } from './lowerShape';
import { setitemLowering } from './lowerSetitem';

/** Length of `n[start:stop:step]` with Python's clamping; symbolic when the bounds pick a simple branch. */
export function sliceLength(n: Dim, start: Dim | null, stop: Dim | null, step: number, op: string): Dim {
  if (step <= 0) throw new ShapeError(`${op}: slice step must be greater than zero, got ${step}`);
  for (const b of [start, stop]) if (b && b.value === null) throw new UnknownArgError(`${op}: a slice bound is not known`);
  if (n.value === null) {
    // Size known only symbolically: assume the bounds fall inside it (no clamping), as they do in model code.
    if (!n.expr) return unknownDim();
    const pos = (b: Dim | null, dflt: Dim): Dim => (b === null ? dflt : (b.value as number) < 0 ? dimAdd(n, b) : b);
    const len = dimSub(pos(stop, n), pos(start, dim(0)));
    return step === 1 ? len : dimCeilDiv(len, step);
  }
  const N = n.value;
  // Resolve one bound to a position in [0, N] (Dim kept symbolic where possible).
  const bound = (b: Dim | null, dflt: Dim): Dim => {
    if (b === null) return dflt;
    const v = b.value as number;
    if (v < 0) return v + N < 0 ? dim(0) : dimAdd(n, b);
    return v > N ? n : b;
  };
  const a = bound(start, dim(0));
  const b = bound(stop, n);
  if (a.value === null || b.value === null || b.value <= a.value) return dim(0);
  const len = dimSub(b, a);
  return step === 1 ? len : dimCeilDiv(len, step);
}

type Item =
  | { kind: 'int'; d: Dim }
  | { kind: 'slice'; start: Dim | null; stop: Dim | null; step: number }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'advanced'; shape: Shape | null; consumes: number; mask: boolean };

function toItem(v: PyValue, op: string): Item {
  switch (v.kind) {
    case 'int':
      return { kind: 'int', d: v.dim };
    case 'bool':
      return { kind: 'advanced', shape: [dim(v.value ? 1 : 0)], consumes: 0, mask: true };
    case 'none':
      return { kind: 'none' };
    case 'ellipsis':
      return { kind: 'ellipsis' };
    case 'slice': {
      const opt = (x: PyValue, name: string): Dim | null => (x.kind === 'none' ? null : intOf(x, op, name));
      const step = opt(v.step, 'step');
      if (step && step.value === null) throw new UnknownArgError(`${op}: the slice step is not known`);
      return { kind: 'slice', start: opt(v.start, 'start'), stop: opt(v.stop, 'stop'), step: step ? (step.value as number) : 1 };
    }
    case 'tensor': {
      if (v.dtype === 'bool' || v.dtype === 'uint8') {
        // A mask selects a data-dependent number of elements over as many dims as it has.
        return { kind: 'advanced', shape: v.shape ? [unknownDim()] : null, consumes: v.shape ? v.shape.length : 1, mask: true };
      }
      if (v.dtype.startsWith('float') || v.dtype === 'bfloat16') {
        throw new ShapeError(`${op}: tensors used as indices must be long, int, byte or bool tensors, got ${v.dtype}`);
      }
      return { kind: 'advanced', shape: v.shape, consumes: 1, mask: false };
    }
    case 'list': {
      const items = v.items;
      if (items.every((x) => x.kind === 'int' || x.kind === 'bool')) {
        if (items.length > 0 && items.every((x) => x.kind === 'bool'))
          return { kind: 'advanced', shape: [dim(items.filter((x) => x.kind === 'bool' && x.value).length)], consumes: 1, mask: true };
        return { kind: 'advanced', shape: [dim(items.length)], consumes: 1, mask: false };
      }
      throw new ShapeError(`${op}: unsupported list index ${describe(v)}`);
    }
    case 'unknown':
      throw new UnknownArgError(`${op}: the index is unknown`);
    default:
      throw new ShapeError(
        `${op}: a tensor cannot be indexed with ${describe(v)}; only integers, slices (:), None, ... and integer or boolean tensors are valid indices`,
      );
  }
}

export function indexShape(op: string, s: Shape, index: PyValue): Shape {
  const raw = index.kind === 'tuple' ? index.items : [index];
  const items = raw.map((v) => toItem(v, op));
  const consumed = (it: Item): number => (it.kind === 'int' || it.kind === 'slice' ? 1 : it.kind === 'advanced' ? it.consumes : 0);
  const inRange = (): void => {
    if (axis >= s.length) throw new ShapeError(`${op}: dimension out of range (expected to be in range of [${-s.length}, ${s.length - 1}], but got ${axis})`);
  };
  const used = items.reduce((a, it) => a + consumed(it), 0);
  if (used > s.length) throw new ShapeError(`${op}: too many indices for tensor of dimension ${s.length} (input ${showShape(s)}, ${used} indexed)`);
  const out: Dim[] = [];
  const advanced: { shape: Shape | null; at: number }[] = [];
  let axis = 0;
  // torch applies int indices first (they drop their dim), so only slices, None and ... separate advanced indices.
  let gap = false;
  let adjacent = true;
  items.forEach((it) => {
    if (it.kind === 'none' || it.kind === 'slice' || it.kind === 'ellipsis') gap = advanced.length > 0;
    switch (it.kind) {
      case 'none':
        out.push(dim(1));
        break;
      case 'ellipsis': {
        // Each `...` skips the unindexed dims; torch 1.13 lets a repeated one skip past the end (then any
        // later index is out of range).
        const fill = s.length - used;
        for (let k = axis; k < Math.min(axis + fill, s.length); k++) out.push(s[k]);
        axis += fill;
        break;
      }
      case 'int': {
        inRange();
        const n = s[axis];
        const i = it.d.value;
        if (i !== null && n.value !== null && (i >= n.value || i < -n.value)) {
          throw new ShapeError(`${op}: index ${i} is out of bounds for dimension ${axis} with size ${n.value} (input ${showShape(s)})`);
        }
        axis++;
        break;
      }
      case 'slice':
        inRange();
        out.push(sliceLength(s[axis++], it.start, it.stop, it.step, op));
        break;
      case 'advanced': {
        if (it.consumes > 0) inRange();
        if (gap) adjacent = false;
        advanced.push({ shape: it.shape, at: out.length });
        axis += it.consumes;
        break;
      }
    }
  });
  if (axis < s.length) out.push(...s.slice(axis));
  if (advanced.length === 0) return out;
  const shapes = advanced.map((a) => a.shape);
  const joint: Shape = shapes.some((x) => x === null) ? [unknownDim()] : broadcastAll(shapes as Shape[], `${op} (advanced indices)`);
  // Adjacent advanced indices put their joint shape where they stand; separated ones put it first.
  const at = adjacent ? advanced[0].at : 0;
  return [...out.slice(0, at), ...joint, ...out.slice(at)];
}

const defs: OpDef[] = [
  ...tensorFn({
    keys: ['Tensor.__getitem__'],
    family: 'index',
    params: [req('index')],
    onnx: getitemLowering,
    infer: (x, args, ctx, op) => ctx.tensor(x.shape ? indexShape(op, x.shape, args.index) : null, x.dtype),
  }),
  ...tensorFn({
    keys: ['Tensor.__setitem__'],
    family: 'index',
    params: [req('index'), req('value')],
    inPlace: true,
    onnx: setitemLowering,
    infer: (x, args, ctx, op) => {
      if (x.shape) indexShape(op, x.shape, args.index);
      return ctx.tensor(x.shape, x.dtype);
    },
  }),
];
registerOps(defs);
