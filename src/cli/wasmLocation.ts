// Where the Node-side tools find the tree-sitter wasm files: dist/wasm next to the bundle, else the repository's node_modules.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ParserInitOptions } from '../core/python/pythonParser';

export function nodeParserOptions(): ParserInitOptions {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const roots = [here, join(here, '..'), join(here, '..', '..'), process.cwd()];
  for (const r of roots) {
    for (const dir of [join(r, 'wasm'), join(r, 'dist', 'wasm')]) {
      if (existsSync(join(dir, 'tree-sitter-python.wasm')) && existsSync(join(dir, 'tree-sitter.wasm'))) return { wasmDir: dir };
    }
    const core = join(r, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm');
    const py = join(r, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm');
    if (existsSync(core) && existsSync(py)) return { treeSitterWasm: core, pythonWasm: py };
  }
  return { wasmDir: join(here, 'wasm') };
}
