// Test helper: initialises the tree-sitter Python parser from the repository's node_modules.
import { join } from 'node:path';
import { initPythonParser } from '../../src/core/python/pythonParser';
import { repoRoot } from './shared.mjs';

export { repoRoot };

export function initTestParser(): Promise<unknown> {
  return initPythonParser({
    treeSitterWasm: join(repoRoot, 'node_modules/web-tree-sitter/tree-sitter.wasm'),
    pythonWasm: join(repoRoot, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'),
  });
}
