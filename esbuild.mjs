// Builds every bundle of Fusion Lens: the extension host, the CLI and each webview, plus the wasm files they load.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

/** Node bundles: the extension host (vscode is provided at run time) and the command-line tool. */
const nodeBuilds = [
  { entryPoints: ['src/extension/host/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The extension's analysis engine, loaded on first use so activation stays fast.
  { entryPoints: ['src/extension/service/engine.ts'], outfile: 'dist/engine.js' },
  { entryPoints: ['src/extension/service/analysisWorker.ts'], outfile: 'dist/analysisWorker.js' },
  // onnxruntime-node (optional, native binding) is loaded from node_modules at run time when `--backend native` asks for it.
  { entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['onnxruntime-node'] },
].map((b) => ({
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  ...b,
  // web-tree-sitter's ESM loader calls createRequire(import.meta.url), which CJS output leaves undefined.
  define: { 'import.meta.url': '__fusionLensImportMetaUrl' },
  banner: { js: [b.banner?.js, "var __fusionLensImportMetaUrl = require('url').pathToFileURL(__filename).href;"].filter(Boolean).join('\n') },
}));

/** Browser bundles: one per webview, plus the layout worker. */
const webBuilds = [
  { entryPoints: ['webview/graphView/main.ts'], outfile: 'dist/webview/graphView.js' },
  { entryPoints: ['webview/runPanel/main.ts'], outfile: 'dist/webview/runPanel.js' },
  { entryPoints: ['webview/checkpointView/main.ts'], outfile: 'dist/webview/checkpointView.js' },
  { entryPoints: ['webview/graphView/layoutWorker.ts'], outfile: 'dist/webview/layoutWorker.js' },
].map((b) => ({ ...common, platform: 'browser', format: 'iife', target: 'es2022', ...b }));

const builds = [...nodeBuilds, ...webBuilds].filter((b) => existsSync(b.entryPoints[0]));

/** wasm and loader files that the bundles fetch at run time; they ship inside dist/. */
function copyRuntimeFiles() {
  mkdirSync('dist/wasm', { recursive: true });
  // web-tree-sitter's exports map does not list its wasm: take it from the package folder.
  cpSync(join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm'), 'dist/wasm/tree-sitter.wasm');
  cpSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), 'dist/wasm/tree-sitter-python.wasm');
  // onnxruntime-web exports its wasm and loader files by name (but not its package.json).
  for (const f of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) {
    cpSync(require.resolve(`onnxruntime-web/${f}`), join('dist/wasm', f));
  }
  // The build with the WebGPU backend (and its asyncify wasm), imported by the run panel only when WebGPU is used.
  // The package exports the wasm/loader by name; the module file is taken from the package's dist/ beside them.
  const ortDist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  for (const f of ['ort.webgpu.min.mjs', 'ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm']) {
    cpSync(join(ortDist, f), join('dist/wasm', f));
  }
}

copyRuntimeFiles();
if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
