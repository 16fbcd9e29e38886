// Worker entry of the engine bench: parse + interpret of 200/1,000/5,000-line model files, re-analysis after a
// one-line edit, cached queries. Runs bundled, in a worker with the analysis worker's limits (see engineBench.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { Parser } from 'web-tree-sitter';
import { initPythonParser } from '../src/core/python/pythonParser';
import { analyzeSource } from '../src/core/interp/analyzeFile';
import { AnalysisCache } from '../src/core/interp/analysisCache';
import { nodeParserOptions } from '../src/cli/wasmLocation';
import { syntheticModelFile } from './syntheticModel';
import { syntheticEinopsFile } from './syntheticEinops';
import { medianMs, type BenchRow } from './benchRow';
import { timmFigures } from './timmFigures';

const SYMBOLS = { B: 2, H: 64, W: 64 };
/**
 * The editor re-analyses a document after every pause in typing, so figures are for a worker that has already
 * analysed a few times (V8 has optimised the engine); the very first analysis is reported in a row of its own.
 */
const WARMUP = 10;

async function engineFigures(runs: number): Promise<BenchRow[]> {
  const language = await initPythonParser(nodeParserOptions());
  // A PythonParser would also convert (and cache) statements: the baseline is tree-sitter's own parse.
  const treeSitter = new Parser();
  treeSitter.setLanguage(language);
  const rows: BenchRow[] = [];
  const coldText = syntheticModelFile(1000);
  const t0 = performance.now();
  analyzeSource({ text: coldText, file: '/bench/cold.py', symbols: SYMBOLS });
  const coldMs = performance.now() - t0;
  for (const size of [200, 1000, 5000]) {
    const text = syntheticModelFile(size);
    const lines = text.split('\n').length;
    const file = `/bench/model_${size}.py`;
    // Baseline: a bare tree-sitter parse of the same text, the least any analysis must do.
    const parseMs = await medianMs(() => treeSitter.parse(text)?.delete(), runs, WARMUP);
    const request = { text, file, symbols: SYMBOLS } as const;
    const fullMs = await medianMs(() => analyzeSource(request), runs * 3, WARMUP);
    rows.push({
      section: 'engine',
      figure: `parse + interpret, ${lines}-line file`,
      value: fullMs,
      unit: 'ms',
      baseline: 'tree-sitter parse only',
      baselineValue: parseMs,
      target: size === 1000 ? '≤ 25 ms' : undefined,
    });

    // Re-analysis after a one-line edit inside one block's forward (a new statement line).
    const cache = new AnalysisCache();
    cache.update(file, request);
    const anchor = '        out = out + identity\n';
    const at = text.indexOf(anchor);
    let flip = false;
    const editMs = await medianMs(
      () => {
        flip = !flip;
        const edited = text.slice(0, at) + (flip ? '        out = out * 1.0\n' : '') + text.slice(at);
        cache.update(file, { ...request, text: edited });
      },
      runs * 3,
      WARMUP,
    );
    rows.push({
      section: 'engine',
      figure: `re-analysis after a one-line edit, ${lines}-line file`,
      value: editMs,
      unit: 'ms',
      baseline: 'tree-sitter parse only',
      baselineValue: parseMs,
      target: size === 1000 ? '≤ 10 ms' : undefined,
    });

    // Cached position query (what a hover asks): a line inside the top model's forward.
    cache.update(file, request);
    const queryLine = text.split('\n').findIndex((l) => l.includes('x = self.block0(x)'));
    const queryMs = await medianMs(() => cache.queryAt(file, queryLine, 10), runs * 20);
    rows.push({
      section: 'engine',
      figure: `cached shape query, ${lines}-line file`,
      value: queryMs,
      unit: 'ms',
      baseline: 'tree-sitter parse only',
      baselineValue: parseMs,
      target: size === 1000 ? '≤ 2 ms' : undefined,
    });
    if (size === 1000)
      rows.push({
        section: 'engine',
        figure: `first analysis in a fresh worker (not optimised yet), ${lines}-line file`,
        value: coldMs,
        unit: 'ms',
        baseline: 'tree-sitter parse only',
        baselineValue: parseMs,
      });
    if (size === 1000) rows.push(await einopsRow(treeSitter, runs, fullMs / parseMs));
  }
  rows.push(...(await timmFigures(runs, treeSitter)));
  return rows;
}

/** An einops-heavy file of about the same length: its ratio to its own parse must not exceed the plain file's. */
async function einopsRow(treeSitter: Parser, runs: number, plainRatio: number): Promise<BenchRow> {
  const text = syntheticEinopsFile(1000);
  const lines = text.split('\n').length;
  const parseMs = await medianMs(() => treeSitter.parse(text)?.delete(), runs, WARMUP);
  const fullMs = await medianMs(() => analyzeSource({ text, file: '/bench/einops_1000.py', symbols: SYMBOLS }), runs * 3, WARMUP);
  return {
    section: 'engine',
    figure: `parse + interpret, ${lines}-line einops-heavy file`,
    value: fullMs,
    unit: 'ms',
    baseline: 'tree-sitter parse only',
    baselineValue: parseMs,
    target: `ratio ≤ ${plainRatio.toFixed(2)} (the plain 1,000-line file's, same run)`,
  };
}

engineFigures((workerData as { runs: number }).runs).then(
  (rows) => parentPort!.postMessage({ rows }),
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
);
