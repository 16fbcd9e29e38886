// Converts tree-sitter-python's concrete syntax (as RawNodes) into the small typed AST; unknown constructs become `unsupported`.
import type { Arg, ClassDef, CompFor, DictItem, ExceptHandler, Expr, FuncDef, ImportName, Param, Range, Stmt, SyntaxError } from './ast';
import type { RawNode } from './rawTree';

/** Converts one top-level node (statement or ERROR region) to statements, with the syntax errors inside it. */
export function toAstTopLevel(node: RawNode, text: string): { stmts: Stmt[]; errors: SyntaxError[] } {
  const conv = new Converter(text);
  const stmts = conv.block({ ...node, type: '<wrapper>', children: [node] });
  // One scan reports each ERROR/MISSING node once (conversion may meet some of them twice).
  conv.errors.length = 0;
  conv.collect(node);
  return { stmts, errors: conv.errors };
}

const rangeOf = (n: RawNode): Range => ({ startLine: n.startLine, startCol: n.startCol, endLine: n.endLine, endCol: n.endCol });

// Extras the grammar allows anywhere (comments, backslash continuations) are not part of any construct.
const named = (n: RawNode): RawNode[] => n.children.filter((c) => c.named && c.type !== 'line_continuation' && c.type !== 'comment');
const field = (n: RawNode, f: string): RawNode | null => n.children.find((c) => c.field === f) ?? null;
const fields = (n: RawNode, f: string): RawNode[] => n.children.filter((c) => c.field === f);

class Converter {
  readonly errors: SyntaxError[] = [];
  constructor(private readonly text: string) {}

  private src(n: RawNode): string {
    return this.text.slice(n.startIndex, n.endIndex);
  }

  /** Collects syntax errors (ERROR and MISSING nodes) below `n`; true when there are any. */
  private scanErrors(n: RawNode): boolean {
    if (!n.hasError) return false;
    let found = false;
    if (n.type === 'ERROR') {
      this.errors.push({ message: `syntax error near '${this.src(n).slice(0, 30).split('\n')[0]}'`, range: rangeOf(n) });
      found = true;
    } else if (n.missing) {
      this.errors.push({ message: `missing '${n.type}'`, range: rangeOf(n) });
      found = true;
    }
    for (const c of n.children) if (this.scanErrors(c)) found = true;
    return found;
  }

  collect(n: RawNode): void {
    this.scanErrors(n);
  }

