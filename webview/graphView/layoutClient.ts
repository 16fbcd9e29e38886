// Runs layouts in a web worker (started from a blob of dist/webview/layoutWorker.js, as webviews forbid cross-origin workers), with progress and cancel; small graphs and worker failures fall back to the UI thread.
import { layeredLayout } from '../../src/core/graph/layout/layeredLayout';
import type { LayoutGraph, LayoutResult } from '../../src/core/graph/layout/layoutTypes';
import { unpackLayout, type LayoutReply, type LayoutRequest } from './layoutJob';

/** Below this many boxes a layout takes a few ms: not worth a worker round trip. */
const WORKER_THRESHOLD = 600;

export class LayoutCancelled extends Error {
  constructor() {
    super('layout cancelled');
  }
}

export interface LayoutOutcome {
  readonly result: LayoutResult;
  readonly ms: number;
  readonly inWorker: boolean;
}

export class LayoutClient {
  private worker: Worker | null = null;
  private workerFailed = false;
  private jobId = 0;
  private pending: { jobId: number; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly workerUrl: string,
    private readonly log: (msg: string) => void,
  ) {}

  async run(graph: LayoutGraph, onProgress: (phase: string, fraction: number) => void): Promise<LayoutOutcome> {
    this.cancel();
    if (graph.nodeCount >= WORKER_THRESHOLD && !this.workerFailed) {
      try {
        return await this.runInWorker(graph, onProgress);
      } catch (err) {
        if (err instanceof LayoutCancelled) throw err;
        this.workerFailed = true;
        this.log(`layout worker unavailable, laying out on the UI thread: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const t0 = performance.now();
    const result = layeredLayout(graph, { onProgress });
    return { result, ms: performance.now() - t0, inWorker: false };
  }

  /** Stops the running layout (the worker is terminated; a new one starts with the next request). */
  cancel(): void {
    if (!this.pending) return;
    this.pending.reject(new LayoutCancelled());
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
  }

  dispose(): void {
    this.cancel();
    this.worker?.terminate();
  }

  private async startWorker(): Promise<Worker> {
    if (this.worker) return this.worker;
    const res = await fetch(this.workerUrl);
    if (!res.ok) throw new Error(`fetch ${this.workerUrl}: ${res.status}`);
    const blob = new Blob([await res.text()], { type: 'text/javascript' });
    const url = URL.createObjectURL(blob);
    try {
      this.worker = new Worker(url);
    } finally {
      // the worker keeps its script; the URL is no longer needed once it has started loading
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
    return this.worker;
  }

  private async runInWorker(graph: LayoutGraph, onProgress: (phase: string, fraction: number) => void): Promise<LayoutOutcome> {
    const jobId = ++this.jobId;
    const worker = await this.startWorker();
    return new Promise<LayoutOutcome>((resolve, reject) => {
      this.pending = { jobId, reject };
      const finish = (): void => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        if (this.pending?.jobId === jobId) this.pending = null;
      };
      const onMessage = (e: MessageEvent<LayoutReply>): void => {
        const msg = e.data;
        if (msg.jobId !== jobId) return;
        if (msg.type === 'progress') onProgress(msg.phase, msg.fraction);
        else if (msg.type === 'done') {
          finish();
          resolve({ result: unpackLayout(msg.result), ms: msg.ms, inWorker: true });
        } else {
          finish();
          reject(new Error(msg.message));
        }
      };
      const onError = (e: ErrorEvent): void => {
        finish();
        this.worker?.terminate();
        this.worker = null;
        reject(new Error(e.message || 'worker error'));
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      const req: LayoutRequest = {
        type: 'layout',
        jobId,
        nodeCount: graph.nodeCount,
        widths: Float64Array.from(graph.widths),
        heights: Float64Array.from(graph.heights),
        sources: Int32Array.from(graph.sources),
        targets: Int32Array.from(graph.targets),
      };
      worker.postMessage(req, [req.widths.buffer, req.heights.buffer, req.sources.buffer, req.targets.buffer]);
    });
  }
}
