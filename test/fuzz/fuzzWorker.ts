// Worker thread of `npm run fuzz`: runs the chunks it is given and posts each chunk's result.
import { parentPort, workerData } from 'node:worker_threads';
import { initTestParser } from '../support/pythonWasm';
import { makeContext, runChunk, type FuzzConfig, type JobName } from './fuzzJobs';

// The fuzz jobs check that analyses end within their wall-clock budgets: keep those on here (pythonWasm turns them off).
delete process.env.FUSION_LENS_STEP_BUDGETS_ONLY;

export interface WorkerTask {
  readonly job: JobName;
  readonly chunks: readonly number[];
  readonly chunkSize: number;
  readonly baseSeed: number;
  readonly config: FuzzConfig;
}

export type WorkerMessage =
  | { readonly type: 'start'; readonly chunk: number }
  | { readonly type: 'chunk'; readonly result: import('./fuzzJobs').ChunkResult; readonly heapUsed: number; readonly rss: number }
  | { readonly type: 'done' };

async function main(): Promise<void> {
  const task = workerData as WorkerTask;
  await initTestParser();
  const ctx = makeContext(task.config);
  const gc = (globalThis as { gc?: () => void }).gc;
  for (const chunk of task.chunks) {
    parentPort!.postMessage({ type: 'start', chunk } satisfies WorkerMessage);
    const result = runChunk(ctx, task.job, chunk, task.chunkSize, task.baseSeed);
    gc?.();
    const mem = process.memoryUsage();
    parentPort!.postMessage({ type: 'chunk', result, heapUsed: mem.heapUsed, rss: mem.rss } satisfies WorkerMessage);
  }
  parentPort!.postMessage({ type: 'done' } satisfies WorkerMessage);
}

void main();
