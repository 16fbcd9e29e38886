// Layout worker entry (dist/webview/layoutWorker.js): lays out one graph per request off the UI thread, reporting progress.
import { layeredLayout } from '../../src/core/graph/layout/layeredLayout';
import { packLayout, transferList, type LayoutReply, type LayoutRequest } from './layoutJob';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(msg: LayoutReply, transfer?: Transferable[]): void;
};

scope.onmessage = (e) => {
  const req = e.data;
  if (!req || req.type !== 'layout') return;
  const t0 = performance.now();
  try {
    const result = layeredLayout(req, {
      mode: req.mode,
      onProgress: (phase, fraction) => scope.postMessage({ type: 'progress', jobId: req.jobId, phase, fraction }),
    });
    const packed = packLayout(result);
    scope.postMessage({ type: 'done', jobId: req.jobId, result: packed, ms: performance.now() - t0 }, transferList(packed));
  } catch (err) {
    scope.postMessage({ type: 'error', jobId: req.jobId, message: err instanceof Error ? err.message : String(err) });
  }
};
