// Moves a converted statement to another line in place (its text did not change, only lines above it did).
import type { Stmt, SyntaxError } from './ast';

type Mutable = { startLine: number; endLine: number };

/** Adds `delta` to every line number inside the statements (ranges, name ranges, `def` lines) and their errors. */
export function shiftLines(stmts: readonly Stmt[], errors: readonly SyntaxError[], delta: number): void {
  if (delta === 0) return;
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      const x = o[key];
      if (key === 'r' || key === 'nameRange' || key === 'range') {
        const r = x as Mutable;
        r.startLine += delta;
        r.endLine += delta;
      } else if (key === 'defLine' && typeof x === 'number') o[key] = x + delta;
      else if (x && typeof x === 'object') visit(x);
    }
  };
  visit(stmts);
  for (const e of errors) visit(e);
}
