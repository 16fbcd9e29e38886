// Loads the analysis engine bundle (dist/engine.js: tree-sitter, interpreter, ONNX) on first use, not at activation.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Engine } from '../service/engine';

let loading: Promise<Engine> | undefined;

export function loadEngine(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): Promise<Engine> {
  if (!loading) {
    loading = (async () => {
      const t0 = performance.now();
      const dist = path.join(extensionUri.fsPath, 'dist');
      // A runtime path keeps esbuild from inlining the engine into extension.js, which must stay small.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(dist, 'engine.js')) as typeof import('../service/engine');
      const engine = await mod.createEngine(dist);
      log.info(`engine loaded in ${(performance.now() - t0).toFixed(1)} ms (tree-sitter wasm included)`);
      return engine;
    })();
    loading.catch((e: unknown) => {
      log.error(`engine failed to load: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      loading = undefined;
    });
  }
  return loading;
}
