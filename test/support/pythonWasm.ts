// Test helper: initialises the tree-sitter Python parser from the repository's node_modules.
import { join } from 'node:path';
import { initPythonParser } from '../../src/core/python/pythonParser';
import { repoRoot } from './shared.mjs';

export { repoRoot };

// Only step budgets cut analyses in tests (never the wall clock: a busy machine must not change a result). Set before
// any analysis; inherited by the analysis worker threads and CLI processes the tests start.
process.env.FUSION_LENS_STEP_BUDGETS_ONLY = '1';

export function initTestParser(): Promise<unknown> {
  return initPythonParser({
    treeSitterWasm: join(repoRoot, 'node_modules/web-tree-sitter/tree-sitter.wasm'),
    pythonWasm: join(repoRoot, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'),
  });
}
