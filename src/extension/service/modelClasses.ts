// Finds the nn.Module classes of a parsed file, which of them are models (not blocks) and their input comments.
import type { ClassDef, Expr, PyModule, Range, Stmt } from '../../core/python/ast';

export interface ModuleClassInfo {
  readonly name: string;
  readonly def: ClassDef;
  /** Spec text of the `# fusion-lens: input=` comment directly above the class (or its decorators). */
  readonly commentSpec: string | null;
  readonly commentLine: number | null;
  /** Used inside another module class of the file (a block such as DoubleConv). */
  readonly isBlock: boolean;
}

const COMMENT = /^\s*#\s*fusion-lens:\s*input\s*=\s*(.+?)\s*$/;

function dotted(e: Expr): string | null {
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') {
    const base = dotted(e.obj);
    return base === null ? null : `${base}.${e.name}`;
  }
  return null;
}

/** Top-level classes deriving (directly or through classes of this file) from nn.Module. */
export function moduleClasses(mod: PyModule, lines: readonly string[]): ModuleClassInfo[] {
  const classes = mod.body.filter((s): s is ClassDef => s.k === 'class');
  const isModule = new Map<string, boolean>();
  const byName = new Map(classes.map((c) => [c.name, c]));
  const resolve = (c: ClassDef, seen: Set<string>): boolean => {
    const known = isModule.get(c.name);
    if (known !== undefined) return known;
    if (seen.has(c.name)) return false;
    seen.add(c.name);
    const result = c.bases.some((b) => {
      const n = dotted(b);
      if (n === null) return false;
      if (n === 'Module' || n.endsWith('.Module')) return true;
      const local = byName.get(n);
      return local !== undefined && resolve(local, seen);
    });
    isModule.set(c.name, result);
    return result;
  };
  const modules = classes.filter((c) => resolve(c, new Set()));
  const names = new Set(modules.map((c) => c.name));
  const usedInside = new Set<string>();
  for (const c of modules) for (const n of calledNames(c.body)) if (names.has(n) && n !== c.name) usedInside.add(n);
  return modules.map((def) => {
    const comment = commentAbove(def.r, lines);
    return { name: def.name, def, commentSpec: comment?.spec ?? null, commentLine: comment?.line ?? null, isBlock: usedInside.has(def.name) };
  });
}

function commentAbove(r: Range, lines: readonly string[]): { spec: string; line: number } | null {
  for (let i = r.startLine - 1; i >= 0 && i >= r.startLine - 3; i--) {
    const text = lines[i] ?? '';
    const m = COMMENT.exec(text);
    if (m) return { spec: m[1]!, line: i };
    if (text.trim() !== '' && !text.trimStart().startsWith('#')) return null;
  }
  return null;
}

/** Per class body: a class the user did not edit keeps its AST objects between parses, so its names are reused. */
const calledCache = new WeakMap<readonly Stmt[], Set<string>>();

/** Names called anywhere in a class body (`DoubleConv(...)`, `[Block(c) for c in …]`). */
function calledNames(body: readonly Stmt[]): Set<string> {
  const cached = calledCache.get(body);
  if (cached) return cached;
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const node = v as { k?: string; func?: Expr };
    if (node.k === 'call' && node.func && node.func.k === 'name') out.add(node.func.id);
    for (const [key, value] of Object.entries(v)) if (key !== 'r' && key !== 'nameRange') visit(value);
  };
  visit(body);
  calledCache.set(body, out);
  return out;
}
