// Finds the enclosing `class` and `def` of a line by indentation, for hovers on text the analysis does not index.

export interface SourceContext {
  readonly enclosingClass: string | null;
  readonly functionStart: number | null;
}

function indentOf(s: string): number {
  return s.length - s.trimStart().length;
}

/** `lineAt(i)` returns the text of line i; the scan walks upwards, stopping at the first top-level line. */
export function sourceContext(lineAt: (i: number) => string, line: number): SourceContext {
  let enclosingClass: string | null = null;
  let functionStart: number | null = null;
  let limit = indentOf(lineAt(line));
  if (/^\s*(class|def)\s/.test(lineAt(line))) limit += 1; // the header line itself belongs to its own block
  for (let i = line; i >= 0; i--) {
    const text = lineAt(i);
    if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const ind = indentOf(text);
    if (ind >= limit) continue;
    const cls = /^\s*class\s+(\w+)/.exec(text);
    const fn = /^\s*(?:async\s+)?def\s+\w+/.exec(text);
    if (fn && functionStart === null) functionStart = i;
    if (cls) {
      enclosingClass = cls[1]!;
      break;
    }
    limit = ind;
    if (ind === 0) break;
  }
  return { enclosingClass, functionStart };
}
