// The op registry's contract: every op states its signature, shape rule, parameters, FLOPs, init and ONNX lowering.
import { DType, Shape } from '../shape/shape';
import type { Expr } from '../shape/expr';
import { PyValue, TensorValue } from './values';
import type { OnnxLowering } from './lowering';
import type { OpRole } from './roles';

/** A Python parameter of a constructor, function or method, in declaration order. */
export interface ParamSpec {
  readonly name: string;
  /** Default value; absent means required. */
  readonly default?: PyValue;
  /** `*args` collects the remaining positionals into a tuple; `**kwargs` the remaining keywords. */
  readonly variadic?: 'args' | 'kwargs';
  readonly keywordOnly?: boolean;
  /**
   * Other keywords that bind this parameter: torch's numpy-style spellings (`axis` for `dim`, `keepdims`
   * for `keepdim`), and for a `*size`-style parameter of a native op its own name, which then holds the
   * whole sequence (`x.view(size=(2, 3))`, `torch.zeros(size=(2, 3))`).
   */
  readonly aliases?: readonly string[];
}

/** Arguments bound to a ParamSpec list by name, defaults applied. */
export type BoundArgs = Readonly<Record<string, PyValue>>;

/** What a shape rule may ask of the interpreter. */
export interface InferContext {
  /** A fresh tensor value (the interpreter records it in the ModelGraph). */
  tensor(shape: Shape | null, dtype: DType): TensorValue;
  /** Notes that an input-derived size must be a multiple of `divisibleBy` (einops splits); for input-size solving. */
  constrain?(c: { readonly expr: Expr; readonly divisibleBy: number }): void;
}

/** A shape error found by an op's rule: the interpreter turns it into a diagnostic at the call site. */
export class ShapeError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ShapeError';
  }
}

/**
 * Thrown by a rule when an argument it needs is an unknown value (or a size it needs is not known):
 * the result is unknown, and the diagnostic belongs to whatever made the argument unknown.
 */
export class UnknownArgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownArgError';
  }
}

/** How a parameter tensor is initialised by PyTorch's default `reset_parameters`. */
export type InitRule =
  | { readonly kind: 'kaiming_uniform'; readonly a: number; readonly fanIn: number } // U(-b, b), b = gain*sqrt(3/fanIn), gain = sqrt(2/(1+a^2))
  | { readonly kind: 'uniform'; readonly bound: number } // U(-bound, bound)
  /** `zeroRow`: Embedding's padding_idx row, zeroed after the normal draw. */
  | { readonly kind: 'normal'; readonly std: number; readonly mean?: number; readonly zeroRow?: number }
  | { readonly kind: 'xavier_uniform'; readonly fanIn: number; readonly fanOut: number }
  | { readonly kind: 'xavier_normal'; readonly fanIn: number; readonly fanOut: number } // N(0, std), std = sqrt(2/(fanIn+fanOut))
  | { readonly kind: 'ones' }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'constant'; readonly value: number };

/** The model input a first layer implies: a kind (one input per kind) and its dims (names for free sizes). */
export interface ImpliedInput {
  /** `map1` / `map2` / `map3` (channels-first maps), `vector`, `tokens`. */
  readonly kind: string;
  readonly dims: readonly (number | string)[];
  readonly dtype: DType;
}

/** One entry of a module's own state_dict (`weight`, `bias`, `running_mean`, …). */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Parameters count towards `params`; buffers (BatchNorm running stats) do not. */
  readonly role: 'param' | 'buffer';
  readonly init: InitRule;
}

/**
 * What makes a module lazy (PyTorch's LazyModuleMixin: `LazyLinear`, `LazyConv2d`, `LazyBatchNorm2d`): `args` are not
 * constructor parameters; they read as 0 and the module has no parameters until its first call, where the runtime takes
 * them from the call's input, checks the constructor arguments (`validate`) and builds the tensors. From then on the
 * entry is used as a non-lazy one: `tensors`, `infer`, `flops` and the ONNX lowering see the completed arguments.
 * A module that would have no tensors (a lazy norm with affine=False and track_running_stats=False) keeps the zeros.
 */
export interface LazyArgs {
  /** The constructor arguments taken from the input (`in_features`, `in_channels`, `num_features`). */
  readonly args: readonly string[];
  /** Their values from the first call's bound forward arguments; ShapeError when the input cannot give them, UnknownArgError when its size is not known. */
  fromInput(args: BoundArgs): Readonly<Record<string, number>>;
}

