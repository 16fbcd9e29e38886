// The op registry: lookup of every module type, function, method and operator the engine understands.
import type { FunctionOpDef, ModuleOpDef, OpDef } from './types';
import { defaultRole, errorCodeOf, onnxRole, type OpRole } from './roles';
import { withConstValues } from './constValues';

const modules = new Map<string, ModuleOpDef>();
const functions = new Map<string, FunctionOpDef>();

/** Called by each family file for its ops; keys must be unique. */
export function registerOps(defs: readonly OpDef[]): void {
  for (const def of defs) {
    if (def.kind === 'module') {
      if (modules.has(def.type)) throw new Error(`duplicate module op nn.${def.type}`);
      modules.set(def.type, def);
    } else {
      const entry = withConstValues(def);
      for (const key of [def.name, ...(def.aliases ?? [])]) {
        if (functions.has(key)) throw new Error(`duplicate op ${key}`);
        functions.set(key, entry);
      }
    }
  }
}

const roles = new WeakMap<OpDef, OpRole>();

/** An entry's role: its own, or the one derived from its key (`nn.<type>` for modules) and family. */
export function opRole(def: OpDef): OpRole {
  let r = def.role ?? roles.get(def);
  if (!r) {
    r = defaultRole(def.kind === 'module' ? `nn.${def.type}` : def.name, def.family);
    roles.set(def, r);
  }
  return r;
}

/** The role of a graph node's op key: a registry entry's (`nn.Conv2d`, `torch.cat`) or an ONNX op's (`onnx.Conv`). */
export function roleOfKey(key: string): OpRole {
  if (key.startsWith('onnx.')) return onnxRole(key.slice(5));
  const def = key.startsWith('nn.') ? modules.get(key.slice(3)) : functions.get(key);
  return def ? opRole(def) : defaultRole(key, '');
}

/** The diagnostic code of a shape error of op `key` (`nn.Conv2d`, `torch.cat`): the entry's hook, else by role. */
export function opErrorCode(key: string, message: string): string {
  const def = key.startsWith('nn.') ? modules.get(key.slice(3)) : functions.get(key);
  return def?.errorCode?.(message) ?? errorCodeOf(key, message);
}

/** `Conv2d` → its definition (the key is the torch class name). */
export function moduleOp(type: string): ModuleOpDef | undefined {
  return modules.get(type);
}

/** `torch.cat`, `F.interpolate`, `Tensor.view`, `op.add` → its definition. */
export function functionOp(key: string): FunctionOpDef | undefined {
  return functions.get(key);
}

/** Python modules that a family provides whole (`einops`, `einops.layers.torch`): member name → op. */
const pythonModules = new Map<string, Map<string, OpDef>>();

/**
 * Declares a Python module as built in: `import <path>` and `from <path> import name` resolve to these ops
 * (before any source of that module on the import path, as for torch). Parent packages become importable too.
 */
export function providePythonModule(path: string, members: Readonly<Record<string, OpDef>>): void {
  const parts = path.split('.');
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join('.');
    if (!pythonModules.has(p)) pythonModules.set(p, new Map());
  }
  const own = pythonModules.get(path)!;
  for (const [name, def] of Object.entries(members)) {
    if (own.has(name)) throw new Error(`duplicate member ${path}.${name}`);
    own.set(name, def);
  }
}

/** True when `path` (`einops.layers.torch`) is a module the registry provides. */
export function providesPythonModule(path: string): boolean {
  return pythonModules.has(path);
}

/** A provided module's member: an op, `'module'` for a provided submodule, undefined otherwise. */
export function pythonModuleMember(path: string, name: string): OpDef | 'module' | undefined {
  const own = pythonModules.get(path);
  if (!own) return undefined;
  return own.get(name) ?? (pythonModules.has(`${path}.${name}`) ? 'module' : undefined);
}

export function allModuleOps(): ModuleOpDef[] {
  return [...modules.values()];
}

export function allFunctionOps(): FunctionOpDef[] {
  return [...new Set(functions.values())];
}
