// Python operators (`op.<name>`, named as in Python's `operator` module) on tensors with broadcasting, and on ints.
import { Dim, dimAdd, dimEquals, dimFloorDiv, dimMod, dimMul, dimSub } from '../shape/dim';
import { Shape } from '../shape/shape';
import { describe, pyBool, pyFloat, pyInt } from './args';
import { broadcastShapes } from './broadcast';
import { numelOf } from './flopsCount';
import { category, resultType } from './promote';
import { registerOps } from './registry';
import { req } from './sig';
import { showShape } from './showShape';
import { FunctionOpDef, InferContext, OpDef, ShapeError, UnknownArgError } from './types';
import { PyValue, TensorValue } from './values';
import { identity, unary as unaryLowering } from './lowerCommon';
import { BINARY_LOWERINGS, invertLowering } from './lowerElementwise';

/** How an operator treats dtypes. */
export type BinaryKind = 'arith' | 'truediv' | 'floordiv' | 'compare' | 'bitwise';

const SYMBOL: Readonly<Record<string, string>> = {
  add: '+',
  sub: '-',
  mul: '*',
  truediv: '/',
  floordiv: '//',
  mod: '%',
  pow: '**',
  and_: '&',
  or_: '|',
  xor: '^',
  lshift: '<<',
  rshift: '>>',
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
};

const KIND: Readonly<Record<string, BinaryKind>> = {
  add: 'arith',
  sub: 'arith',
  mul: 'arith',
  truediv: 'truediv',
  floordiv: 'floordiv',
  mod: 'arith',
  pow: 'arith',
  and_: 'bitwise',
  or_: 'bitwise',
  xor: 'bitwise',
  lshift: 'bitwise',
  rshift: 'bitwise',
  eq: 'compare',
  ne: 'compare',
  lt: 'compare',
  le: 'compare',
  gt: 'compare',
  ge: 'compare',
};

function isScalar(v: PyValue): boolean {
  return v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';
}

/** Elementwise result of tensors and scalars: broadcast shape and promoted dtype. */
export function elementwise(op: string, operands: readonly PyValue[], kind: BinaryKind, ctx: InferContext): TensorValue {
  let shape: Shape | null = [];
  for (const v of operands) {
    if (v.kind === 'unknown') throw new UnknownArgError(`${op}: an operand is unknown`);
    if (v.kind === 'tensor') {
      if (!v.shape || !shape) shape = null;
      else shape = broadcastShapes(shape, v.shape, op);
    } else if (!isScalar(v)) {
      throw new ShapeError(`${op}: unsupported operand ${describe(v)} (expected a tensor or a number)`);
    }
  }
  let dt = resultType(operands);
  if (kind === 'compare') dt = 'bool';
  else if (kind === 'truediv' && category(dt) < 2) dt = 'float32';
  else if (kind === 'bitwise' && category(dt) === 2) throw new ShapeError(`${op}: bitwise operations need integer or bool tensors, got ${dt}`);
  return ctx.tensor(shape, dt);
}

function needKnown(...vs: (number | null)[]): number[] {
  if (vs.some((v) => v === null)) throw new UnknownArgError('the value of an int operand is not known');
  return vs as number[];
}

function intOperand(v: PyValue): Dim {
  if (v.kind === 'int') return v.dim;
  if (v.kind === 'bool') return { value: v.value ? 1 : 0, expr: null };
  throw new Error('not an int');
}

