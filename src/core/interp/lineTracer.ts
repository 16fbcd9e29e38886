// Per-line tensor records with the semantics of the oracle's sys.settrace tracer (snapshot diff at each line event).
import type { Expr, Stmt } from '../python/ast';
import type { PyValue } from '../ops/values';
import type { LineRecord } from '../graph/modelGraph';
import type { Frame, StmtInfo } from './frame';
import type { Tensor } from './objects';
import type { Recorder } from './recorder';
import { tensorLeaves } from './tensorLeaves';
import { numpyArrays } from './stdlibState';

const INFO = Symbol('stmtInfo');

export function stmtInfo(stmt: Stmt): StmtInfo {
  const holder = stmt as unknown as { [INFO]?: StmtInfo };
  let info = holder[INFO];
  // A statement moved by an edit above it keeps its node but not its line: its names are the same.
  if (info && info.line !== stmt.r.startLine) {
    info = { ...info, line: stmt.r.startLine };
    holder[INFO] = info;
  }
  if (!info) {
    const bound = new Set<string>();
    const assigned = new Set<string>();
    const roots: Expr[] = [];
    switch (stmt.k) {
      case 'assign':
        for (const t of stmt.targets) {
          targetNames(t, bound);
          targetNames(t, assigned);
        }
        roots.push(...stmt.targets, stmt.value);
        break;
      case 'augassign':
      case 'annassign':
        targetNames(stmt.target, bound);
        targetNames(stmt.target, assigned);
        roots.push(stmt.target);
        if (stmt.value) roots.push(stmt.value);
        break;
      case 'for':
        targetNames(stmt.target, bound);
        roots.push(stmt.target, stmt.iter);
        break;
      case 'with':
        for (const it of stmt.items) {
          if (it.target) targetNames(it.target, bound);
          roots.push(it.ctx);
        }
        break;
      case 'while':
      case 'if':
        roots.push(stmt.test);
        break;
      case 'expr':
        roots.push(stmt.value);
        break;
      case 'return':
        if (stmt.value) roots.push(stmt.value);
        break;
      default:
        break;
    }
    for (const r of roots) innerBindings(r, bound);
    info = { stmt, line: stmt.r.startLine, bound, assigned: [...assigned].sort() };
    holder[INFO] = info;
  }
  return info;
}

function targetNames(t: Expr, out: Set<string>): void {
  if (t.k === 'name') out.add(t.id);
  else if (t.k === 'tuple' || t.k === 'list') for (const e of t.elts) targetNames(e, out);
  else if (t.k === 'starred') targetNames(t.value, out);
}

/** Walrus targets and comprehension variables inside a statement's own expressions. */
function innerBindings(e: Expr, out: Set<string>): void {
  switch (e.k) {
    case 'walrus':
      out.add(e.target);
      innerBindings(e.value, out);
      return;
    case 'comp':
      for (const g of e.gens) {
        targetNames(g.target, out);
        innerBindings(g.iter, out);
        for (const i of g.ifs) innerBindings(i, out);
      }
      innerBindings(e.elt, out);
      if (e.value) innerBindings(e.value, out);
      return;
    case 'attr':
      innerBindings(e.obj, out);
      return;
    case 'sub':
      innerBindings(e.obj, out);
      innerBindings(e.index, out);
      return;
    case 'call':
      innerBindings(e.func, out);
      for (const a of e.args) innerBindings(a.value, out);
      return;
    case 'bin':
    case 'boolop':
      innerBindings(e.left, out);
      innerBindings(e.right, out);
      return;
    case 'unary':
      innerBindings(e.operand, out);
      return;
    case 'compare':
      innerBindings(e.left, out);
      for (const r of e.rights) innerBindings(r, out);
      return;
    case 'ifexp':
      innerBindings(e.body, out);
      innerBindings(e.test, out);
      innerBindings(e.orelse, out);
      return;
    case 'tuple':
    case 'list':
    case 'set':
      for (const x of e.elts) innerBindings(x, out);
      return;
    case 'starred':
      innerBindings(e.value, out);
      return;
    default:
      return;
  }
}

function sameShape(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype) return false;
  if (!a.shape || !b.shape) return a.shape === b.shape;
  if (a.shape.length !== b.shape.length) return false;
  return a.shape.every((d, i) => d.value === b.shape![i].value);
}

export class LineTracer {
  constructor(private readonly rec: Recorder) {}

