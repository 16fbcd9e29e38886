// Engine figures as the editor gets them: the engine bundled like dist/analysisWorker.js (esbuild, no tsx
// transform) and run in a worker thread with the analysis worker's V8 limits. The measuring code is engineFigures.ts.
import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { analysisWorkerLimits } from '../src/extension/service/analysisWorkerClient';
import type { BenchRow } from './benchRow';

const OUT = resolve(__dirname, '..', '.bench', 'engineFigures.js');

/** Bundles the worker entry with the options esbuild.mjs gives the product's Node bundles. */
async function bundle(): Promise<void> {
  mkdirSync(resolve(__dirname, '..', '.bench'), { recursive: true });
  await esbuild.build({
    entryPoints: [resolve(__dirname, 'engineFigures.ts')],
    outfile: OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    define: { 'import.meta.url': '__fusionLensImportMetaUrl' },
    banner: { js: "var __fusionLensImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
}

export async function engineBench(runs: number): Promise<BenchRow[]> {
  await bundle();
  return new Promise((done, fail) => {
    const w = new Worker(OUT, { workerData: { runs }, resourceLimits: analysisWorkerLimits() });
    w.once('message', (m: { rows?: BenchRow[]; error?: string }) => {
      void w.terminate();
      if (m.rows) done(m.rows);
      else fail(new Error(`engine bench failed: ${m.error}`));
    });
    w.once('error', fail);
  });
}