/** Python semantics for ints (kept symbolic), floats and bools. */
function scalarOp(name: string, a: PyValue, b: PyValue): PyValue {
  const intLike = (v: PyValue) => v.kind === 'int' || v.kind === 'bool';
  if (intLike(a) && intLike(b)) {
    const x = intOperand(a);
    const y = intOperand(b);
    switch (name) {
      case 'add':
        return pyInt(dimAdd(x, y));
      case 'sub':
        return pyInt(dimSub(x, y));
      case 'mul':
        return pyInt(dimMul(x, y));
      case 'floordiv':
      case 'mod':
        if (y.value === 0) throw new ShapeError(`integer division or modulo by zero`);
        return pyInt(name === 'floordiv' ? dimFloorDiv(x, y) : dimMod(x, y));
      case 'eq':
      case 'ne': {
        const eq = dimEquals(x, y);
        if (eq === null) throw new UnknownArgError('comparison of unknown ints');
        return pyBool(name === 'eq' ? eq : !eq);
      }
    }
    const [p, q] = needKnown(x.value, y.value);
    switch (name) {
      case 'truediv':
        if (q === 0) throw new ShapeError('division by zero');
        return pyFloat(p / q);
      case 'pow':
        return q >= 0 ? pyInt(p ** q) : pyFloat(p ** q);
      case 'and_':
        return pyInt(p & q);
      case 'or_':
        return pyInt(p | q);
      case 'xor':
        return pyInt(p ^ q);
      case 'lshift':
        return pyInt(p * 2 ** q);
      case 'rshift':
        return pyInt(Math.floor(p / 2 ** q));
      case 'lt':
        return pyBool(p < q);
      case 'le':
        return pyBool(p <= q);
      case 'gt':
        return pyBool(p > q);
      case 'ge':
        return pyBool(p >= q);
    }
  }
  const num = (v: PyValue): number => {
    if (v.kind === 'float') return v.value;
    return needKnown(intOperand(v).value)[0];
  };
  const p = num(a);
  const q = num(b);
  switch (name) {
    case 'add':
      return pyFloat(p + q);
    case 'sub':
      return pyFloat(p - q);
    case 'mul':
      return pyFloat(p * q);
    case 'truediv':
      if (q === 0) throw new ShapeError('float division by zero');
      return pyFloat(p / q);
    case 'floordiv':
      return pyFloat(Math.floor(p / q));
    case 'mod':
      return pyFloat(p - q * Math.floor(p / q));
    case 'pow':
      return pyFloat(p ** q);
    case 'eq':
      return pyBool(p === q);
    case 'ne':
      return pyBool(p !== q);
    case 'lt':
      return pyBool(p < q);
    case 'le':
      return pyBool(p <= q);
    case 'gt':
      return pyBool(p > q);
    case 'ge':
      return pyBool(p >= q);
  }
  throw new ShapeError(`unsupported operand type(s) for ${SYMBOL[name]}: float`);
}

/** == / != between tuples/lists (e.g. `y.shape[-2:] != target`), element by element. */
function sequenceEquals(a: readonly PyValue[], b: readonly PyValue[]): boolean | null {
  if (a.length !== b.length) return false;
  let unknown = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    let eq: boolean | null;
    if ((x.kind === 'int' || x.kind === 'bool') && (y.kind === 'int' || y.kind === 'bool')) eq = dimEquals(intOperand(x), intOperand(y));
    else if (x.kind === 'str' && y.kind === 'str') eq = x.value === y.value;
    else if (x.kind === 'none' || y.kind === 'none') eq = x.kind === y.kind;
    else if ((x.kind === 'tuple' || x.kind === 'list') && (y.kind === 'tuple' || y.kind === 'list')) eq = sequenceEquals(x.items, y.items);
    else if (x.kind === 'float' && y.kind === 'float') eq = x.value === y.value;
    else eq = null;
    if (eq === false) return false;
    if (eq === null) unknown = true;
  }
  return unknown ? null : true;
}

function binaryInfer(name: string, op: string, a: PyValue, b: PyValue, ctx: InferContext): PyValue {
  if (a.kind === 'unknown' || b.kind === 'unknown') throw new UnknownArgError(`${op}: an operand is unknown`);
  if (a.kind === 'tensor' || b.kind === 'tensor') return elementwise(`${op} (${SYMBOL[name]})`, [a, b], KIND[name], ctx);
  if (isScalar(a) && isScalar(b)) return scalarOp(name, a, b);
  const seqA = a.kind === 'tuple' || a.kind === 'list' ? a : null;
  const seqB = b.kind === 'tuple' || b.kind === 'list' ? b : null;
  if (seqA && seqB && (name === 'eq' || name === 'ne')) {
    const eq = a.kind === b.kind ? sequenceEquals(seqA.items, seqB.items) : false;
    if (eq === null) throw new UnknownArgError(`${op}: cannot decide whether the sequences are equal`);
    return pyBool(name === 'eq' ? eq : !eq);
  }
  if (seqA && seqB && name === 'add' && a.kind === b.kind) {
    const items = [...seqA.items, ...seqB.items];
    return a.kind === 'list' ? { kind: 'list', items } : { kind: 'tuple', items };
  }
  if (a.kind === 'str' && b.kind === 'str') {
    if (name === 'add') return { kind: 'str', value: a.value + b.value };
    if (name === 'eq' || name === 'ne') return pyBool((a.value === b.value) === (name === 'eq'));
  }
  if ((name === 'eq' || name === 'ne') && (a.kind === 'none' || b.kind === 'none')) return pyBool((a.kind === b.kind) === (name === 'eq'));
  throw new ShapeError(`unsupported operand types for ${SYMBOL[name]}: ${describe(a)} and ${describe(b)}`);
}

