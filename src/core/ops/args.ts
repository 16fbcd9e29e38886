// Reading bound Python arguments inside shape rules, and building the Python values rules return.
import { Dim, DimLike, asDim, dim } from '../shape/dim';
import { DType, Shape, formatShapeConcrete } from '../shape/shape';
import { BoundArgs, ShapeError, UnknownArgError } from './types';
import { NONE, PyValue, TensorValue } from './values';

export const pyInt = (d: DimLike): PyValue => ({ kind: 'int', dim: asDim(d) });
export const pyFloat = (value: number): PyValue => ({ kind: 'float', value });
export const pyBool = (value: boolean): PyValue => ({ kind: 'bool', value });
export const pyStr = (value: string): PyValue => ({ kind: 'str', value });
export const pyTuple = (items: readonly PyValue[]): PyValue => ({ kind: 'tuple', items });
/** A `torch.Size`: a tuple of ints flagged as a size. */
export const pySize = (shape: Shape): PyValue => ({ kind: 'tuple', items: shape.map((d) => pyInt(d)), isSize: true });
/** How dtypes travel as Python values (`torch.float32`). */
export const pyDtype = (dt: DType): PyValue => ({ kind: 'object', typeName: 'torch.dtype', ref: dt });

/** Short description of a value for error messages. */
export function describe(v: PyValue): string {
  switch (v.kind) {
    case 'tensor':
      return v.shape ? `a tensor of shape ${formatShapeConcrete(v.shape)}` : 'a tensor';
    case 'int':
      return v.dim.value === null ? 'an int' : `int ${v.dim.value}`;
    case 'float':
      return `float ${v.value}`;
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'str':
      return `'${v.value}'`;
    case 'none':
      return 'None';
    case 'tuple':
      return `a tuple of ${v.items.length}`;
    case 'list':
      return `a list of ${v.items.length}`;
    case 'dict':
      return 'a dict';
    case 'slice':
      return 'a slice';
    case 'ellipsis':
      return '...';
    case 'unknown':
      return 'an unknown value';
    case 'object':
      return `a ${v.typeName}`;
  }
}

function get(args: BoundArgs, name: string): PyValue {
  return args[name] ?? NONE;
}

function unknownCheck(v: PyValue, op: string, name: string): void {
  if (v.kind === 'unknown') throw new UnknownArgError(`${op}: argument '${name}' is unknown (${v.why})`);
}

export function isNone(v: PyValue | undefined): boolean {
  return v === undefined || v.kind === 'none';
}

export function tensorArg(args: BoundArgs, name: string, op: string): TensorValue {
  const v = get(args, name);
  unknownCheck(v, op, name);
  if (v.kind !== 'tensor') throw new ShapeError(`${op}: argument '${name}' must be a Tensor, not ${describe(v)}`);
  return v;
}

export function optTensorArg(args: BoundArgs, name: string, op: string): TensorValue | null {
  return isNone(args[name]) ? null : tensorArg(args, name, op);
}

/** A Python int (possibly symbolic) from a value; bools count as 0/1 like in Python. */
export function intOf(v: PyValue, op: string, name: string): Dim {
  unknownCheck(v, op, name);
  if (v.kind === 'int') return v.dim;
  if (v.kind === 'bool') return dim(v.value ? 1 : 0);
  if (v.kind === 'tensor' && v.shape && v.shape.length === 0 && (v.dtype.startsWith('int') || v.dtype === 'uint8')) {
    throw new UnknownArgError(`${op}: argument '${name}' is the value of a tensor`);
  }
  throw new ShapeError(`${op}: argument '${name}' must be an int, not ${describe(v)}`);
}

export function intArg(args: BoundArgs, name: string, op: string): Dim {
  return intOf(get(args, name), op, name);
}

export function optIntArg(args: BoundArgs, name: string, op: string): Dim | null {
  return isNone(args[name]) ? null : intArg(args, name, op);
}

/** The concrete value of an int argument (kernel sizes, dims, flags); unknown values stop the rule. */
export function concreteOf(d: Dim, op: string, name: string): number {
  if (d.value === null) throw new UnknownArgError(`${op}: the value of '${name}' is not known`);
  return d.value;
}

export function numArg(args: BoundArgs, name: string, op: string): number {
  return concreteOf(intArg(args, name, op), op, name);
}

export function optNumArg(args: BoundArgs, name: string, op: string): number | null {
  return isNone(args[name]) ? null : numArg(args, name, op);
}

export function floatOf(v: PyValue, op: string, name: string): number {
  unknownCheck(v, op, name);
  if (v.kind === 'float') return v.value;
  if (v.kind === 'int' || v.kind === 'bool') return concreteOf(intOf(v, op, name), op, name);
  throw new ShapeError(`${op}: argument '${name}' must be a number, not ${describe(v)}`);
}

