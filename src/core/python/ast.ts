// The small typed Python AST the interpreter reads (built from tree-sitter's concrete syntax tree).

/** 0-based lines and columns (UTF-16 code units), as in VS Code and tree-sitter. */
export interface Range {
  readonly startLine: number;
  readonly startCol: number;
  readonly endLine: number;
  readonly endCol: number;
}

interface Node {
  readonly r: Range;
}

export type Expr =
  | (Node & { readonly k: 'name'; readonly id: string })
  | (Node & { readonly k: 'int'; readonly value: number })
  | (Node & { readonly k: 'float'; readonly value: number })
  | (Node & { readonly k: 'str'; readonly value: string })
  /** f-string: literal parts and interpolated expressions in order. */
  | (Node & { readonly k: 'fstr'; readonly parts: readonly (string | Expr)[] })
  | (Node & { readonly k: 'bool'; readonly value: boolean })
  | (Node & { readonly k: 'none' })
  | (Node & { readonly k: 'ellipsis' })
  | (Node & { readonly k: 'attr'; readonly obj: Expr; readonly name: string; readonly nameRange: Range })
  | (Node & { readonly k: 'sub'; readonly obj: Expr; readonly index: Expr })
  | (Node & { readonly k: 'slice'; readonly lower: Expr | null; readonly upper: Expr | null; readonly step: Expr | null })
  | (Node & { readonly k: 'call'; readonly func: Expr; readonly args: readonly Arg[] })
  | (Node & { readonly k: 'bin'; readonly op: string; readonly left: Expr; readonly right: Expr })
  | (Node & { readonly k: 'unary'; readonly op: '-' | '+' | '~' | 'not'; readonly operand: Expr })
  | (Node & { readonly k: 'boolop'; readonly op: 'and' | 'or'; readonly left: Expr; readonly right: Expr })
  | (Node & { readonly k: 'compare'; readonly left: Expr; readonly ops: readonly string[]; readonly rights: readonly Expr[] })
  | (Node & { readonly k: 'ifexp'; readonly body: Expr; readonly test: Expr; readonly orelse: Expr })
  | (Node & { readonly k: 'tuple' | 'list' | 'set'; readonly elts: readonly Expr[] })
  | (Node & { readonly k: 'dict'; readonly items: readonly DictItem[] })
  | (Node & {
      readonly k: 'comp';
      readonly kind: 'list' | 'set' | 'dict' | 'gen';
      readonly elt: Expr;
      readonly value: Expr | null;
      readonly gens: readonly CompFor[];
    })
  | (Node & { readonly k: 'lambda'; readonly params: readonly Param[]; readonly body: Expr })
  | (Node & { readonly k: 'starred'; readonly value: Expr; readonly double?: boolean })
  | (Node & { readonly k: 'walrus'; readonly target: string; readonly value: Expr })
  | (Node & { readonly k: 'unsupported'; readonly what: string });

export type Arg =
  | { readonly kind: 'pos'; readonly value: Expr }
  | { readonly kind: 'star'; readonly value: Expr }
  | { readonly kind: 'kw'; readonly name: string; readonly value: Expr }
  | { readonly kind: 'dstar'; readonly value: Expr };

export type DictItem = { readonly key: Expr; readonly value: Expr } | { readonly splat: Expr };

export interface CompFor {
  readonly target: Expr;
  readonly iter: Expr;
  readonly ifs: readonly Expr[];
}

export interface Param {
  readonly name: string;
  readonly kind: 'normal' | 'star' | 'dstar';
  readonly keywordOnly: boolean;
  readonly default: Expr | null;
  readonly r: Range;
}

export interface ExceptHandler {
  readonly type: Expr | null;
  readonly name: string | null;
  readonly body: readonly Stmt[];
}

export interface FuncDef extends Node {
  readonly k: 'def';
  readonly name: string;
  readonly nameRange: Range;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly decorators: readonly Expr[];
  /** Line of the `def` keyword (decorators may start earlier). */
  readonly defLine: number;
}

export interface ClassDef extends Node {
  readonly k: 'class';
  readonly name: string;
  readonly nameRange: Range;
  readonly bases: readonly Expr[];
  readonly keywords: readonly Arg[];
  readonly body: readonly Stmt[];
  readonly decorators: readonly Expr[];
  /** True when a syntax error lies inside the class. */
  readonly broken: boolean;
}

export interface ImportName {
  readonly name: string;
  readonly asname: string | null;
}

export type Stmt =
  | (Node & { readonly k: 'expr'; readonly value: Expr })
  | (Node & { readonly k: 'assign'; readonly targets: readonly Expr[]; readonly value: Expr })
  | (Node & { readonly k: 'augassign'; readonly target: Expr; readonly op: string; readonly value: Expr })
  | (Node & { readonly k: 'annassign'; readonly target: Expr; readonly value: Expr | null })
  | (Node & { readonly k: 'return'; readonly value: Expr | null })
  | (Node & { readonly k: 'pass' | 'break' | 'continue' })
  | (Node & { readonly k: 'del'; readonly targets: readonly Expr[] })
  | (Node & { readonly k: 'global' | 'nonlocal'; readonly names: readonly string[] })
  | (Node & { readonly k: 'if'; readonly test: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] })
  | (Node & { readonly k: 'for'; readonly target: Expr; readonly iter: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] })
  | (Node & { readonly k: 'while'; readonly test: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] })
  | (Node & { readonly k: 'with'; readonly items: readonly { readonly ctx: Expr; readonly target: Expr | null }[]; readonly body: readonly Stmt[] })
  | (Node & {
      readonly k: 'try';
      readonly body: readonly Stmt[];
      readonly handlers: readonly ExceptHandler[];
      readonly orelse: readonly Stmt[];
      readonly final: readonly Stmt[];
    })
  | (Node & { readonly k: 'raise'; readonly exc: Expr | null })
  | (Node & { readonly k: 'assert'; readonly test: Expr; readonly msg: Expr | null })
  | (Node & { readonly k: 'import'; readonly names: readonly ImportName[] })
  | (Node & { readonly k: 'importfrom'; readonly module: string; readonly level: number; readonly names: readonly ImportName[]; readonly star: boolean })
  | FuncDef
  | ClassDef
  | (Node & { readonly k: 'unsupported'; readonly what: string })
  /** A tree-sitter ERROR region inside a block: skipped, reported as a syntax error. */
  | (Node & { readonly k: 'error' });

export interface SyntaxError {
  readonly message: string;
  readonly range: Range;
}

export interface PyModule {
  readonly body: readonly Stmt[];
  readonly syntaxErrors: readonly SyntaxError[];
}
