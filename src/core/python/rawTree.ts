// A plain-JS copy of a tree-sitter subtree, read with one cursor walk (node objects cost a wasm call per property).
import type { Tree, TreeCursor } from 'web-tree-sitter';

export interface RawNode {
  readonly type: string;
  readonly field: string | null;
  readonly named: boolean;
  readonly missing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startLine: number;
  readonly startCol: number;
  readonly endLine: number;
  readonly endCol: number;
  readonly children: RawNode[];
}

/** Copies the whole tree; comments are dropped. */
export function rawTree(tree: Tree): RawNode {
  const cursor = tree.walk();
  try {
    return copy(cursor);
  } finally {
    cursor.delete();
  }
}

function copy(c: TreeCursor): RawNode {
  const sp = c.startPosition;
  const ep = c.endPosition;
  const node: RawNode = {
    type: c.nodeType,
    field: c.currentFieldName,
    named: c.nodeIsNamed,
    missing: c.nodeIsMissing,
    startIndex: c.startIndex,
    endIndex: c.endIndex,
    startLine: sp.row,
    startCol: sp.column,
    endLine: ep.row,
    endCol: ep.column,
    children: [],
  };
  if (c.gotoFirstChild()) {
    do {
      if (c.nodeType === 'comment') continue;
      node.children.push(copy(c));
    } while (c.gotoNextSibling());
    c.gotoParent();
  }
  return node;
}
