// One executing Python frame: locals, closure parent, and the line-tracing state of the oracle's tracer.
import type { Stmt } from '../python/ast';
import type { PyValue } from '../ops/values';
import type { FrameLike, ModuleScope, Tensor, UserClass, UserFunction } from './objects';

/** What the tracer needs of a statement: its first line, the names it binds, the names it assigns. */
export interface StmtInfo {
  readonly stmt: Stmt;
  readonly line: number;
  readonly bound: ReadonlySet<string>;
  /** Targets of =, augmented and annotated assignment, sorted (recorded even when unchanged). */
  readonly assigned: readonly string[];
}

export interface SnapEntry {
  /** The local's value: a tensor, or the list/tuple/dict object holding tensors. */
  readonly value: PyValue;
  /** Tensor leaves of a container (null for a tensor local). */
  readonly leaves: Map<string, Tensor> | null;
}

export class Frame implements FrameLike {
  readonly locals = new Map<string, PyValue>();
  globalNames: Set<string> | null = null;
  nonlocalNames: Set<string> | null = null;
  /** Tracer state: last snapshot and the statement of the last line event. */
  snap: Map<string, SnapEntry> | null = null;
  lastStmt: StmtInfo | null = null;
  /** The statement being executed (comprehension frames report at their enclosing statement). */
  current: StmtInfo | null = null;

  constructor(
    readonly parent: FrameLike | null,
    readonly scope: ModuleScope,
    readonly funcName: string,
    readonly qualname: string,
    public owner: string | null,
    readonly traced: boolean,
    readonly fn: UserFunction | null,
    /** For class bodies: the class being defined (methods get it as ownerClass). */
    readonly classBody: UserClass | null = null,
  ) {}
}
