// Host side of the analysis worker: one request in flight per document, newer versions supersede older ones, crashes become failed outcomes.
// It imports no `vscode`, so the benchmark and the unit tests drive exactly the code the extension uses.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { unhandled } from '../../protocolPrimitives';
import { fromSlices } from './analysisSlices';
import { isEngineAnalysis, isFromAnalysisWorker, type AnalysisWorkerData, type ToAnalysisWorker } from './analysisWorkerProtocol';
import type { AnalyzeRequest, EngineAnalysis } from './engineAnalyze';

export type AnalysisOutcome =
  | { readonly kind: 'done'; readonly analysis: EngineAnalysis; readonly ms: number; readonly inThread: boolean }
  /** A newer version of the same document was requested before this result could be applied. */
  | { readonly kind: 'superseded'; readonly version: number }
  | { readonly kind: 'failed'; readonly message: string };

export interface AnalysisWorkerOptions {
  /** The built worker bundle (dist/analysisWorker.js). */
  readonly workerFile: string;
  readonly wasmDir: string;
  /** In-thread analysis, used once the worker has crashed after its one restart. */
  readonly fallback: (uri: string, request: AnalyzeRequest) => Promise<EngineAnalysis>;
  /** Drops the fallback's cached analysis of a closed document. */
  readonly forgetFallback?: (uri: string) => void;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** A request running longer than this is treated as a hung worker (budgets stop analyses long before). */
  readonly timeoutMs?: number;
  /** Heap limit of the worker: an out-of-memory analysis ends the worker, not the extension host. */
  readonly maxHeapMb?: number;
}

/**
 * V8 limits of the analysis worker. The old generation is capped so a runaway analysis ends the worker, not the
 * host. The young generation is raised from a worker's default (48 MB, i.e. 16 MB semi-spaces) to 64 MB (32 MB
 * semi-spaces): an analysis of a 1,000-line file makes about 7 MB of short-lived objects, and with room for
 * several analyses between scavenges far fewer of them are copied (`npm run bench`, section engine, runs the
 * engine in a worker with these limits).
 */
export function analysisWorkerLimits(maxHeapMb = 1024): ResourceLimits {
  return { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 64 };
}

interface Job {
  readonly id: number;
  readonly uri: string;
  readonly version: number;
  readonly request: AnalyzeRequest;
  readonly resolve: (o: AnalysisOutcome) => void;
}

interface DocJobs {
  running?: Job;
  /** The newest request that waits for `running`; a newer one replaces it. */
  next?: Job;
}

