// The builder interface an op's ONNX lowering is written against; src/core/onnx implements it.
//
// A lowering receives one ModelGraph node and emits ONNX nodes (opset 17) that compute exactly the
// node's outputs under the names in `ctx.outputs`. It may add constant initializers and fresh
// intermediate names. Anything it cannot express must call `ctx.fail(...)`, which refuses the export
// with a message that names the op.
import type { DType } from '../shape/shape';

/** The serialisable argument values of a graph node (structurally the ModelGraph's AttrValue). */
export type LoweringArg =
  | null
  | boolean
  | number
  | string
  | { readonly tensor: string }
  | { readonly symbolic: string; readonly value: number | null }
  | readonly LoweringArg[]
  | { readonly [key: string]: LoweringArg };

/** One ONNX attribute value, tagged with its ONNX type. */
export type OnnxAttr =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'graph'; readonly value: OnnxSubgraph };

/** A branch or loop body made by `ctx.subgraph`, in the encoder's own message form (opaque to lowerings). */
export interface OnnxSubgraph {
  readonly name: string;
  readonly nodes: readonly object[];
  readonly outputs: readonly object[];
}

/** Constructors for ONNX attributes: `{ axis: attr.int(1), kernel_shape: attr.ints([3, 3]) }`. */
export const attr = {
  int: (value: number): OnnxAttr => ({ type: 'int', value }),
  ints: (value: readonly number[]): OnnxAttr => ({ type: 'ints', value }),
  float: (value: number): OnnxAttr => ({ type: 'float', value }),
  floats: (value: readonly number[]): OnnxAttr => ({ type: 'floats', value }),
  string: (value: string): OnnxAttr => ({ type: 'string', value }),
  strings: (value: readonly string[]): OnnxAttr => ({ type: 'strings', value }),
  graph: (value: OnnxSubgraph): OnnxAttr => ({ type: 'graph', value }),
};

export interface OnnxLoweringContext {
  /** Registry key of the node (`nn.Conv2d`, `F.interpolate`, `op.add`). */
  readonly op: string;
  /** Module path for module calls (`conv2.1`), else null. */
  readonly modulePath: string | null;
  /** Constructor arguments of a module call (bound by name, defaults applied). */
  readonly attrs: Readonly<Record<string, LoweringArg>>;
  /** Call arguments bound by name; tensor arguments appear as `{ tensor: id }`. */
  readonly args: Readonly<Record<string, LoweringArg>>;
  /** ONNX names of the node's tensor inputs, in the node's order. */
  readonly inputs: readonly string[];
  /** ONNX names the lowering must produce, in the node's output order. */
  readonly outputs: readonly string[];
  /** Concrete shape of a value (by ONNX name); throws when it is not static. */
  shape(name: string): readonly number[];
  dtype(name: string): DType;
  /** ONNX name of the tensor bound to argument `arg`, or null when that argument is not a tensor. */
  tensorArg(arg: string): string | null;
  /** ONNX name of a graph value by its id (tensors nested in arguments, e.g. inside an index tuple). */
  value(id: string): string;
  /** ONNX names of a list/tuple-of-tensors argument (`torch.cat(tensors)`), or null when it is not one. */
  tensorList(arg: string): string[] | null;
  /** Initializer name of the module's own state tensor (`weight` → `conv1.weight`), null when it has none. */
  param(local: string): string | null;
  /**
   * Emits one ONNX node. `outputs` is either the names to write (usually `ctx.outputs`) or how many
   * fresh names to make (default 1). Returns the output names. `''` as an input means "omitted".
   */
  node(opType: string, inputs: readonly string[], attrs?: Readonly<Record<string, OnnxAttr>>, outputs?: number | readonly string[]): string[];
  /** A constant int64 initializer (`dims` default: 1-D of the values' length; `[]` for a scalar). */
  constInt64(values: readonly number[], dims?: readonly number[]): string;
  /** A constant floating initializer of `dtype` (default float32). */
  constFloat(values: readonly number[], dims?: readonly number[], dtype?: DType): string;
  /**
   * The argument as a tensor name: a tensor argument as is, a Python number as a scalar constant of
   * `dtype`. Fails when the argument is neither.
   */
  operand(arg: string, dtype: DType): string;
  /** Refuses the export of this node with a message (the op name is prefixed). */
  fail(message: string): never;
  /**
   * A subgraph (an `If` branch): `build` emits its nodes through the context it is given (which sees every
   * name of the outer graph) and returns the names of its outputs, whose dtypes and shapes `outputs` declares.
   */
  subgraph(
    name: string,
    outputs: readonly { readonly dtype: DType; readonly dims: readonly number[] }[],
    build: (sub: OnnxLoweringContext) => readonly string[],
  ): OnnxSubgraph;
}

export type OnnxLowering = (ctx: OnnxLoweringContext) => void;

/** The concrete number of an argument (`3`, `{ symbolic: 'H/2', value: 16 }`, `True`), or null. */
export function argNumber(v: LoweringArg | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v && typeof v === 'object' && !Array.isArray(v) && 'symbolic' in v && typeof v.value === 'number') return v.value;
  return null;
}

/** An int-or-tuple argument (`kernel_size=3`, `stride=(2, 1)`) as `n` numbers, or null when it is not one. */
export function argInts(v: LoweringArg | undefined, n: number): number[] | null {
  const one = argNumber(v);
  if (one !== null) return Array(n).fill(one);
  if (!Array.isArray(v)) return null;
  const nums = (v as readonly LoweringArg[]).map(argNumber);
  if (nums.some((x) => x === null)) return null;
  return nums.length === 1 ? Array(n).fill(nums[0]) : (nums as number[]);
}

/** A dimension index normalised against `rank` (Python's negative indexing). */
export function normDim(d: number, rank: number): number {
  return d < 0 ? d + rank : d;
}
