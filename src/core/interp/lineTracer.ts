// Per-line tensor records with the semantics of the oracle's sys.settrace tracer (snapshot diff at each line event).
import type { Expr, Stmt } from '../python/ast';
import type { PyValue } from '../ops/values';
import type { LineRecord } from '../graph/modelGraph';
import type { Frame, SnapEntry, StmtInfo } from './frame';
import type { Tensor } from './objects';
import type { Recorder } from './recorder';
import { tensorLeaves } from './tensorLeaves';

const INFO = Symbol('stmtInfo');

export function stmtInfo(stmt: Stmt): StmtInfo {
  const holder = stmt as unknown as { [INFO]?: StmtInfo };
  let info = holder[INFO];
  if (!info) {
    const bound = new Set<string>();
    const assigned = new Set<string>();
    const roots: Expr[] = [];
    switch (stmt.k) {
      case 'assign':
        for (const t of stmt.targets) targetNames(t, bound), targetNames(t, assigned);
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

function snapshot(locals: Map<string, PyValue>): Map<string, SnapEntry> {
  const snap = new Map<string, SnapEntry>();
  for (const [name, v] of locals) {
    if (v.kind === 'tensor') snap.set(name, { value: v, leaves: null });
    else if (v.kind === 'tuple' || v.kind === 'list' || v.kind === 'dict') {
      const leaves = new Map<string, Tensor>();
      for (const [s, t] of tensorLeaves(v)) if (t) leaves.set(s, t);
      if (leaves.size) snap.set(name, { value: v, leaves });
    }
  }
  return snap;
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
    frame.snap = snapshot(frame.locals);
    for (const name of argNames) {
      const v = frame.locals.get(name);
      if (v && !name.startsWith('.')) this.emitValue(frame, 'arg', defLine, name, v, null);
    }
  }

  /** A 'line' event for the statement about to run. */
  line(frame: Frame, info: StmtInfo): void {
    frame.current = info;
    if (!frame.traced) return;
    const snap = snapshot(frame.locals);
    if (frame.lastStmt) {
      this.diff(frame, frame.lastStmt, snap);
      if (frame.lastStmt.line !== info.line) this.complete(frame, frame.lastStmt);
    }
    frame.lastStmt = info;
    frame.snap = snap;
  }

  /** The 'return' event: last diff, completion of an assignment, and the `<return>` records. */
  leave(frame: Frame, value: PyValue | null): void {
    if (!frame.traced) return;
    const snap = snapshot(frame.locals);
    if (frame.lastStmt) {
      this.diff(frame, frame.lastStmt, snap);
      this.complete(frame, frame.lastStmt);
    }
    if (value && frame.lastStmt) this.emitValue(frame, 'return', frame.lastStmt.line, '<return>', value, frame.lastStmt.stmt);
    frame.snap = snap;
  }

  private diff(frame: Frame, info: StmtInfo, snap: Map<string, SnapEntry>): void {
    const before = frame.snap;
    for (const [name, entry] of snap) {
      const old = before?.get(name);
      if (!entry.leaves) {
        const t = entry.value as Tensor;
        const kind = this.change(old && !old.leaves ? (old.value as Tensor) : undefined, t, info.bound.has(name));
        if (kind) this.emit(frame, kind, info.line, name, t, info.stmt);
        continue;
      }
      const fresh = !old || old.value !== entry.value || !old.leaves;
      for (const [suffix, t] of entry.leaves) {
        const kind = this.change(fresh ? undefined : old!.leaves!.get(suffix), t, info.bound.has(name));
        if (kind) this.emit(frame, kind, info.line, name + suffix, t, info.stmt);
      }
    }
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