export function floatArg(args: BoundArgs, name: string, op: string): number {
  return floatOf(get(args, name), op, name);
}

export function boolArg(args: BoundArgs, name: string, op: string): boolean {
  const v = get(args, name);
  unknownCheck(v, op, name);
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'none') return false;
  if (v.kind === 'int') return concreteOf(v.dim, op, name) !== 0;
  if (v.kind === 'float') return v.value !== 0;
  throw new ShapeError(`${op}: argument '${name}' must be a bool, not ${describe(v)}`);
}

export function strArg(args: BoundArgs, name: string, op: string): string {
  const v = get(args, name);
  unknownCheck(v, op, name);
  if (v.kind !== 'str') throw new ShapeError(`${op}: argument '${name}' must be a str, not ${describe(v)}`);
  return v.value;
}

/** Items of a tuple or list value, else null. */
export function seqItems(v: PyValue): readonly PyValue[] | null {
  return v.kind === 'tuple' || v.kind === 'list' ? v.items : null;
}

/** An int or a sequence of ints as Dims (`dims`, `size`, `shape` arguments). */
export function dimsOf(v: PyValue, op: string, name: string): Dim[] {
  unknownCheck(v, op, name);
  const items = seqItems(v);
  // Labels for error messages are built only on the error path (this runs for every conv/pool call).
  if (items) return items.map((x, i) => (x.kind === 'int' ? x.dim : intOf(x, op, `${name}[${i}]`)));
  return [intOf(v, op, name)];
}

/**
 * An int-or-tuple argument expanded to `n` concrete numbers (kernel_size=3 → [3, 3]), the way
 * torch's `_pair`/`_triple` do; `expandSingle` also expands a one-item sequence.
 */
export function tupleArg(args: BoundArgs, name: string, n: number, op: string, expandSingle = false): number[] {
  const v = get(args, name);
  const ds = dimsOf(v, op, name);
  const nums = ds.map((d, i) => d.value ?? concreteOf(d, op, `${name}[${i}]`));
  // torch's native argument parser expands a one-item list ([2] → [2, 2]) for convolution and pooling.
  if (seqItems(v) && !(expandSingle && nums.length === 1)) {
    if (nums.length !== n) throw new ShapeError(`${op}: ${name} must have ${n} elements, got ${nums.length}`);
    return nums;
  }
  return Array.from({ length: n }, () => nums[0]);
}

/**
 * The `*size` parameter of view/reshape/permute/expand/repeat/zeros: either several ints or one
 * sequence of ints.
 */
export function varIntsArg(args: BoundArgs, name: string, op: string): Dim[] {
  const v = get(args, name);
  unknownCheck(v, op, name);
  const items = seqItems(v) ?? [v];
  if (items.length === 1) {
    const inner = seqItems(items[0]);
    if (inner) return dimsOf(items[0], op, name);
  }
  return items.map((x, i) => intOf(x, op, `${name}[${i}]`));
}

const DTYPE_NAMES: Readonly<Record<string, DType>> = {
  float32: 'float32',
  float: 'float32',
  float64: 'float64',
  double: 'float64',
  float16: 'float16',
  half: 'float16',
  bfloat16: 'bfloat16',
  int64: 'int64',
  long: 'int64',
  int32: 'int32',
  int: 'int32',
  int16: 'int16',
  short: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
};

/** The dtype a `torch.<name>` attribute names (`float32`, `long`, `half`), or undefined. */
export function dtypeNamed(name: string): DType | undefined {
  return Object.hasOwn(DTYPE_NAMES, name) ? DTYPE_NAMES[name] : undefined;
}

/** `torch.float32` (object or string form) → DType; null for None. */
export function dtypeOf(v: PyValue, op: string, name: string): DType | null {
  unknownCheck(v, op, name);
  if (v.kind === 'none') return null;
  let text: string | null = null;
  if (v.kind === 'str') text = v.value;
  else if (v.kind === 'object' && typeof v.ref === 'string') text = v.ref;
  if (text !== null) {
    const key = text.replace(/^torch\./, '');
    const dt = dtypeNamed(key);
    if (dt) return dt;
  }
  throw new ShapeError(`${op}: argument '${name}' must be a torch.dtype, not ${describe(v)}`);
}

export function isDtypeValue(v: PyValue): boolean {
  if (v.kind === 'object') return v.typeName === 'torch.dtype';
  return false;
}

/** An int or sequence of ints whose values must be known (dims, permutations). */
export function numsOf(v: PyValue, op: string, name: string): number[] {
  return dimsOf(v, op, name).map((d, i) => concreteOf(d, op, `${name}[${i}]`));
}

/** The `*dims` parameter with concrete values. */
export function varNumsArg(args: BoundArgs, name: string, op: string): number[] {
  return varIntsArg(args, name, op).map((d, i) => concreteOf(d, op, `${name}[${i}]`));
}