function binaryDef(name: string): FunctionOpDef {
  const key = `op.${name}`;
  return {
    kind: 'function',
    name: key,
    family: 'elementwise',
    signature: [req('a'), req('b')],
    infer: (args, ctx) => binaryInfer(name, key, args.a, args.b, ctx),
    flops: (_args, out) => numelOf(out),
    onnx: BINARY_LOWERINGS[name],
  };
}

/** `a op= b`: tensors update in place, so the broadcast result must keep a's shape and dtype. */
function inPlaceDef(name: string): FunctionOpDef {
  const key = `op.i${name.replace(/_$/, '')}`;
  return {
    kind: 'function',
    name: key,
    family: 'elementwise',
    signature: [req('a'), req('b')],
    inPlace: true,
    infer(args, ctx) {
      const a = args.a;
      const out = binaryInfer(name, key, a, args.b, ctx);
      if (a.kind !== 'tensor' || out.kind !== 'tensor') return out;
      if (a.shape && out.shape && (a.shape.length !== out.shape.length || a.shape.some((d, i) => dimEquals(d, out.shape![i]) === false))) {
        throw new ShapeError(`${key} (${SYMBOL[name]}=): output with shape ${showShape(a.shape)} doesn't match the broadcast shape ${showShape(out.shape)}`);
      }
      if (category(out.dtype) > category(a.dtype)) {
        throw new ShapeError(`${key} (${SYMBOL[name]}=): result type ${out.dtype} can't be cast to the desired output type ${a.dtype}`);
      }
      return ctx.tensor(a.shape, a.dtype);
    },
    flops: (_args, out) => numelOf(out),
    onnx: BINARY_LOWERINGS[name],
  };
}

function unaryDef(name: string): FunctionOpDef {
  const key = `op.${name}`;
  return {
    kind: 'function',
    name: key,
    family: 'elementwise',
    signature: [req('a')],
    infer(args, ctx) {
      const a = args.a;
      if (a.kind === 'unknown') throw new UnknownArgError(`${key}: the operand is unknown`);
      if (a.kind === 'tensor') {
        if (name === 'invert' && category(a.dtype) === 2) throw new ShapeError(`${key} (~): bitwise not needs an integer or bool tensor, got ${a.dtype}`);
        return ctx.tensor(a.shape, name === 'neg' && a.dtype === 'bool' ? 'bool' : a.dtype);
      }
      if (a.kind === 'int' || a.kind === 'bool') {
        const d = intOperand(a);
        if (name === 'neg') return pyInt(dimMul(d, -1));
        if (name === 'pos') return pyInt(d);
        return pyInt(dimSub(dimMul(d, -1), 1));
      }
      if (a.kind === 'float' && name !== 'invert') return pyFloat(name === 'neg' ? -a.value : a.value);
      throw new ShapeError(`bad operand type for unary ${name === 'neg' ? '-' : name === 'pos' ? '+' : '~'}: ${describe(a)}`);
    },
    flops: (_args, out) => numelOf(out),
    onnx: name === 'neg' ? unaryLowering('Neg') : name === 'pos' ? identity : invertLowering,
  };
}

const BINARY = Object.keys(SYMBOL);
const INPLACE = ['add', 'sub', 'mul', 'truediv', 'floordiv', 'mod', 'pow', 'and_', 'or_', 'xor', 'lshift', 'rshift'];

const defs: OpDef[] = [...BINARY.map(binaryDef), ...INPLACE.map(inPlaceDef), ...['neg', 'pos', 'invert'].map(unaryDef)];
registerOps(defs);