  private emit(frame: Frame, kind: LineRecord['kind'], line: number, varName: string, t: Tensor, stmt: Stmt | null): void {
    if (!t.shape) return; // unknown rank: nothing exact to report
    if (numpyArrays.has(t)) return; // a numpy array: PyTorch's tracer records no tensor there
    this.rec.line({
      kind,
      owner: frame.owner,
      func: frame.funcName,
      qualname: frame.qualname,
      line,
      var: varName,
      shape: t.shape,
      dtype: t.dtype,
      file: frame.scope.file,
      value: t.id,
      range: stmt ? this.rec.range(stmt.r, frame.scope.file) : null,
    });
  }

  private emitValue(frame: Frame, kind: LineRecord['kind'], line: number, name: string, v: PyValue, stmt: Stmt | null): void {
    for (const [s, t] of tensorLeaves(v)) if (t) this.emit(frame, kind, line, name + s, t, stmt);
  }

  /** The 'call' event: the initial snapshot and `arg` records at the def line. */
  enter(frame: Frame, argNames: readonly string[], defLine: number): void {
    if (!frame.traced) return;
    frame.snap = new Map();
    this.sync(frame, null);
    for (const name of argNames) {
      const v = frame.locals.get(name);
      if (v && !name.startsWith('.')) this.emitValue(frame, 'arg', defLine, name, v, null);
    }
  }

  /** A 'line' event for the statement about to run. */
  line(frame: Frame, info: StmtInfo): void {
    frame.current = info;
    if (!frame.traced) return;
    const prev = frame.lastStmt;
    this.sync(frame, prev);
    if (prev && prev.line !== info.line) this.complete(frame, prev);
    frame.lastStmt = info;
  }

  /** The 'return' event: last diff, completion of an assignment, and the `<return>` records. */
  leave(frame: Frame, value: PyValue | null): void {
    if (!frame.traced) return;
    const prev = frame.lastStmt;
    this.sync(frame, prev);
    if (prev) this.complete(frame, prev);
    if (value && prev) this.emitValue(frame, 'return', prev.line, '<return>', value, prev.stmt);
  }

  /**
   * Compares the frame's tensor-valued locals with the snapshot of the previous line event, reports what
   * changed at `info` (when given), and updates the snapshot in place (unchanged tensors allocate nothing).
   */
  private sync(frame: Frame, info: StmtInfo | null): void {
    const snap = (frame.snap ??= new Map());
    for (const [name, v] of frame.locals) {
      const old = snap.get(name);
      if (v.kind === 'tensor') {
        if (old && old.value === v) continue;
        const t = v as Tensor;
        if (info) {
          const kind = this.change(old && !old.leaves ? (old.value as Tensor) : undefined, t, info.bound.has(name));
          if (kind) this.emit(frame, kind, info.line, name, t, info.stmt);
        }
        snap.set(name, { value: v, leaves: null });
      } else if (v.kind === 'tuple' || v.kind === 'list' || v.kind === 'dict') {
        let leaves: Map<string, Tensor> | null = null;
        for (const [sfx, t] of tensorLeaves(v)) if (t) (leaves ??= new Map()).set(sfx, t);
        if (!leaves) {
          if (old) snap.delete(name);
          continue;
        }
        if (info) {
          const fresh = !old || old.value !== v || !old.leaves;
          for (const [suffix, t] of leaves) {
            const kind = this.change(fresh ? undefined : old!.leaves!.get(suffix), t, info.bound.has(name));
            if (kind) this.emit(frame, kind, info.line, name + suffix, t, info.stmt);
          }
        }
        snap.set(name, { value: v, leaves });
      } else if (old) snap.delete(name);
    }
    if (snap.size > frame.locals.size) for (const name of snap.keys()) if (!frame.locals.has(name)) snap.delete(name);
  }

  /** The oracle's rule for one tensor slot: new object → assign; same object, new shape → assign/mutate; version bump → assign if bound. */
  private change(prev: Tensor | undefined, t: Tensor, bound: boolean): LineRecord['kind'] | null {
    if (!prev || prev.obj !== t.obj) return 'assign';
    if (prev === t) return null;
    if (!sameShape(prev, t)) return bound ? 'assign' : 'mutate';
    if (prev.version !== t.version && bound) return 'assign';
    return null;
  }

  private complete(frame: Frame, info: StmtInfo): void {
    for (const name of info.assigned) {
      const v = frame.locals.get(name);
      if (v) this.emitValue(frame, 'assign', info.line, name, v, info.stmt);
    }
  }
}
