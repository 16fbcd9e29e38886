// What the interpreter knows about tensors and modules beyond their values: one object, read and written through its methods.
import type { Range } from '../python/ast';
import type { Expr as DimExpr } from '../shape/expr';
import type { InitRule } from '../ops/types';
import type { Instance, Tensor } from './objects';

/** A Linear in_features check that met an input size not known at analysis time (solved for input specs). */
export interface SizeConstraint {
  readonly expr: DimExpr;
  /** Linear's in_features: the size must equal this. */
  readonly equals?: number;
  /** An einops split (`(h p)` with p=8): the size must be a multiple of this. */
  readonly divisibleBy?: number;
  readonly range: Range | null;
}

/** Where a literal constructor argument is written (for quick fixes that replace it). */
export interface LiteralSite {
  readonly range: Range;
  readonly file: string;
}

/**
 * The interpreter's side tables. Tensor facts are keyed by object identity (`obj`: parameter-ness, initialisation)
 * or by tensor value (known element values: an in-place op makes a new value without them); module facts by instance.
 */
export class Facts {
  /** named_modules() paths of the model being traced. */
  private paths = new Map<Instance, string>();
  /** How tensors created by torch factories or module constructors are initialised (by tensor object id). */
  private inits = new Map<number, InitRule>();
  /** Element values of small constant tensors (by tensor value). */
  private readonly values = new WeakMap<Tensor, readonly number[]>();
  /** Tensor objects that are nn.Parameters. */
  private params = new Set<number>();
  /** Source ranges of literal constructor arguments of torch modules. */
  private literals = new Map<Instance, ReadonlyMap<string, LiteralSite>>();
  private sizeConstraints: SizeConstraint[] = [];

  // ---------------------------------------------------------------- tensors

  isParam(t: Tensor): boolean {
    return this.params.has(t.obj);
  }

  markParam(t: Tensor): void {
    this.params.add(t.obj);
  }

  initOf(t: Tensor): InitRule | undefined {
    return this.inits.get(t.obj);
  }

  setInit(t: Tensor, rule: InitRule): void {
    this.inits.set(t.obj, rule);
  }

  valuesOf(t: Tensor): readonly number[] | undefined {
    return this.values.get(t);
  }

  setValues(t: Tensor, vals: readonly number[]): void {
    this.values.set(t, vals);
  }

  /** After an in-place op the old value's elements describe only its old version. */
  forgetValues(t: Tensor): void {
    this.values.delete(t);
  }

  // ---------------------------------------------------------------- modules

  pathOf(inst: Instance): string | undefined {
    return this.paths.get(inst);
  }

  /** The modules of the traced model, by path (replaces the previous model's). */
  setPaths(named: readonly (readonly [string, Instance])[]): void {
    this.paths = new Map(named.map(([p, m]) => [m, p]));
  }

  tracedModules(): IterableIterator<Instance> {
    return this.paths.keys();
  }

  literalsOf(inst: Instance): ReadonlyMap<string, LiteralSite> | undefined {
    return this.literals.get(inst);
  }

  setLiterals(inst: Instance, lits: ReadonlyMap<string, LiteralSite>): void {
    this.literals.set(inst, lits);
  }

  // ---------------------------------------------------------------- input-size constraints

  get constraints(): readonly SizeConstraint[] {
    return this.sizeConstraints;
  }

  addConstraint(c: SizeConstraint): void {
    this.sizeConstraints.push(c);
  }

  /**
   * A new analysis in the same interpreter (moduleWorld.ts): what belongs to the last model goes; known element
   * values stay (keyed weakly by tensor value, they may belong to constants of kept modules).
   */
  nextAnalysis(): void {
    this.paths = new Map();
    this.inits = new Map();
    this.params = new Set();
    this.literals = new Map();
    this.sizeConstraints = [];
  }

  // ---------------------------------------------------------------- copies

  /** Gives a copy (copy.deepcopy, nn.Parameter(data)) every fact its source has. */
  copy(from: Tensor, to: Tensor): void;
  copy(from: Instance, to: Instance): void;
  copy(from: Tensor | Instance, to: Tensor | Instance): void {
    if ('obj' in from) {
      const t = to as Tensor;
      if (this.params.has(from.obj)) this.params.add(t.obj);
      const init = this.inits.get(from.obj);
      if (init) this.inits.set(t.obj, init);
      const vals = this.values.get(from);
      if (vals) this.values.set(t, vals);
      return;
    }
    // A module's path is not copied: a copy gets its own when the traced model names its modules.
    const lits = this.literals.get(from);
    if (lits) this.literals.set(to as Instance, lits);
  }
}
