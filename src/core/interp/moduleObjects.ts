// Python module objects: one value per loaded module (so `is` holds), and sys.modules.
import type { PyValue } from '../ops/values';
import type { Evaluator } from './evaluator';
import { obj, type ModuleScope } from './objects';
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