  block(n: RawNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of n.children) {
      if (!c.named) continue;
      if (c.type === 'ERROR') {
        this.scanErrors(c);
        // An ERROR node may still wrap complete class or function definitions: keep those.
        for (const inner of named(c)) {
          if (inner.type === 'class_definition' || inner.type === 'function_definition' || inner.type === 'decorated_definition') out.push(this.stmt(inner));
        }
        out.push({ k: 'error', r: rangeOf(c) });
        continue;
      }
      out.push(this.stmt(c));
    }
    return out;
  }

  private body(n: RawNode | null): Stmt[] {
    return n ? this.block(n) : [];
  }

  stmt(n: RawNode): Stmt {
    const r = rangeOf(n);
    switch (n.type) {
      case 'expression_statement': {
        const kids = named(n);
        if (kids.length === 1) {
          const e = kids[0];
          if (e.type === 'assignment') return this.assignment(e, r);
          if (e.type === 'augmented_assignment') {
            const opTok = n.children[0].children.find((c) => !c.named && c.type.endsWith('='));
            return { k: 'augassign', r, target: this.expr(field(e, 'left')!), op: (opTok?.type ?? '+=').slice(0, -1), value: this.expr(field(e, 'right')!) };
          }
          return { k: 'expr', r, value: this.expr(e) };
        }
        return { k: 'expr', r, value: { k: 'tuple', r, elts: kids.map((c) => this.expr(c)) } };
      }
      case 'return_statement': {
        const kids = named(n);
        return { k: 'return', r, value: kids.length ? this.exprList(kids, r) : null };
      }
      case 'pass_statement':
        return { k: 'pass', r };
      case 'break_statement':
        return { k: 'break', r };
      case 'continue_statement':
        return { k: 'continue', r };
      case 'delete_statement': {
        const kids = named(n);
        const targets = kids.length === 1 && kids[0].type === 'expression_list' ? named(kids[0]) : kids;
        return { k: 'del', r, targets: targets.map((c) => this.expr(c)) };
      }
      case 'global_statement':
      case 'nonlocal_statement':
        return { k: n.type === 'global_statement' ? 'global' : 'nonlocal', r, names: named(n).map((c) => this.src(c)) };
      case 'if_statement':
        return this.ifStmt(n, r);
      case 'for_statement': {
        const alt = field(n, 'alternative');
        return {
          k: 'for',
          r,
          target: this.expr(field(n, 'left')!),
          iter: this.exprOrList(field(n, 'right')!),
          body: this.body(field(n, 'body')),
          orelse: alt ? this.body(field(alt, 'body')) : [],
        };
      }
      case 'while_statement': {
        const alt = field(n, 'alternative');
        return { k: 'while', r, test: this.expr(field(n, 'condition')!), body: this.body(field(n, 'body')), orelse: alt ? this.body(field(alt, 'body')) : [] };
      }
      case 'with_statement': {
        const clause = n.children.find((c) => c.type === 'with_clause');
        const items = (clause ? named(clause) : [])
          .filter((c) => c.type === 'with_item')
          .map((item) => {
            const v = field(item, 'value') ?? named(item)[0];
            if (v.type === 'as_pattern') {
              const kids = named(v);
              const alias = field(v, 'alias');
              const target = alias ? (named(alias)[0] ?? alias) : null;
              return { ctx: this.expr(kids[0]), target: target ? this.expr(target) : null };
            }
            return { ctx: this.expr(v), target: null };
          });
        return { k: 'with', r, items, body: this.body(field(n, 'body')) };
      }
      case 'try_statement': {
        const handlers: ExceptHandler[] = [];
        let orelse: Stmt[] = [];
        let final: Stmt[] = [];
        for (const c of named(n)) {
          if (c.type === 'except_clause' || c.type === 'except_group_clause') {
            const blk = c.children.find((x) => x.type === 'block') ?? null;
            const v = named(c).find((x) => x.type !== 'block') ?? null;
            let type: Expr | null = null;
            let name: string | null = null;
            if (v && v.type === 'as_pattern') {
              type = this.expr(named(v)[0]);
              const alias = field(v, 'alias');
              name = alias ? this.src(alias) : null;
            } else if (v) type = this.expr(v);
            handlers.push({ type, name, body: this.body(blk) });
          } else if (c.type === 'else_clause') orelse = this.body(field(c, 'body'));
          else if (c.type === 'finally_clause') final = this.body(c.children.find((x) => x.type === 'block') ?? null);
        }
        return { k: 'try', r, body: this.body(field(n, 'body')), handlers, orelse, final };
      }
      case 'raise_statement': {
        const kids = named(n);
        return { k: 'raise', r, exc: kids.length ? this.expr(kids[0]) : null };
      }
      case 'assert_statement': {
        const kids = named(n);
        return { k: 'assert', r, test: this.expr(kids[0]), msg: kids[1] ? this.expr(kids[1]) : null };
      }
      case 'import_statement':
        return { k: 'import', r, names: fields(n, 'name').map((c) => this.importName(c)) };
      case 'import_from_statement': {
        const mod = field(n, 'module_name');
        let module = '';
        let level = 0;
        if (mod && mod.type === 'relative_import') {
          const prefix = mod.children.find((c) => c.type === 'import_prefix');
          level = prefix ? this.src(prefix).length : 0;
          const dn = mod.children.find((c) => c.type === 'dotted_name');
          module = dn ? this.src(dn) : '';
        } else if (mod) module = this.src(mod);
        const star = n.children.some((c) => c.type === 'wildcard_import');
        return { k: 'importfrom', r, module, level, names: fields(n, 'name').map((c) => this.importName(c)), star };
      }
      case 'function_definition':
        return this.funcDef(n, [], r);
      case 'class_definition':
        return this.classDef(n, [], r);
      case 'decorated_definition': {
        const decorators = n.children.filter((c) => c.type === 'decorator').map((d) => this.expr(named(d)[0]));
        const def = field(n, 'definition')!;
        if (def.type === 'class_definition') return this.classDef(def, decorators, r);
        return this.funcDef(def, decorators, r);
      }
      default:
        this.scanErrors(n);
        return { k: 'unsupported', r, what: n.type.replace(/_statement$/, '') };
    }
  }

  private importName(c: RawNode): ImportName {
    if (c.type === 'aliased_import') return { name: this.src(field(c, 'name')!), asname: this.src(field(c, 'alias')!) };
    return { name: this.src(c), asname: null };
  }

  private assignment(e: RawNode, r: Range): Stmt {
    const left = field(e, 'left')!;
    const right = field(e, 'right');
    const type = field(e, 'type');
    if (type && !right) return { k: 'annassign', r, target: this.expr(left), value: null };
    if (type) return { k: 'annassign', r, target: this.expr(left), value: this.exprOrList(right!) };
    // `a = b = c` nests assignments on the right.
    const targets: Expr[] = [this.expr(left)];
    let value = right!;
    while (value.type === 'assignment' && field(value, 'right')) {
      targets.push(this.expr(field(value, 'left')!));
      value = field(value, 'right')!;
    }
    return { k: 'assign', r, targets, value: this.exprOrList(value) };
  }

  private ifStmt(n: RawNode, r: Range): Stmt {
    const test = this.expr(field(n, 'condition')!);
    const body = this.body(field(n, 'consequence'));
    const alts = fields(n, 'alternative');
    let orelse: Stmt[] = [];
    for (let i = alts.length - 1; i >= 0; i--) {
      const a = alts[i];
      if (a.type === 'else_clause') orelse = this.body(field(a, 'body'));
      else
        orelse = [
          {
            k: 'if',
            r: { ...rangeOf(a), endLine: r.endLine, endCol: r.endCol },
            test: this.expr(field(a, 'condition')!),
            body: this.body(field(a, 'consequence')),
            orelse,
          },
        ];
    }
    return { k: 'if', r, test, body, orelse };
  }

  private params(n: RawNode | null): Param[] {
    if (!n) return [];
    const out: Param[] = [];
    let kwOnly = false;
    for (const c of named(n)) {
      const r = rangeOf(c);
      switch (c.type) {
        case 'identifier':
          out.push({ name: this.src(c), kind: 'normal', keywordOnly: kwOnly, default: null, r });
          break;
        case 'typed_parameter': {
          const inner = named(c)[0];
          if (inner.type === 'list_splat_pattern') {
            out.push({ name: this.src(named(inner)[0]), kind: 'star', keywordOnly: false, default: null, r });
            kwOnly = true;
          } else if (inner.type === 'dictionary_splat_pattern')
            out.push({ name: this.src(named(inner)[0]), kind: 'dstar', keywordOnly: false, default: null, r });
          else out.push({ name: this.src(inner), kind: 'normal', keywordOnly: kwOnly, default: null, r });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter':
          out.push({ name: this.src(field(c, 'name')!), kind: 'normal', keywordOnly: kwOnly, default: this.expr(field(c, 'value')!), r });
          break;
        case 'list_splat_pattern':
          out.push({ name: this.src(named(c)[0]), kind: 'star', keywordOnly: false, default: null, r });
          kwOnly = true;
          break;
        case 'dictionary_splat_pattern':
          out.push({ name: this.src(named(c)[0]), kind: 'dstar', keywordOnly: false, default: null, r });
          break;
        case 'keyword_separator':
          kwOnly = true;
          break;
        default:
          break; // positional_separator: positional-only is treated as normal
      }
    }
    return out;
  }

  private funcDef(n: RawNode, decorators: Expr[], r: Range): FuncDef {
    const nameNode = field(n, 'name')!;
    return {
      k: 'def',
      r,
      name: this.src(nameNode),
      nameRange: rangeOf(nameNode),
      params: this.params(field(n, 'parameters')),
      body: this.body(field(n, 'body')),
      decorators,
      defLine: n.startLine,
    };
  }

  private classDef(n: RawNode, decorators: Expr[], r: Range): ClassDef {
    const nameNode = field(n, 'name')!;
    const before = this.errors.length;
    const hasErr = n.hasError;
    const bases: Expr[] = [];
    const keywords: Arg[] = [];
    const sup = field(n, 'superclasses');
    if (sup) {
      for (const a of this.args(sup)) {
        if (a.kind === 'pos') bases.push(a.value);
        else keywords.push(a);
      }
    }
    const body = this.body(field(n, 'body'));
    if (hasErr && this.errors.length === before) this.scanErrors(n);
    return { k: 'class', r, name: this.src(nameNode), nameRange: rangeOf(nameNode), bases, keywords, body, decorators, broken: hasErr };
  }

  private args(n: RawNode): Arg[] {
    const out: Arg[] = [];
    for (const c of named(n)) {
      if (c.type === 'keyword_argument') out.push({ kind: 'kw', name: this.src(field(c, 'name')!), value: this.expr(field(c, 'value')!) });
      else if (c.type === 'list_splat') out.push({ kind: 'star', value: this.expr(named(c)[0]) });
      else if (c.type === 'dictionary_splat') out.push({ kind: 'dstar', value: this.expr(named(c)[0]) });
      else out.push({ kind: 'pos', value: this.expr(c) });
    }
    return out;
  }

  private exprList(kids: RawNode[], r: Range): Expr {
    if (kids.length === 1) return this.exprOrList(kids[0]);
    return { k: 'tuple', r, elts: kids.map((c) => this.expr(c)) };
  }

  private exprOrList(n: RawNode): Expr {
    return this.expr(n);
  }

  private compFors(n: RawNode): CompFor[] {
    const gens: { target: Expr; iter: Expr; ifs: Expr[] }[] = [];
    for (const c of named(n)) {
      if (c.type === 'for_in_clause') {
        const rights = fields(c, 'right');
        const iter = rights.length === 1 ? this.expr(rights[0]) : ({ k: 'tuple', r: rangeOf(c), elts: rights.map((x) => this.expr(x)) } as Expr);
        gens.push({ target: this.expr(field(c, 'left')!), iter, ifs: [] });
      } else if (c.type === 'if_clause' && gens.length) gens[gens.length - 1].ifs.push(this.expr(named(c)[0]));
    }
    return gens;
  }

  expr(n: RawNode): Expr {
    const r = rangeOf(n);
    switch (n.type) {
      case 'identifier':
        return { k: 'name', r, id: this.src(n) };
      case 'integer': {
        const s = this.src(n).replace(/_/g, '').replace(/[lL]$/, '');
        if (/[jJ]$/.test(s)) return { k: 'unsupported', r, what: 'complex number' };
        const v = /^0[oO]/.test(s) ? parseInt(s.slice(2), 8) : /^0[bB]/.test(s) ? parseInt(s.slice(2), 2) : Number(s);
        return { k: 'int', r, value: v };
      }
      case 'float': {
        const s = this.src(n).replace(/_/g, '');
        if (/[jJ]$/.test(s)) return { k: 'unsupported', r, what: 'complex number' };
        return { k: 'float', r, value: Number(s) };
      }
      case 'true':
        return { k: 'bool', r, value: true };
      case 'false':
        return { k: 'bool', r, value: false };
      case 'none':
        return { k: 'none', r };
      case 'ellipsis':
        return { k: 'ellipsis', r };
      case 'string':
        return this.string(n);
      case 'concatenated_string': {
        const parts = named(n).map((c) => this.string(c));
        if (parts.every((p) => p.k === 'str')) return { k: 'str', r, value: parts.map((p) => (p.k === 'str' ? p.value : '')).join('') };
        const all: (string | Expr)[] = [];
        for (const p of parts) {
          if (p.k === 'str') all.push(p.value);
          else if (p.k === 'fstr') all.push(...p.parts);
        }
        return { k: 'fstr', r, parts: all };
      }
      case 'attribute': {
        const a = field(n, 'attribute')!;
        return { k: 'attr', r, obj: this.expr(field(n, 'object')!), name: this.src(a), nameRange: rangeOf(a) };
      }
      case 'subscript': {
        const subs = fields(n, 'subscript');
        // The implied tuple gets its own range object: ranges are shifted in place when lines move (shiftLines).
        const index = subs.length === 1 ? this.expr(subs[0]) : ({ k: 'tuple', r: { ...r }, elts: subs.map((s) => this.expr(s)) } as Expr);
        return { k: 'sub', r, obj: this.expr(field(n, 'value')!), index };
      }
      case 'slice': {
        // Parts are separated by ':' tokens; an absent part has no node between them.
        const parts: (Expr | null)[] = [null, null, null];
        let i = 0;
        for (const c of n.children) {
          if (!c.named && c.type === ':') i++;
          else if (c.named && i < 3) parts[i] = this.expr(c);
        }
        return { k: 'slice', r, lower: parts[0], upper: parts[1], step: parts[2] };
      }
      case 'call': {
        const argsNode = field(n, 'arguments')!;
        const func = this.expr(field(n, 'function')!);
        if (argsNode.type === 'generator_expression') return { k: 'call', r, func, args: [{ kind: 'pos', value: this.expr(argsNode) }] };
        return { k: 'call', r, func, args: this.args(argsNode) };
      }
      case 'binary_operator': {
        const op = n.children.find((c) => !c.named);
        return { k: 'bin', r, op: op ? op.type : '?', left: this.expr(field(n, 'left')!), right: this.expr(field(n, 'right')!) };
      }
      case 'unary_operator': {
        const op = n.children.find((c) => !c.named);
        return { k: 'unary', r, op: (op?.type ?? '-') as '-' | '+' | '~', operand: this.expr(field(n, 'argument')!) };
      }
      case 'not_operator':
        return { k: 'unary', r, op: 'not', operand: this.expr(field(n, 'argument')!) };
      case 'boolean_operator': {
        const op = n.children.find((c) => !c.named);
        return { k: 'boolop', r, op: op?.type === 'or' ? 'or' : 'and', left: this.expr(field(n, 'left')!), right: this.expr(field(n, 'right')!) };
      }
      case 'comparison_operator': {
        const operands: Expr[] = [];
        const ops: string[] = [];
        let pending = '';
        for (const c of n.children) {
          if (c.named) {
            if (pending) ops.push(pending.trim());
            pending = '';
            operands.push(this.expr(c));
          } else pending += ' ' + c.type;
        }
        return { k: 'compare', r, left: operands[0], ops: ops.map((o) => o.replace(/\s+/g, ' ')), rights: operands.slice(1) };
      }
      case 'conditional_expression': {
        const [body, test, orelse] = named(n);
        return { k: 'ifexp', r, body: this.expr(body), test: this.expr(test), orelse: this.expr(orelse) };
      }
      case 'parenthesized_expression': {
        const kids = named(n);
        return kids.length === 1 ? this.expr(kids[0]) : { k: 'unsupported', r, what: 'parenthesized expression' };
      }
      case 'tuple':
      case 'expression_list':
      case 'pattern_list':
      case 'tuple_pattern':
        return { k: 'tuple', r, elts: named(n).map((c) => this.expr(c)) };
      case 'list':
      case 'list_pattern':
        return { k: 'list', r, elts: named(n).map((c) => this.expr(c)) };
      case 'set':
        return { k: 'set', r, elts: named(n).map((c) => this.expr(c)) };
      case 'dictionary': {
        const items: DictItem[] = [];
        for (const c of named(n)) {
          if (c.type === 'pair') items.push({ key: this.expr(field(c, 'key')!), value: this.expr(field(c, 'value')!) });
          else if (c.type === 'dictionary_splat') items.push({ splat: this.expr(named(c)[0]) });
        }
        return { k: 'dict', r, items };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression': {
        const kind = n.type === 'list_comprehension' ? 'list' : n.type === 'set_comprehension' ? 'set' : 'gen';
        return { k: 'comp', r, kind, elt: this.expr(field(n, 'body')!), value: null, gens: this.compFors(n) };
      }
      case 'dictionary_comprehension': {
        const pair = field(n, 'body')!;
        return { k: 'comp', r, kind: 'dict', elt: this.expr(field(pair, 'key')!), value: this.expr(field(pair, 'value')!), gens: this.compFors(n) };
      }
      case 'lambda':
        return { k: 'lambda', r, params: this.params(field(n, 'parameters')), body: this.expr(field(n, 'body')!) };
      case 'list_splat':
      case 'list_splat_pattern':
        return { k: 'starred', r, value: this.expr(named(n)[0]) };
      case 'dictionary_splat':
        return { k: 'starred', r, value: this.expr(named(n)[0]), double: true };
      case 'named_expression':
        return { k: 'walrus', r, target: this.src(field(n, 'name')!), value: this.expr(field(n, 'value')!) };
      case 'keyword_argument':
        return this.expr(field(n, 'value')!);
      default:
        this.scanErrors(n);
        return { k: 'unsupported', r, what: n.type.replace(/_/g, ' ') };
    }
  }

  private string(n: RawNode): Expr {
    const r = rangeOf(n);
    if (n.type !== 'string') return this.expr(n);
    const start = n.children.find((c) => c.type === 'string_start');
    const prefix = start ? this.src(start).replace(/['"]/g, '').toLowerCase() : '';
    const raw = prefix.includes('r');
    const parts: (string | Expr)[] = [];
    for (const c of n.children) {
      if (c.type === 'string_content') parts.push(raw ? this.src(c) : unescape(this.src(c)));
      else if (c.type === 'escape_sequence') parts.push(raw ? this.src(c) : unescape(this.src(c)));
      else if (c.type === 'interpolation') {
        const e = field(c, 'expression') ?? named(c)[0];
        if (e) parts.push(this.interpolation(c, this.expr(e)));
      }
    }
    if (parts.every((p) => typeof p === 'string')) return { k: 'str', r, value: parts.join('') };
    return { k: 'fstr', r, parts };
  }

  /**
   * `{x!r:>{w}}` in an f-string: the conversion and format spec become calls of the builtins that define them
   * (`__fstring_format__(__fstring_convert__(x, 'r'), f'>{w}')`, names no program shadows); plain `{x}` stays `x`.
   */
  private interpolation(c: RawNode, value: Expr): Expr {
    const r = rangeOf(c);
    const conv = c.children.find((x) => x.type === 'type_conversion');
    const spec = c.children.find((x) => x.type === 'format_specifier');
    let v = value;
    const call = (fn: string, args: Expr[]): Expr => ({
      k: 'call',
      r,
      func: { k: 'name', r, id: fn },
      args: args.map((a) => ({ kind: 'pos' as const, value: a })),
    });
    if (conv) v = call('__fstring_convert__', [v, { k: 'str', r, value: this.src(conv).slice(1) }]);
    if (spec) {
      const parts: (string | Expr)[] = [];
      let at = spec.startIndex + 1;
      for (const x of spec.children) {
        if (x.type !== 'format_expression') continue;
        if (x.startIndex > at) parts.push(this.text.slice(at, x.startIndex));
        const inner = named(x)[0];
        if (inner) parts.push(this.expr(inner));
        at = x.endIndex;
      }
      if (spec.endIndex > at) parts.push(this.text.slice(at, spec.endIndex));
      const specExpr: Expr = parts.every((p) => typeof p === 'string') ? { k: 'str', r, value: parts.join('') } : { k: 'fstr', r, parts };
      v = call('__fstring_format__', [v, specExpr]);
    }
    return v;
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (m, c: string) => ESCAPES[c] ?? m);
}

export type { ClassDef, FuncDef };
