// Keeps the last good analysis of a class that does not parse right now, marked stale.
import type { DocumentAnalysis, ModelEntry } from './analysisTypes';

/**
 * While a class does not parse, keep showing its last good analysis marked stale (DESIGN: broken
 * text must not blank the editor). A class that parses again replaces its stale entry.
 */
export function mergeStale(fresh: DocumentAnalysis, previous: DocumentAnalysis | undefined): DocumentAnalysis {
  if (!previous) return fresh;
  const models: ModelEntry[] = [];
  for (const m of fresh.models) {
    const old = previous.models.find((p) => p.className === m.className);
    if (m.stale && old && old.graph && !m.graph) {
      models.push({ ...old, stale: true, classRange: m.classRange, nameRange: m.nameRange });
    } else {
      models.push(m);
    }
  }
  // A class swallowed whole by a syntax error disappears from the fresh parse: keep its old entry.
  const hasSyntaxError = fresh.diagnostics.some((d) => d.code === 'syntax');
  if (hasSyntaxError) {
    for (const old of previous.models) {
      if (old.graph && !models.some((m) => m.className === old.className)) models.push({ ...old, stale: true });
    }
  }
  return { ...fresh, models };
}
