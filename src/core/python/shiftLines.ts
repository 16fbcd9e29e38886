// Moves a converted statement to another line in place (its text did not change, only lines above it did).
import type { Stmt, SyntaxError } from './ast';

type Mutable = { startLine: number; endLine: number };

/** Adds `delta` to every line number inside the statements (ranges, name ranges, `def` lines) and their errors. */
export function shiftLines(stmts: readonly Stmt[], errors: readonly SyntaxError[], delta: number): void {
  if (delta === 0) return;
  // Ranges (and `def` lines) move once even when reachable twice; other objects may be walked again (no cycles).
  const moved = new Set<object>();
  // Runs over everything below an edit on each keystroke: for-in (no key arrays), primitives skipped early.
  const visit = (v: object): void => {
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') visit(x);
      return;
    }
    const o = v as Record<string, unknown>;
    for (const key in o) {
      const x = o[key];
      if (x === null || typeof x !== 'object') {
        if (key === 'defLine' && typeof x === 'number' && !moved.has(o)) {
          moved.add(o);
          o[key] = x + delta;
        }
      } else if (key === 'r' || key === 'nameRange' || key === 'range') {
        if (moved.has(x)) continue;
        moved.add(x);
        (x as Mutable).startLine += delta;
        (x as Mutable).endLine += delta;
      } else visit(x);
    }
  };
  visit(stmts);
  for (const e of errors) visit(e);
}
