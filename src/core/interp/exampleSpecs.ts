// Input specs from example calls in the file: `x = torch.randn(4, 3, 256, 256)` followed by `model(x)` at module level or under `if __name__ == "__main__":`.
import type { Expr, Stmt } from '../python/ast';
import type { DType } from '../shape/shape';
import type { PyValue } from '../ops/values';
import type { InputSpec } from './inputSpec';

const FACTORIES = new Set(['randn', 'rand', 'zeros', 'ones', 'empty', 'randint', 'full', 'randn_like']);

/** Per class name, the specs of the first example call found. */
export function exampleSpecs(body: readonly Stmt[], globals: ReadonlyMap<string, PyValue>): Map<string, InputSpec[]> {
  const tensors = new Map<string, InputSpec>();
  const instances = new Map<string, string[]>();
  const out = new Map<string, InputSpec[]>();

  const intOf = (e: Expr): number | null => {
    if (e.k === 'int') return e.value;
    if (e.k === 'name') {
      const g = globals.get(e.id);
      return g && g.kind === 'int' ? g.dim.value : null;
    }
    if (e.k === 'bin' && ['*', '+', '-', '//'].includes(e.op)) {
      const a = intOf(e.left);
      const b = intOf(e.right);
      if (a === null || b === null) return null;
      return e.op === '*' ? a * b : e.op === '+' ? a + b : e.op === '-' ? a - b : b ? Math.floor(a / b) : null;
    }
    return null;
  };
  const dimsOf = (args: readonly Expr[]): number[] | null => {
    if (args.length === 1 && (args[0].k === 'tuple' || args[0].k === 'list')) return dimsOf(args[0].elts);
    const ds = args.map(intOf);
    return ds.every((d) => d !== null) ? (ds as number[]) : null;
  };
  const factorySpec = (e: Expr): InputSpec | null => {
    if (e.k !== 'call' || e.func.k !== 'attr' || !FACTORIES.has(e.func.name)) return null;
    const pos = e.args.flatMap((a) => (a.kind === 'pos' ? [a.value] : []));
    const kw = new Map(e.args.flatMap((a) => (a.kind === 'kw' ? [[a.name, a.value] as const] : [])));
    let dtype: DType = e.func.name === 'randint' ? 'int64' : 'float32';
    const dt = kw.get('dtype');
    if (dt && dt.k === 'attr')
      dtype =
        (
          { long: 'int64', int64: 'int64', int32: 'int32', float64: 'float64', double: 'float64', float16: 'float16', half: 'float16', bool: 'bool' } as Record<
            string,
            DType
          >
        )[dt.name] ?? dtype;
    let dims: number[] | null;
    if (e.func.name === 'randint') {
      const size = kw.get('size') ?? pos[pos.length - 1];
      dims = size ? dimsOf([size]) : null;
    } else if (e.func.name === 'full') dims = pos[0] ? dimsOf([pos[0]]) : null;
    else dims = kw.get('size') ? dimsOf([kw.get('size')!]) : dimsOf(pos);
    return dims ? { name: null, dims, dtype } : null;
  };
  const classOf = (e: Expr): string | null =>
    e.k === 'call' && e.func.k === 'name' && /^[A-Z]/.test(e.func.id) ? e.func.id : e.k === 'call' && e.func.k === 'name' ? e.func.id : null;
  const callees = (f: Expr): string[] => {
    if (f.k === 'name') return instances.get(f.id) ?? [];
    const c = classOf(f);
    return c ? [c] : [];
  };
  const visitExpr = (e: Expr): void => {
    if (e.k === 'call') {
      const names = callees(e.func);
      const args = e.args.flatMap((a) => (a.kind === 'pos' ? [a.value] : []));
      if (names.length && args.length && args.every((a) => a.k === 'name' && tensors.has(a.id))) {
        const specs = args.map((a) => tensors.get((a as Extract<Expr, { k: 'name' }>).id)!);
        for (const n of names) if (!out.has(n)) out.set(n, specs);
      }
      visitExpr(e.func);
      for (const a of e.args) visitExpr(a.value);
    } else if (e.k === 'attr') visitExpr(e.obj);
    else if (e.k === 'tuple' || e.k === 'list') e.elts.forEach(visitExpr);
  };
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      switch (s.k) {
        case 'assign': {
          const spec = factorySpec(s.value);
          for (const t of s.targets) {
            if (t.k !== 'name') continue;
            if (spec) tensors.set(t.id, spec);
            const c = classOf(s.value);
            if (c) instances.set(t.id, [c]);
          }
          visitExpr(s.value);
          break;
        }
        case 'expr':
          visitExpr(s.value);
          break;
        case 'if':
          visit(s.body);
          visit(s.orelse);
          break;
        case 'with':
          visit(s.body);
          break;
        case 'for': {
          if (s.target.k === 'name' && (s.iter.k === 'tuple' || s.iter.k === 'list')) {
            const cs = s.iter.elts.map(classOf).filter((c): c is string => !!c);
            if (cs.length) instances.set(s.target.id, cs);
          }
          visit(s.body);
          break;
        }
        default:
          break;
      }
    }
  };
  visit(body);
  return out;
}
