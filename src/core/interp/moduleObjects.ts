// Python module objects: one value per loaded module (so `is` holds), and sys.modules.
import type { PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { asObject, obj, unknown, type BuiltinFn, type ModuleScope } from './objects';
import { pyStr } from './pyOps';

const moduleValues = new WeakMap<ModuleScope, PyValue>();

/** The one module object of a scope (so `is` holds between two imports of it). */
export function moduleValue(scope: ModuleScope): PyValue {
  let v = moduleValues.get(scope);
  if (!v) moduleValues.set(scope, (v = obj({ t: 'pymodule', scope }, 'module')));
  return v;
}

/** `sys.modules`: the modules loaded so far, by dotted name. */
export function sysModules(ip: Evaluator): PyValue {
  const entries = new Map<string, PyValue>();
  const keys: PyValue[] = [];
  for (const scope of ip.modulesByFile.values()) {
    if (entries.has(scope.name)) continue;
    entries.set(scope.name, moduleValue(scope));
    keys.push(pyStr(scope.name));
  }
  return { kind: 'dict', entries, keys };
}

/** A module's namespace as a dict (`mod.__dict__`, `vars(mod)`, `globals()`): a snapshot of its globals. */
export function moduleDict(scope: ModuleScope): PyValue {
  const entries = new Map<string, PyValue>();
  const keys: PyValue[] = [];
  for (const [k, v] of scope.globals) {
    entries.set(k, v);
    keys.push(pyStr(k));
  }
  return { kind: 'dict', entries, keys };
}

/** vars(), locals() and globals(): a module's namespace as a dict; in a function, locals() is a snapshot of its names. */
export function addNamespaceBuiltins(ip: Evaluator, def: (name: string, call: BuiltinFn) => void): void {
  def('vars', (a) => {
    const o = a[0] ? asObject(a[0]) : null;
    if (o && o.t === 'pymodule') return moduleDict(o.scope);
    const scope = !a.length ? ip.frame?.scope : null;
    return scope && !ip.frame?.fn ? moduleDict(scope) : unknown('vars()');
  });
  // In a function, a snapshot of its local names; at module level, the module's namespace.
  def('locals', () => {
    const f = ip.frame;
    if (f?.fn) return { kind: 'dict', entries: new Map(f.locals), keys: [...f.locals.keys()].map(pyStr) };
    const scope = f?.scope ?? ip.modulesByFile.get(ip.currentFile);
    return scope ? moduleDict(scope) : unknown('locals()');
  });
  def('globals', () => {
    const scope = ip.frame?.scope ?? ip.modulesByFile.get(ip.currentFile);
    return scope ? moduleDict(scope) : unknown('globals()');
  });
}
