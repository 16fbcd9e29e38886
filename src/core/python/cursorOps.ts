// The cursor reads of a tree walk, two ways: web-tree-sitter's public TreeCursor, or its wasm exports called
// directly. The public getters copy the cursor's four-word state into wasm memory before every call and back
// after every move, which costs more than the calls themselves (a 1,000-line file: ~48k reads, 7 ms of a 2 ms
// walk). The direct reads leave the state in web-tree-sitter's transfer buffer, where the same C functions read
// and move it, and copy it back to the JS cursor once at the end.
//
// The direct path uses web-tree-sitter internals of the pinned version (0.25.6): the emscripten module is the
// options object given to Parser.init, a Tree keeps its address at [0], a TreeCursor its state at [0..3], and
// `_ts_init` returns the transfer buffer. `probeDirectAccess` checks every one of these and then compares a direct
// walk with a public one on a sample; anything unexpected leaves the public path in use.
import type { Parser, TreeCursor } from 'web-tree-sitter';

export interface CursorOps {
  typeId(): number;
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

export function publicCursorOps(c: TreeCursor): CursorOps {
  return {
    typeId: () => c.nodeTypeId,
    fieldId: () => c.currentFieldId,
    startIndex: () => c.startIndex,
    endIndex: () => c.endIndex,
    gotoFirstChild: () => c.gotoFirstChild(),
    gotoNextSibling: () => c.gotoNextSibling(),
    gotoParent: () => c.gotoParent(),
  };
}

/** The exports of web-tree-sitter's emscripten module that the direct path calls. */
interface TreeSitterModule {
  readonly HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}

const FUNCTIONS = [
  '_ts_init',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
] as const;

type CursorState = { [i: number]: number; readonly tree: { readonly [i: number]: number } };

/** Direct cursor reads through the module's exports; `open` before a walk, `close` after it (also on errors). */
export class DirectCursorAccess {
  private constructor(
    private readonly mod: TreeSitterModule,
    private readonly transfer: number,
  ) {}

  /** The direct path when `moduleOptions` became web-tree-sitter's module and the probe agrees, else null. */
  static probe(moduleOptions: object, parser: Parser, sample: string): DirectCursorAccess | null {
    try {
      const mod = moduleOptions as Partial<TreeSitterModule>;
      if (!(mod.HEAP32 instanceof Int32Array) || FUNCTIONS.some((f) => typeof mod[f] !== 'function')) return null;
      const access = new DirectCursorAccess(mod as TreeSitterModule, (mod as TreeSitterModule)._ts_init());
      return access.agreesWithPublicWalk(parser, sample) ? access : null;
    } catch {
      return null;
    }
  }

  /** Starts a walk at the cursor's current node (its state goes to the transfer buffer). */
  open(c: TreeCursor): CursorOps {
    const m = this.mod;
    const tree = (c as unknown as CursorState).tree[0]!;
    // Any public read writes the cursor's state into the transfer buffer; the direct calls continue from there.
    void c.nodeTypeId;
    return {
      typeId: () => m._ts_tree_cursor_current_node_type_id_wasm(tree),
      fieldId: () => m._ts_tree_cursor_current_field_id_wasm(tree),
      startIndex: () => m._ts_tree_cursor_start_index_wasm(tree),
      endIndex: () => m._ts_tree_cursor_end_index_wasm(tree),
      gotoFirstChild: () => m._ts_tree_cursor_goto_first_child_wasm(tree) === 1,
      gotoNextSibling: () => m._ts_tree_cursor_goto_next_sibling_wasm(tree) === 1,
      gotoParent: () => m._ts_tree_cursor_goto_parent_wasm(tree) === 1,
    };
  }

  /** Ends a walk: the JS cursor takes the state the direct calls left (its stack may have been reallocated). */
  close(c: TreeCursor): void {
    const heap = this.mod.HEAP32; // re-read: the views are replaced when wasm memory grows
    const at = this.transfer >> 2;
    const state = c as unknown as CursorState;
    for (let i = 0; i < 4; i++) state[i] = heap[at + i]!;
  }

  /** Walks `sample` both ways and compares every read and move (each direct step opens and closes the walk). */
  private agreesWithPublicWalk(parser: Parser, sample: string): boolean {
    const tree = parser.parse(sample);
    if (!tree) return false;
    const a = tree.walk();
    const b = tree.walk();
    const pub = publicCursorOps(b);
    const step = <T>(f: (ops: CursorOps) => T): T => {
      const ops = this.open(a);
      try {
        return f(ops);
      } finally {
        this.close(a);
      }
    };
    const reads = (ops: CursorOps): string => `${ops.typeId()}:${ops.fieldId()}:${ops.startIndex()}:${ops.endIndex()}`;
    try {
      for (let visited = 0; visited < 100_000; visited++) {
        if (step(reads) !== reads(pub)) return false;
        const down = pub.gotoFirstChild();
        if (step((o) => o.gotoFirstChild()) !== down) return false;
        if (down) continue;
        for (;;) {
          const next = pub.gotoNextSibling();
          if (step((o) => o.gotoNextSibling()) !== next) return false;
          if (next) break;
          const up = pub.gotoParent();
          if (step((o) => o.gotoParent()) !== up) return false;
          if (!up) return visited > 10;
        }
      }
      return false;
    } finally {
      a.delete();
      b.delete();
      tree.delete();
    }
  }
}
