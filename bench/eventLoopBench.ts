// Editor responsiveness: the extension host's event-loop delay while a 5,000-line model file is analysed, in-thread vs in the analysis worker.
// Run alone with `node esbuild.mjs && node --import tsx bench/eventLoopBench.ts`; `npm run bench` runs it as section 'editor'.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { initPythonParser } from '../src/core/python/pythonParser';
import { nodeParserOptions } from '../src/cli/wasmLocation';
import { AnalysisWorkerClient } from '../src/extension/service/analysisWorkerClient';
import { analyzeText, type AnalyzeRequest } from '../src/extension/service/engineAnalyze';
import { syntheticModelFile } from './syntheticModel';
import type { BenchRow } from './benchRow';

const DIST = resolve(__dirname, '..', 'dist');
/** Idle time between analyses, as between debounced edits; the loop samples every 1 ms meanwhile. */
const GAP_MS = 20;

interface Sampled {
  /** Event-loop delay percentiles over the whole phase, in ms. */
  readonly p99: number;
  readonly max: number;
  /** Median time per analysis as the caller sees it. */
  readonly medianMs: number;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `analyse` `runs` times with idle gaps while the event-loop delay histogram records. */
async function sampled(runs: number, analyse: (i: number) => unknown): Promise<Sampled> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const times: number[] = [];
  h.enable();
  for (let i = 0; i < runs; i++) {
    await pause(GAP_MS);
    const t0 = performance.now();
    await analyse(i);
    times.push(performance.now() - t0);
  }
  await pause(GAP_MS);
  h.disable();
  times.sort((a, b) => a - b);
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, medianMs: times[Math.floor(times.length / 2)]! };
}

export async function eventLoopBench(runs: number): Promise<BenchRow[]> {
  await initPythonParser(nodeParserOptions());
  const text = syntheticModelFile(5000);
  const lines = text.split('\n').length;
  const request: AnalyzeRequest = {
    text,
    file: '/bench/model_5000.py',
    specOverrides: {},
    defaultInput: null,
    dimensions: { B: 2, H: 64, W: 64 },
    searchRoots: [],
    openTexts: {},
  };
  // One-line edits inside a block's forward, alternating, as a user typing would make them.
  const anchor = '        out = out + identity\n';
  const at = text.indexOf(anchor);
  const edited = (i: number): AnalyzeRequest => ({ ...request, text: text.slice(0, at) + (i % 2 ? '        out = out * 1.0\n' : '') + text.slice(at) });

  // (a) Baseline: the analysis on the host's own thread, as the extension did before the worker.
  analyzeText(request);
  const inThread = await sampled(runs, () => analyzeText(request));

  // (b) The same analyses through the worker client the extension uses; a new document each time, so nothing is cached.
  const client = new AnalysisWorkerClient({
    workerFile: join(DIST, 'analysisWorker.js'),
    wasmDir: join(DIST, 'wasm'),
    fallback: () => Promise.reject(new Error('the benchmark measures the worker only')),
    log: (level, message) => process.stderr.write(`eventLoopBench: ${level}: ${message}\n`),
  });
  try {
    const expect = async (p: ReturnType<AnalysisWorkerClient['analyze']>): Promise<void> => {
      const o = await p;
      if (o.kind !== 'done' || o.inThread) throw new Error(`worker analysis did not complete: ${JSON.stringify(o).slice(0, 200)}`);
    };
    await expect(client.analyze('warm-up', 1, request));
    const worker = await sampled(runs, async (i) => {
      await expect(client.analyze(`fresh-${i}`, 1, request));
      client.forget(`fresh-${i}`);
    });
    // (c) Typing: one document, one-line edits, through the worker's incremental cache.
    await expect(client.analyze('typing', 0, request));
    const typing = await sampled(runs, (i) => expect(client.analyze('typing', i + 1, edited(i + 1))));

    const row = (figure: string, value: number, baselineValue: number, baseline = 'in-thread analysis (same run)', target?: string): BenchRow => ({
      section: 'editor',
      figure,
      value,
      unit: 'ms',
      baseline,
      baselineValue,
      target,
    });
    return [
      row(
        `event-loop delay p99 while analysing a ${lines}-line file, worker`,
        worker.p99,
        inThread.p99,
        undefined,
        'hovers and keystrokes never wait on analysis',
      ),
      row(`event-loop delay max while analysing a ${lines}-line file, worker`, worker.max, inThread.max),
      row(`event-loop delay max while typing (one-line edits), worker`, typing.max, inThread.max),
      row(`analysis of a ${lines}-line file, worker round trip`, worker.medianMs, inThread.medianMs),
      row(`re-analysis after a one-line edit, worker round trip`, typing.medianMs, inThread.medianMs, 'in-thread full analysis (same run)'),
    ];
  } finally {
    await client.dispose();
  }
}

if (require.main === module) {
  void eventLoopBench(Number(process.argv[2] ?? 5)).then((rows) => {
    for (const r of rows) console.log(`${r.figure}: ${r.value.toFixed(1)} ${r.unit} (baseline ${r.baseline}: ${r.baselineValue.toFixed(1)} ${r.unit})`);
  });
}
