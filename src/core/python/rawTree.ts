// A plain-JS copy of a tree-sitter subtree, read with one cursor walk (each cursor property is a wasm call, so few are read).
import type { Language, TreeCursor } from 'web-tree-sitter';
import { publicCursorOps, type CursorOps, type DirectCursorAccess } from './cursorOps';

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

type MutableRawNode = { -readonly [K in keyof RawNode]: RawNode[K] };

const ERROR_TYPE_ID = 65535;

/** Named node types that never have children: no need to ask the cursor (one wasm call per identifier saved). */
const LEAF_TYPES: ReadonlySet<string> = new Set([
  'identifier',
  'integer',
  'float',
  'true',
  'false',
  'none',
  'ellipsis',
  'string_start',
  'string_content',
  'string_end',
  'escape_sequence',
  'keyword_separator',
  'positional_separator',
  'line_continuation',
  'type_conversion',
]);

/** Leaves whose length follows from the text, so their end needs no wasm call. */
const FIXED_LENGTH: ReadonlyMap<string, number> = new Map([
  ['true', 4],
  ['false', 5],
  ['none', 4],
]);
const IDENTIFIER_REST = /[_\p{XID_Continue}]*/uy;
/** The children of leaves read by copyFast (shared: nothing adds children to a built node). */
const NO_CHILDREN: RawNode[] = [];

/**
 * Parents whose children's fields the grammar fixes by position among the named children (the last name repeats),
 * in a tree without errors: their fields are not read from the cursor. Taken from tree-sitter-python's grammar.
 */
const POSITIONAL_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['attribute', ['object', 'attribute']],
  ['call', ['function', 'arguments']],
  ['keyword_argument', ['name', 'value']],
  ['binary_operator', ['left', 'right']],
  ['boolean_operator', ['left', 'right']],
  ['pair', ['key', 'value']],
  ['subscript', ['value', 'subscript']],
]);

/** Parents whose children's fields the AST conversion never asks for. */
const FIELDLESS: ReadonlySet<string> = new Set([
  'module',
  'block',
  'argument_list',
  'expression_statement',
  'parameters',
  'list',
  'tuple',
  'set',
  'dictionary',
  'expression_list',
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'string',
  'concatenated_string',
  'comparison_operator',
  'parenthesized_expression',
  'return_statement',
  'decorator',
  'typed_parameter',
  'list_splat',
  'dictionary_splat',
  'list_splat_pattern',
  'dictionary_splat_pattern',
  'conditional_expression',
  'slice',
  'type',
]);

