// The analysis worker thread (dist/analysisWorker.js): analyses documents off the extension host's main thread, incrementally.
import { parentPort, workerData } from 'node:worker_threads';
import { initPythonParser } from '../../core/python/pythonParser';
import { isAnalysisWorkerData, isToAnalysisWorker, type FromAnalysisWorker, type ToAnalysisWorker } from './analysisWorkerProtocol';
import { unhandled } from '../../protocolPrimitives';
import { toSlices } from './analysisSlices';
import { DocumentAnalyzer } from './documentAnalyzer';

const port = parentPort;
if (!port || !isAnalysisWorkerData(workerData)) throw new Error('analysisWorker.js runs only as a worker thread started by Fusion Lens');

const ready = initPythonParser({ wasmDir: workerData.wasmDir });
const analyzer = new DocumentAnalyzer();
const post = (m: FromAnalysisWorker): void => port.postMessage(m);

/** Requests are handled one after another, in arrival order, once the parser is ready. */
let chain: Promise<void> = ready.then(() => undefined);

function handle(m: ToAnalysisWorker): void {
  switch (m.type) {
    case 'forget':
      return analyzer.forget(m.uri);
    case 'analyze': {
      const t0 = performance.now();
      try {
        const analysis = analyzer.analyze(m.uri, m.request);
        post({ type: 'result', id: m.id, slices: toSlices(analysis), ms: performance.now() - t0 });
      } catch (e) {
        post({ type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    default:
      unhandled(m);
  }
}

port.on('message', (m: unknown) => {
  if (isToAnalysisWorker(m)) {
    chain = chain.then(() => handle(m));
    return;
  }
  // A malformed request still gets its answer when it names an id, so the host does not wait for it.
  const id = typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined;
  if (Number.isSafeInteger(id) && (id as number) > 0) post({ type: 'failed', id: id as number, message: 'malformed analysis request' });
});

// Without the parser the worker is useless: failing loudly lets the host restart it or analyse in-thread.
ready.catch((e: unknown) => {
  setImmediate(() => {
    throw e instanceof Error ? e : new Error(String(e));
  });
});