export class AnalysisWorkerClient {
  private worker: Worker | undefined;
  private restarted = false;
  private inThread = false;
  private disposed = false;
  private nextId = 1;
  private readonly docs = new Map<string, DocJobs>();
  /** Jobs sent to the current worker, by id. */
  private readonly sent = new Map<number, Job>();
  private watchdog: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: AnalysisWorkerOptions) {}

  /** Where analyses run now: in the worker, or (after two crashes) on the calling thread. */
  get mode(): 'worker' | 'in-thread' {
    return this.inThread ? 'in-thread' : 'worker';
  }

  analyze(uri: string, version: number, request: AnalyzeRequest): Promise<AnalysisOutcome> {
    return new Promise((resolve) => {
      if (this.disposed) return resolve({ kind: 'failed', message: 'the analysis worker was disposed' });
      const job: Job = { id: this.nextId++, uri, version, request, resolve };
      let d = this.docs.get(uri);
      if (!d) this.docs.set(uri, (d = {}));
      if (d.running) {
        d.next?.resolve({ kind: 'superseded', version: d.next.version });
        d.next = job;
      } else this.start(d, job);
    });
  }

  /** The document was closed: its cached analysis in the worker is dropped (after any request in flight). */
  forget(uri: string): void {
    const d = this.docs.get(uri);
    if (d?.next) d.next.resolve({ kind: 'superseded', version: d.next.version });
    if (d) d.next = undefined;
    if (!d?.running) this.docs.delete(uri);
    if (this.worker) this.post({ type: 'forget', uri });
    if (this.inThread) this.options.forgetFallback?.(uri);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    this.failSent('the analysis worker was disposed');
    for (const d of this.docs.values()) d.next?.resolve({ kind: 'failed', message: 'the analysis worker was disposed' });
    this.docs.clear();
    if (w) await w.terminate();
  }

  private start(d: DocJobs, job: Job): void {
    d.running = job;
    if (this.inThread) {
      const t0 = performance.now();
      this.options.fallback(job.uri, job.request).then(
        (analysis) => this.finish(job, { kind: 'done', analysis, ms: performance.now() - t0, inThread: true }),
        (e: unknown) => this.finish(job, { kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
      );
      return;
    }
    this.sent.set(job.id, job);
    this.post({ type: 'analyze', id: job.id, uri: job.uri, version: job.version, request: job.request });
    this.armWatchdog();
  }

  /** Resolves a finished job; its result is dropped when a newer version waits, which then starts. */
  private finish(job: Job, outcome: AnalysisOutcome): void {
    this.sent.delete(job.id);
    const d = this.docs.get(job.uri);
    if (!d || d.running !== job) return job.resolve(outcome);
    d.running = undefined;
    const next = d.next;
    d.next = undefined;
    if (!next) {
      this.docs.delete(job.uri);
      return job.resolve(outcome);
    }
    job.resolve(outcome.kind === 'done' ? { kind: 'superseded', version: job.version } : outcome);
    if (this.disposed) next.resolve({ kind: 'failed', message: 'the analysis worker was disposed' });
    else this.start(d, next);
  }

  private post(m: ToAnalysisWorker): void {
    this.ensureWorker().postMessage(m);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const workerData: AnalysisWorkerData = { wasmDir: this.options.wasmDir };
    const w = new Worker(this.options.workerFile, {
      workerData,
      resourceLimits: analysisWorkerLimits(this.options.maxHeapMb),
    });
    w.on('message', (m: unknown) => this.receive(w, m));
    w.on('error', (e: Error) => this.crashed(w, e.message));
    w.on('exit', (code: number) => this.crashed(w, `exit code ${code}`));
    this.worker = w;
    return w;
  }

  private receive(w: Worker, m: unknown): void {
    if (w !== this.worker) return;
    if (!isFromAnalysisWorker(m)) {
      // A worker that breaks the protocol is not trusted further: it is replaced like a crashed one.
      this.crashed(w, 'it sent a malformed message');
      void w.terminate();
      return;
    }
    const job = this.sent.get(m.id);
    if (!job) return;
    switch (m.type) {
      case 'failed':
        return this.answered(job, { kind: 'failed', message: m.message });
      case 'result':
        // Rebuilt a slice per event-loop turn: a hover or keystroke waits for one slice at most, not the whole graph.
        fromSlices(m.slices, () => new Promise((r) => setImmediate(r))).then(
          (analysis) =>
            this.answered(
              job,
              isEngineAnalysis(analysis)
                ? { kind: 'done', analysis, ms: m.ms, inThread: false }
                : { kind: 'failed', message: 'the analysis worker sent a malformed analysis' },
            ),
          (e: unknown) =>
            this.answered(job, { kind: 'failed', message: `the analysis worker sent a malformed analysis (${e instanceof Error ? e.message : String(e)})` }),
        );
        return;
      default:
        unhandled(m);
    }
  }

  private answered(job: Job, outcome: AnalysisOutcome): void {
    // A crash while the slices were rebuilt has already failed this job.
    if (this.sent.get(job.id) !== job) return;
    this.finish(job, outcome);
    this.armWatchdog();
  }

  /**
   * Restarts the worker once; after a second crash every analysis runs in-thread (with a warning). A hung worker
   * (`hung`) is always replaced by a new one: the same analysis in-thread would hang the extension host instead.
   */
  private crashed(w: Worker, why: string, hung = false): void {
    if (w !== this.worker || this.disposed) return;
    this.worker = undefined;
    if (hung) this.options.log('error', `analysis worker stopped (${why}); a new one takes the next request`);
    else if (!this.restarted) {
      this.restarted = true;
      this.options.log('error', `analysis worker crashed (${why}); restarting it`);
    } else {
      this.inThread = true;
      this.options.log('warn', `analysis worker crashed again (${why}); analysing on the extension host's thread from now on`);
    }
    this.failSent(`the analysis worker crashed (${why})`);
  }

  /** Every request sent to the worker fails; requests waiting behind them start (on a new worker, or in-thread). */
  private failSent(message: string): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const lost = [...this.sent.values()];
    this.sent.clear();
    for (const job of lost) this.finish(job, { kind: 'failed', message });
  }

  /** One timer for the oldest request in flight: a worker stuck past the timeout is terminated. */
  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const w = this.worker;
    if (!w || this.sent.size === 0) return;
    this.watchdog = setTimeout(() => {
      this.crashed(w, `no answer within ${this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`, true);
      void w.terminate();
    }, this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
