// The op registry: lookup of every module type, function, method and operator the engine understands.
import type { FunctionOpDef, ModuleOpDef, OpDef } from './types';

const modules = new Map<string, ModuleOpDef>();
const functions = new Map<string, FunctionOpDef>();

/** Called by each family file for its ops; keys must be unique. */
export function registerOps(defs: readonly OpDef[]): void {
  for (const def of defs) {
    if (def.kind === 'module') {
      if (modules.has(def.type)) throw new Error(`duplicate module op nn.${def.type}`);
      modules.set(def.type, def);
    } else {
      for (const key of [def.name, ...(def.aliases ?? [])]) {
        if (functions.has(key)) throw new Error(`duplicate op ${key}`);
        functions.set(key, def);
      }
    }
  }
}

/** `Conv2d` → its definition (the key is the torch class name). */
export function moduleOp(type: string): ModuleOpDef | undefined {
  return modules.get(type);
}

/** `torch.cat`, `F.interpolate`, `Tensor.view`, `op.add` → its definition. */
export function functionOp(key: string): FunctionOpDef | undefined {
  return functions.get(key);
}

export function allModuleOps(): ModuleOpDef[] {
  return [...modules.values()];
}

export function allFunctionOps(): FunctionOpDef[] {
  return [...new Set(functions.values())];
}
