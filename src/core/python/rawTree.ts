// A plain-JS copy of a tree-sitter subtree, read with one cursor walk (each cursor property is a wasm call, so few are read).
import type { Language, TreeCursor } from 'web-tree-sitter';

export interface RawNode {
  readonly type: string;
  readonly field: string | null;
  readonly named: boolean;
  readonly missing: boolean;
  /** The subtree contains an ERROR or MISSING node. */
  readonly hasError: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startLine: number;
  readonly startCol: number;
  readonly endLine: number;
  readonly endCol: number;
  readonly children: RawNode[];
}

const ERROR_TYPE_ID = 65535;

/** Named node types that never have children: no need to ask the cursor (one wasm call per identifier saved). */
const LEAF_TYPES: ReadonlySet<string> = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'ellipsis', 'string_start', 'string_content', 'string_end', 'escape_sequence', 'keyword_separator', 'positional_separator', 'line_continuation', 'type_conversion']);

/** Per-language lookup tables and per-text line starts, so positions come from indices without wasm calls. */
export class RawTreeReader {
  private readonly named: (boolean | undefined)[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly lang: Language,
    text: string,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  private lineOf(index: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private isNamed(id: number): boolean {
    let v = this.named[id];
    if (v === undefined) v = this.named[id] = id === ERROR_TYPE_ID ? true : this.lang.nodeTypeIsNamed(id);
    return v;
  }

  /**
   * Copies the subtree at the cursor's current node (the cursor ends where it started). Comments are dropped.
   * Anonymous tokens (punctuation, keywords, operators) keep only their type unless `mayHaveErrors`, which
   * also reads their positions to find zero-width MISSING tokens: every cursor read is a wasm round trip.
   */
  copy(c: TreeCursor, mayHaveErrors = true): RawNode {
    const typeId = c.nodeTypeId;
    const named = this.isNamed(typeId);
    const type = typeId === ERROR_TYPE_ID ? 'ERROR' : this.lang.types[typeId] ?? 'ERROR';
    if (!named && !mayHaveErrors) {
      return { type, field: null, named, missing: false, hasError: false, startIndex: -1, endIndex: -1, startLine: -1, startCol: -1, endLine: -1, endCol: -1, children: [] };
    }
    const fieldId = named ? c.currentFieldId : 0;
    const start = c.startIndex;
    const end = c.endIndex;
    // MISSING nodes are zero-width; only those need the (costly) check.
    const missing = mayHaveErrors && start === end && c.nodeIsMissing;
    const startLine = this.lineOf(start);
    const endLine = end === start ? startLine : this.lineOf(end);
    const children: RawNode[] = [];
    let hasError = missing || type === 'ERROR';
    if (named && !LEAF_TYPES.has(type) && c.gotoFirstChild()) {
      do {
        if (c.nodeTypeId === this.commentId()) continue;
        const child = this.copy(c, mayHaveErrors);
        if (child.hasError) hasError = true;
        children.push(child);
      } while (c.gotoNextSibling());
      c.gotoParent();
    } else if (!named && mayHaveErrors && c.gotoFirstChild()) {
      // Tokens have no children, but an anonymous node inside an error region might.
      do {
        const child = this.copy(c, mayHaveErrors);
        if (child.hasError) hasError = true;
        children.push(child);
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    return {
      type,
      field: fieldId ? this.lang.fields[fieldId] ?? null : null,
      named,
      missing,
      hasError,
      startIndex: start,
      endIndex: end,
      startLine,
      startCol: start - this.lineStarts[startLine],
      endLine,
      endCol: end - this.lineStarts[endLine],
      children,
    };
  }

  private comment = -1;
  private commentId(): number {
    if (this.comment < 0) this.comment = this.lang.types.indexOf('comment');
    return this.comment;
  }
}