/** Per-language lookup tables and per-text line starts, so positions come from indices without wasm calls. */
export class RawTreeReader {
  private readonly named: (boolean | undefined)[] = [];
  /** The one node per anonymous token type that copyFast gives (type only; never changed). */
  private readonly anonymous: MutableRawNode[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly lang: Language,
    private readonly text: string,
    /** Direct wasm reads for error-free statements (see cursorOps.ts); null: the public cursor API only. */
    private readonly direct: DirectCursorAccess | null = null,
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
   * With `mayHaveErrors` every property of every node is read from the cursor. Without it (a subtree tree-sitter
   * reports error-free), anonymous tokens keep only their type, and what the grammar already implies is not read:
   * fields fixed by position, a parent's start and end where its first and last children are named, identifier
   * lengths. Every cursor read is a wasm round trip; a test checks both modes give the same AST.
   */
  copy(c: TreeCursor, mayHaveErrors = true): RawNode {
    if (mayHaveErrors) return this.copyFull(c, c.nodeTypeId);
    if (!this.direct) {
      const ops = publicCursorOps(c);
      return this.copyFast(ops, ops.typeId(), true);
    }
    const ops = this.direct.open(c);
    try {
      return this.copyFast(ops, ops.typeId(), true);
    } finally {
      this.direct.close(c);
    }
  }

  private copyFull(c: TreeCursor, typeId: number): RawNode {
    const named = this.isNamed(typeId);
    const type = this.typeName(typeId);
    const fieldId = named ? c.currentFieldId : 0;
    const start = c.startIndex;
    const end = c.endIndex;
    // MISSING nodes are zero-width; only those need the (costly) check.
    const missing = start === end && c.nodeIsMissing;
    const children: RawNode[] = [];
    let hasError = missing || type === 'ERROR';
    // Tokens have no children, but an anonymous node inside an error region might.
    if ((!named || !LEAF_TYPES.has(type)) && c.gotoFirstChild()) {
      do {
        const childType = c.nodeTypeId;
        if (named && childType === this.commentId()) continue;
        const child = this.copyFull(c, childType);
        if (child.hasError) hasError = true;
        children.push(child);
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    return this.node(type, fieldId ? (this.lang.fields[fieldId] ?? null) : null, named, missing, hasError, start, end, children);
  }

  /** `readField`: false when the parent states its children's fields itself (or never asks for them). */
  private copyFast(c: CursorOps, typeId: number, readField: boolean): MutableRawNode {
    const named = this.isNamed(typeId);
    const type = this.typeName(typeId);
    // Anonymous tokens read this way carry only their type: one shared node per type (raw nodes are never changed
    // after their parent is built).
    if (!named) return (this.anonymous[typeId] ??= this.node(type, null, false, false, false, -1, -1, NO_CHILDREN));
    const fieldId = readField ? c.fieldId() : 0;
    const field = fieldId ? (this.lang.fields[fieldId] ?? null) : null;
    if (LEAF_TYPES.has(type)) {
      const start = c.startIndex();
      return this.node(type, field, true, false, false, start, this.leafEnd(c, type, start), NO_CHILDREN);
    }
    const children: MutableRawNode[] = [];
    const positional = POSITIONAL_FIELDS.get(type);
    const childFields = !positional && !FIELDLESS.has(type);
    // The first and last cursor children bound the node when they are named (comments are dropped, so not those).
    let firstBounds = false;
    let lastBounds = false;
    if (c.gotoFirstChild()) {
      let first = true;
      do {
        const childType = c.typeId();
        const child = childType === this.commentId() ? null : this.copyFast(c, childType, childFields);
        // Extras (comments, line continuations) may sit anywhere: they bound nothing and hold no field.
        const bounds = !!child && child.named && child.type !== 'line_continuation';
        if (first) firstBounds = bounds;
        first = false;
        lastBounds = bounds;
        if (child) children.push(child);
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    if (positional) {
      let i = 0;
      for (const child of children) if (child.named && child.type !== 'line_continuation') child.field = positional[Math.min(i++, positional.length - 1)];
    }
    const start = firstBounds ? children[0].startIndex : c.startIndex();
    const end = lastBounds ? children[children.length - 1].endIndex : c.endIndex();
    return this.node(type, field, true, false, false, start, end, children);
  }

  private leafEnd(c: CursorOps, type: string, start: number): number {
    if (type === 'identifier') {
      // ASCII letters, digits and `_` by char code (no match object per identifier); the regex from the first other char.
      const text = this.text;
      let end = start + 1;
      for (let ch = text.charCodeAt(end); end < text.length; ch = text.charCodeAt(++end)) {
        if (ch >= 128) {
          IDENTIFIER_REST.lastIndex = end;
          IDENTIFIER_REST.test(text);
          return IDENTIFIER_REST.lastIndex;
        }
        if (!((ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || (ch >= 48 && ch <= 57) || ch === 95)) break;
      }
      return end;
    }
    const fixed = FIXED_LENGTH.get(type);
    return fixed !== undefined ? start + fixed : c.endIndex();
  }

  private node(
    type: string,
    field: string | null,
    named: boolean,
    missing: boolean,
    hasError: boolean,
    start: number,
    end: number,
    children: RawNode[],
  ): MutableRawNode {
    if (start < 0)
      return { type, field, named, missing, hasError, startIndex: -1, endIndex: -1, startLine: -1, startCol: -1, endLine: -1, endCol: -1, children };
    const startLine = this.lineOf(start);
    const endLine = end === start ? startLine : this.lineOf(end);
    return {
      type,
      field,
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

  private typeName(typeId: number): string {
    return typeId === ERROR_TYPE_ID ? 'ERROR' : (this.lang.types[typeId] ?? 'ERROR');
  }

  private comment = -1;
  private commentId(): number {
    if (this.comment < 0) this.comment = this.lang.types.indexOf('comment');
    return this.comment;
  }
}
