// The ModelGraph: the one intermediate representation that every surface of Fusion Lens reads.
import type { OpKind } from '../ops/roles';
import type { DType, Shape } from '../shape/shape';

/** A source range; lines and characters are 0-based (as in VS Code and tree-sitter). */
export interface SourceRange {
  readonly file: string;
  readonly startLine: number;
  readonly startCol: number;
  readonly endLine: number;
  readonly endCol: number;
}

export type ValueSource = 'input' | 'param' | 'buffer' | 'const' | 'node';

export interface GraphValue {
  readonly id: string;
  readonly shape: Shape | null;
  readonly dtype: DType;
  readonly source: ValueSource;
  /** Producing node for source 'node'. */
  readonly producer: string | null;
  /** Input name (`x`), state_dict name (`conv1.weight`) or the variable it was first bound to. */
  readonly name?: string;
  /** For source 'const': the literal scalar or small list. */
  readonly constValue?: number | readonly number[];
}

/** Serialisable form of the non-tensor arguments of a call (tensors appear as `{ tensor: id }`). */
export type AttrValue =
  | null
  | boolean
  | number
  | string
  | { readonly tensor: string }
  | { readonly symbolic: string; readonly value: number | null }
  | readonly AttrValue[]
  | { readonly [key: string]: AttrValue };

/** One leaf operation: a leaf module call (`nn.Conv2d`), a function (`torch.cat`), a method or an operator. */
/** The kinds of op the fusion analysis and depth counting tell apart: the op registry's OpKind (a type import; graph reads no ops code). */
export type NodeKind = OpKind;

/** What a node's op is, stamped by whoever builds the graph from the op registry or the ONNX op table (see ops/roles.ts). */
export interface NodeRole {
  readonly kind: NodeKind;
  /** pool kind, an interpolation's fixed mode, a reduction's name, how a layout op moves axes, `gather`, `shape`. */
  readonly detail?: string;
  /** Spatial axes the op fixes (`Conv1d` → 1). */
  readonly rank?: 1 | 2 | 3;
}

export interface GraphNode {
  readonly id: string;
  /** Registry key: `nn.Conv2d`, `F.interpolate`, `torch.cat`, `Tensor.view`, `op.add`. */
  readonly op: string;
  readonly role: NodeRole;
  /** torch-style path of the leaf module for module calls (`conv2.1`), else null. */
  readonly modulePath: string | null;
  /** Path of the module whose forward made the call (`up1`, `''` for the root). */
  readonly scope: string;
  /** Constructor arguments for module calls (bound by name, defaults applied). */
  readonly attrs: Readonly<Record<string, AttrValue>>;
  /** Call arguments bound by name; tensor arguments as `{ tensor: id }`. */
  readonly args: Readonly<Record<string, AttrValue>>;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Own parameter elements (leaf modules); 0 for functions. */
  readonly params: number;
  readonly flops: number;
  readonly range: SourceRange | null;
  /** Call stack of module paths at the time of the call, outermost first (for call-site grouping). */
  readonly callPath: readonly string[];
}

/** One module call as PyTorch's forward hooks would see it (the oracle's `modules` record). */
export interface ModuleCall {
  readonly path: string;
  readonly type: string;
  readonly depth: number;
  readonly in: readonly (Shape | null)[];
  readonly out: readonly (Shape | null)[];
  readonly outDtypes: readonly (DType | null)[];
  readonly params: number;
  /** Where the call was made (null for the root call). */
  readonly range: SourceRange | null;
  /** Node ids made during this call (its own and its children's). */
  readonly nodes: readonly string[];
}

/** A tensor bound to a local variable by a statement (the oracle's `lines` record). */
export interface LineRecord {
  readonly kind: 'arg' | 'assign' | 'mutate' | 'return';
  readonly owner: string | null;
  readonly func: string;
  readonly qualname: string;
  /** 0-based line of the statement start. */
  readonly line: number;
  readonly var: string;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly file: string;
  /** The value id, to link hovers to graph nodes. */
  readonly value: string;
  /** Range of the bound name (or of the statement when there is no single name). */
  readonly range: SourceRange | null;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable code, e.g. `cat-mismatch`, `conv-channels`, `linear-in-features`, `unsupported`. */
  readonly code: string;
  readonly message: string;
  /** What would fix it, when known (e.g. the in_features that would fit). */
  readonly hint?: string;
  readonly range: SourceRange | null;
  /** Machine-readable fix for quick fixes: replace `range` with `text`. */
  readonly fix?: { readonly title: string; readonly range: SourceRange; readonly text: string };
}

/** One entry of the model's state_dict, in `named_parameters`/buffers order. */
export interface StateEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly role: 'param' | 'buffer';
  /** The owning module path and the op type, for init and lowering. */
  readonly modulePath: string;
  readonly moduleType: string;
  readonly init: import('../ops/types').InitRule;
  /** Shared parameters appear once; later owners list the first name here. */
  readonly aliasOf?: string;
}

export interface InputDecl {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly value: string;
}

export interface ModelGraph {
  /** The expression that built the model (`UNet(base=4)`) and its class name. */
  readonly expr: string;
  readonly className: string;
  readonly file: string;
  readonly inputs: readonly InputDecl[];
  readonly inputKind: 'args' | 'list' | 'dict';
  readonly outputs: readonly string[];
  readonly outputKind: 'tensor' | 'tuple' | 'list' | 'dict';
  readonly outputKeys?: readonly string[];
  readonly values: ReadonlyMap<string, GraphValue>;
  readonly nodes: readonly GraphNode[];
  readonly modules: readonly ModuleCall[];
  readonly lines: readonly LineRecord[];
  readonly diagnostics: readonly Diagnostic[];
  readonly stateDict: readonly StateEntry[];
  readonly paramsTotal: number;
  readonly flopsTotal: number;
  /** Range of the class definition (for CodeLens and the class hover). */
  readonly classRange: SourceRange | null;
}
