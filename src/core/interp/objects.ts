// The interpreter's own Python objects (classes, functions, module instances, namespaces) carried inside PyValue 'object'.
import type { ClassDef, Expr, FuncDef, Param, Range } from '../python/ast';
import type { BoundArgs, FunctionOpDef, ModuleOpDef } from '../ops/types';
import type { PyValue, TensorValue } from '../ops/values';

/** A tensor as the interpreter holds it: `obj` is Python object identity, `version` its in-place counter. */
export interface Tensor extends TensorValue {
  readonly obj: number;
  readonly version: number;
}

/** Globals of one Python file. */
export interface ModuleScope {
  readonly file: string;
  /** Dotted module name when known (`models.blocks`), else the file stem. */
  readonly name: string;
  readonly globals: Map<string, PyValue>;
}

export interface UserFunction {
  readonly name: string;
  readonly qualname: string;
  readonly params: readonly Param[];
  /** Evaluated defaults, by parameter name. */
  readonly defaults: ReadonlyMap<string, PyValue>;
  readonly body: { readonly stmts: FuncDef['body'] } | { readonly expr: Expr };
  /** Line of `def` (0-based), for `arg` records. */
  readonly defLine: number;
  readonly range: Range;
  readonly scope: ModuleScope;
  /** The frame whose locals the function closes over (null at module level). */
  readonly closure: FrameLike | null;
  /** The class whose body defined it (for zero-argument super()). */
  ownerClass: UserClass | null;
  readonly decorators: ReadonlySet<string>;
  /** For lambdas: the statement that created them (their line records are reported there). */
  defStmt: import('./frame').StmtInfo | null;
  /** Attributes set on the function object (`__name__` copied by functools.wraps, …). */
  readonly attrs: Map<string, PyValue>;
}

/** What closures need of a frame (the interpreter's Frame implements it). */
export interface FrameLike {
  readonly locals: Map<string, PyValue>;
  readonly parent: FrameLike | null;
}

export interface UserClass {
  readonly name: string;
  readonly qualname: string;
  readonly def: ClassDef | null;
  readonly bases: readonly ClassRef[];
  readonly ns: Map<string, PyValue>;
  readonly scope: ModuleScope;
  mro: ClassRef[];
}

/** A class: user-defined, or a torch builtin module class (`nn.Module`, `nn.Sequential`, `nn.Conv2d`). */
export type ClassRef = { readonly t: 'user'; readonly cls: UserClass } | { readonly t: 'torch'; readonly type: string; readonly leaf: ModuleOpDef | null };

export type ContainerKind = 'Sequential' | 'ModuleList' | 'ModuleDict' | 'ParameterList' | 'ParameterDict';

/** An instance of a user class or a torch module; torch's attribute registries are modelled for modules. */
export class Instance {
  readonly dict = new Map<string, PyValue>();
  readonly modules = new Map<string, Instance | null>();
  readonly params = new Map<string, Tensor | null>();
  readonly buffers = new Map<string, Tensor | null>();
  readonly nonPersistent = new Set<string>();
  /** Bound constructor arguments of a leaf torch module. */
  leafAttrs: BoundArgs | null = null;
  leaf: ModuleOpDef | null = null;
  container: ContainerKind | null = null;
  /** Where the constructor was called (for diagnostics). */
  ctorRange: Range | null = null;
  /** The one PyValue wrapping this instance, so `is` and container identity hold. */
  readonly value: PyValue;
  constructor(
    readonly cls: ClassRef,
    readonly typeName: string,
    readonly isModule: boolean,
  ) {
    if (isModule) this.dict.set('training', { kind: 'bool', value: true });
    this.value = { kind: 'object', ref: { t: 'instance', inst: this } satisfies InterpObject, typeName };
  }
}

export type InterpObject =
  | { readonly t: 'class'; readonly cls: ClassRef }
  | { readonly t: 'instance'; readonly inst: Instance }
  | { readonly t: 'func'; readonly fn: UserFunction }
  | { readonly t: 'bound'; readonly self: PyValue; readonly fn: PyValue }
  | { readonly t: 'staticmethod' | 'classmethod' | 'property'; readonly fn: PyValue }
  | { readonly t: 'builtin'; readonly name: string; readonly call: BuiltinFn }
  | { readonly t: 'namespace'; readonly path: string }
  | { readonly t: 'op'; readonly def: FunctionOpDef; readonly key: string }
  | { readonly t: 'partial'; readonly fn: PyValue; readonly args: readonly PyValue[]; readonly kwargs: ReadonlyMap<string, PyValue> }
  | { readonly t: 'super'; readonly cls: UserClass; readonly self: PyValue }
  | { readonly t: 'pymodule'; readonly scope: ModuleScope }
  /** A Python set or frozenset: `items` in insertion order, deduplicated by value; `keyed` holds the hash keys
   *  (pyHash.ts) of the items that have one, `loose` counts those that have none (compared item by item). */
  | { readonly t: 'set'; readonly items: PyValue[]; readonly frozen: boolean; readonly keyed: Set<string>; loose: number }
  /** A name imported from another file, loaded on first use. */
  | { readonly t: 'lazy'; readonly load: () => PyValue }
  /** Values the analysis need not look into (devices, loggers, context managers, typing constructs). */
  | { readonly t: 'opaque'; readonly what: string };

export interface CallSite {
  readonly range: Range | null;
}

export type BuiltinFn = (args: PyValue[], kwargs: Map<string, PyValue>, site: CallSite) => PyValue;

export function obj(ref: InterpObject, typeName: string): PyValue {
  return { kind: 'object', ref, typeName };
}

export function asObject(v: PyValue): InterpObject | null {
  return v.kind === 'object' && typeof v.ref === 'object' && v.ref !== null && 't' in (v.ref as object) ? (v.ref as InterpObject) : null;
}

export function instanceOf(v: PyValue): Instance | null {
  const o = asObject(v);
  return o && o.t === 'instance' ? o.inst : null;
}

export function instanceValue(inst: Instance): PyValue {
  return inst.value;
}

export function isTensor(v: PyValue): v is Tensor {
  return v.kind === 'tensor';
}

export function unknown(why: string): PyValue {
  return { kind: 'unknown', why };
}
