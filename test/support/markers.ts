// Test helper: position markers inside Python samples (pyright-style), written as caret comments under the line they mark.
//
//     fused = torch.cat([a, b], dim=1)
//     #   ^ cat-line
//
// A marker line is a comment whose text is `^ name`; its caret's column marks that column of the nearest line above
// that is not itself a marker line (so several markers may follow one line).

export interface Marker {
  readonly name: string;
  /** 0-based line and column of the marked position. */
  readonly line: number;
  readonly col: number;
  /** The identifier at the position (empty when the caret is not on one). */
  readonly word: string;
  readonly lineText: string;
}

const MARKER_LINE = /^\s*#\s*\^\s+([\w.-]+)\s*$/;

/** Every marker of a source text, by name; a name used twice is an error in the sample. */
export function findMarkers(text: string): Map<string, Marker> {
  const lines = text.split('\n');
  const out = new Map<string, Marker>();
  let target = -1;
  lines.forEach((l, i) => {
    const m = MARKER_LINE.exec(l);
    if (!m) {
      target = i;
      return;
    }
    if (target < 0) throw new Error(`marker ${m[1]} on line ${i + 1} has no line above it`);
    if (out.has(m[1]!)) throw new Error(`marker ${m[1]} is defined twice`);
    const col = l.indexOf('^');
    const lineText = lines[target]!;
    out.set(m[1]!, { name: m[1]!, line: target, col, word: wordAt(lineText, col), lineText });
  });
  return out;
}

/** The marker `name` of a text; throws with the known names when it is missing. */
export function marker(markers: Map<string, Marker>, name: string): Marker {
  const m = markers.get(name);
  if (!m) throw new Error(`no marker ${name} (known: ${[...markers.keys()].join(', ')})`);
  return m;
}

function wordAt(line: string, col: number): string {
  const isWord = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);
  if (!isWord(line[col])) return '';
  let a = col;
  let b = col;
  while (isWord(line[a - 1])) a--;
  while (isWord(line[b])) b++;
  return line.slice(a, b);
}