/** A leaf nn.Module type (`Conv2d`): constructor, parameters, and what a call does. */
export interface ModuleOpDef {
  readonly kind: 'module';
  /** Class name as torch reports it (`Conv2d`); the registry key is `nn.<type>`. */
  readonly type: string;
  /** The Python module providing the class when it is not torch.nn (`einops.layers.torch`); see providePythonModule. */
  readonly library?: string;
  /** The file family it belongs to (`conv`, `norm`, …); the default role reads it (normalisation is a family). */
  readonly family: string;
  /** What the analyses need to know of it; when absent the registry derives it from the key and family (see roles.ts). */
  readonly role?: OpRole;
  /** The input a model whose first layer this is would take (`Conv2d(3, …)` → a 3-channel 2-d map), when it implies one. */
  impliedInput?(attrs: BoundArgs): ImpliedInput | null;
  /** Diagnostic code for a shape error of a call, when it differs from what the role gives (see roles.ts errorCodeOf). */
  errorCode?(message: string): string;
  /**
   * The constructor argument that must equal the size of the input's last axis (Linear's `in_features`): a symbolic
   * input size meeting it becomes a constraint the input spec is solved for, and a mismatch offers a fix of the literal.
   */
  readonly lastAxisArg?: string;
  /** Tensors PyTorch registers as None when a constructor flag switches them off (`bias=False`, `affine=False`): reading one that is absent gives None. */
  readonly optionalTensors?: readonly string[];
  /** The axis of `weight` that holds the output features when it is not 0 (1 for transposed convolutions); spectral_norm reshapes by it. */
  readonly weightOutputAxis?: number;
  /** A lazy module (`LazyConv2d`): constructor arguments PyTorch takes from the first call's input instead (see LazyArgs). */
  readonly lazy?: LazyArgs;
  readonly ctor: readonly ParamSpec[];
  readonly forward: readonly ParamSpec[];
  /** Validates constructor arguments; throws ShapeError with a clear message when they are invalid. */
  validate?(attrs: BoundArgs): void;
  /** The module's own parameters and buffers, in state_dict order. */
  tensors(attrs: BoundArgs): TensorSpec[];
  /** Shape rule: the output of one call. */
  infer(attrs: BoundArgs, args: BoundArgs, ctx: InferContext): PyValue;
  /** Multiply-accumulate based FLOPs of one call (2 per MAC), or 0 when negligible. */
  flops(attrs: BoundArgs, args: BoundArgs, out: PyValue): number;
  /**
   * Child modules the constructor creates itself (MultiheadAttention's `out_proj`), in registration
   * order; they appear in named_modules()/state_dict but their tensors are not in `tensors()`.
   */
  submodules?(attrs: BoundArgs): { name: string; type: string; tensors: TensorSpec[] }[];
  /** An attribute as the module stores it when that differs from the constructor argument (Conv2d's `kernel_size` is always a tuple), else undefined. */
  attr?(attrs: BoundArgs, name: string): PyValue | undefined;
  readonly onnx?: OnnxLowering;
}

/**
 * Element values of an op's (small) result from constant arguments or operands whose values are tracked, in the
 * result dtype's precision, or null when any is unknown. `valuesOf` reads a tensor argument's tracked values.
 */
export type ConstValuesHook = (args: BoundArgs, out: TensorValue, valuesOf: (t: PyValue) => readonly number[] | undefined) => number[] | null;
/** The values of each tensor of a tuple result (split/chunk/unbind of a tensor whose values are known); null when unknown. */
export type ConstPiecesHook = (
  args: BoundArgs,
  pieces: readonly TensorValue[],
  valuesOf: (t: PyValue) => readonly number[] | undefined,
) => (number[] | null)[] | null;

/** A function (`F.conv2d`, `torch.cat`) or a tensor method (`Tensor.view`). */
export interface FunctionOpDef {
  readonly kind: 'function' | 'method';
  /** Registry key: `torch.cat`, `F.interpolate`, `Tensor.view`, `op.add` (Python operators). */
  readonly name: string;
  /** Other keys that resolve to this op (`torch.nn.functional.relu`, `torch.relu`, `Tensor.relu`). */
  readonly aliases?: readonly string[];
  /** The file family it belongs to (`tensor`, `reduce`, …); the default role reads it (normalisation is a family). */
  readonly family: string;
  /** What the analyses need to know of it; when absent the registry derives it from the key and family (see roles.ts). */
  readonly role?: OpRole;
  /** How the tensor it creates is initialised, for factories (`torch.ones` → ones), so nn.Parameter(torch.ones(n)) keeps it. */
  creationInit?(args: BoundArgs): InitRule;
  /** The values its result holds when they follow from the arguments (`torch.arange(4)`, `t * 2`); see constValues.ts. */
  readonly constValues?: ConstValuesHook;
  /** The values of the tensors of its tuple result, when they follow from the arguments (`torch.linspace(0, r, 6).split([2, 4])`). */
  readonly constPieces?: ConstPiecesHook;
  /** Diagnostic code for a shape error of a call, when it differs from what the role gives (see roles.ts errorCodeOf). */
  errorCode?(message: string): string;
  /** For methods the first parameter is `self`. */
  readonly signature: readonly ParamSpec[];
  infer(args: BoundArgs, ctx: InferContext): PyValue;
  flops?(args: BoundArgs, out: PyValue): number;
  /** The op mutates its first argument (`self`) in place and returns it (`Tensor.add_`, `op.iadd`). */
  readonly inPlace?: boolean;
  readonly onnx?: OnnxLowering;
}

export type OpDef = ModuleOpDef | FunctionOpDef;
