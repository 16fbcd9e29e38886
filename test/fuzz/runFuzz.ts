// `npm run fuzz`: property-based fuzzing of parse + interpret and of the .onnx/.safetensors/.pt readers over worker threads; prints and saves a report.
//   node --expose-gc --import tsx test/fuzz/runFuzz.ts [--cases N] [--cache N] [--binary N] [--workers W] [--seed S] [--chunk C] [--hang-ms MS]
//   [--only=pt,onnx,…] runs only the named jobs (source, cache, onnx, safetensors, pt)
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { repoRoot } from '../support/pythonWasm';
import { DEFAULT_CONFIG, type ChunkFailure, type ChunkResult, type JobName } from './fuzzJobs';
import type { WorkerMessage, WorkerTask } from './fuzzWorker';
import { formatReport, summarise, type JobSummary } from './fuzzReport';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--${name} needs a non-negative integer`);
  return v;
}

const sourceCases = arg('cases', 100_000);
const cacheCases = arg('cache', 2_000);
const binaryCases = arg('binary', 10_000);
const workers = Math.max(1, arg('workers', Math.min(2, availableParallelism())));
const baseSeed = arg('seed', 20261128);
const chunkSize = Math.max(1, arg('chunk', 100));
const hangMs = arg('hang-ms', 120_000);

/** Per job: every result, failures (including hangs and crashes the chunks could not report), heap samples. */
interface JobState {
  readonly results: ChunkResult[];
  readonly failures: ChunkFailure[];
  readonly heap: number[][];
  peakRss: number;
  readonly started: number;
  ended: number;
}

const jobs = new Map<JobName, JobState>();
const state = (job: JobName): JobState => {
  let s = jobs.get(job);
  if (!s) jobs.set(job, (s = { results: [], failures: [], heap: [], peakRss: 0, started: performance.now(), ended: 0 }));
  return s;
};

function chunksFor(cases: number): number[] {
  return Array.from({ length: Math.ceil(cases / chunkSize) }, (_, i) => i);
}

function split(job: JobName, cases: number, parts: number): WorkerTask[] {
  const all = chunksFor(cases);
  return Array.from({ length: parts }, (_, w) => ({ job, chunks: all.filter((c) => c % parts === w), chunkSize, baseSeed, config: DEFAULT_CONFIG })).filter(
    (t) => t.chunks.length > 0,
  );
}

/** Runs one task in a worker; a chunk silent for hangMs is a hang, the worker is stopped and the rest re-queued. */
function runTask(task: WorkerTask, requeue: (t: WorkerTask) => void): Promise<void> {
  return new Promise((resolve) => {
    const s = state(task.job);
    const samples: number[] = [];
    s.heap.push(samples);
    // The worker registers tsx's CommonJS hook itself (loader hooks of the main thread do not reach workers here).
    const entry = JSON.stringify(join(__dirname, 'fuzzWorker.ts'));
    const w = new Worker(`require('tsx/cjs'); require(${entry});`, { eval: true, workerData: task });
    let current = -1;
    let last = performance.now();
    let finished = false;
    const stop = (why: string | null) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      if (why !== null) {
        s.failures.push({
          job: task.job,
          chunk: current,
          seed: 0,
          error: why,
          counterexample: '',
          input: `re-run chunk ${current} of ${task.job} (seed ${baseSeed}, chunk size ${chunkSize})`,
        });
        const rest = current < 0 ? [] : task.chunks.slice(task.chunks.indexOf(current) + 1);
        if (rest.length) requeue({ ...task, chunks: rest });
      }
      s.ended = performance.now();
      void w.terminate().then(() => resolve());
    };
    const timer = setInterval(() => {
      if (performance.now() - last > hangMs) stop(`no progress for ${hangMs} ms (hang)`);
    }, 1000);
    w.on('message', (m: WorkerMessage) => {
      last = performance.now();
      if (m.type === 'start') current = m.chunk;
      else if (m.type === 'chunk') {
        s.results.push(m.result);
        if (m.result.failure) s.failures.push(m.result.failure);
        samples.push(m.heapUsed);
        s.peakRss = Math.max(s.peakRss, m.rss);
        const done = s.results.reduce((a, r) => a + r.cases, 0);
        if (s.results.length % 20 === 0) process.stderr.write(`  ${task.job}: ${done} cases, ${s.failures.length} failures\n`);
      } else stop(null);
    });
    w.on('error', (e) => stop(`worker crashed: ${e instanceof Error ? e.message : String(e)}`));
    w.on('exit', (code) => stop(code === 0 ? null : `worker exited with code ${code}`));
  });
}

async function runPool(tasks: WorkerTask[]): Promise<void> {
  const queue = [...tasks];
  const slots = Array.from({ length: workers }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) await runTask(t, (r) => queue.unshift(r));
  });
  await Promise.all(slots);
}

function writeReport(t0: number, partial: boolean): { text: string; failed: boolean } {
  const summaries: JobSummary[] = [...jobs].map(([job, s]) =>
    summarise(job, s.results, s.failures, s.heap, s.peakRss, (s.ended || performance.now()) - s.started),
  );
  const report = {
    date: new Date().toISOString(),
    partial,
    seed: baseSeed,
    chunkSize,
    workers,
    config: DEFAULT_CONFIG,
    wallMs: performance.now() - t0,
    jobs: summaries,
  };
  const dir = join(repoRoot, '.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fuzz-report.json'), JSON.stringify(report, null, 2));
  return { text: formatReport(report), failed: summaries.some((s) => s.failures.length > 0 || s.memoryGrowthFailure) };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  if (!(globalThis as { gc?: unknown }).gc) process.stderr.write('note: run with --expose-gc for exact heap samples\n');
  process.stderr.write(
    `fuzz: ${sourceCases} source + ${cacheCases} edit-sequence cases, ${binaryCases} per binary format, ${workers} workers, seed ${baseSeed}\n`,
  );
  // A long run keeps a partial report on disk, and an interrupted one prints what it has.
  const saver = setInterval(() => writeReport(t0, true), 30_000);
  process.once('SIGINT', () => {
    console.log(writeReport(t0, true).text, '\n(interrupted: partial report written to .bench/fuzz-report.json)');
    process.exit(130);
  });
  // Binary readers first (one worker per format: heap and arrayBuffers figures are per thread), then the sources.
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  await runPool(
    [
      ...split('onnx', binaryCases, 1),
      ...split('safetensors', binaryCases, 1),
      ...split('pt', binaryCases, 1),
      ...split('source', sourceCases, workers),
      ...split('cache', cacheCases, workers),
    ].filter((t) => !only || only.includes(t.job)),
  );
  clearInterval(saver);
  const { text, failed } = writeReport(t0, false);
  console.log(text);
  console.log('report written to .bench/fuzz-report.json');
  process.exitCode = failed ? 1 : 0;
}

void main();
