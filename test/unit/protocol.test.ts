// Tests for the host↔webview message validators and the bytes helpers of src/protocol.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  isFromGraphView,
  isFromRunPanel,
  isToGraphView,
  isToRunPanel,
  isGraphPayload,
  bytesOf,
  base64Of,
  RequestChannel,
  GRAPH_VIEW_REPLIES,
  type FromGraphView,
  type GraphPayload,
  type GraphViewReplies,
  type ResponseMessage,
} from '../../src/protocol';

const payload: GraphPayload = {
  key: 'm.py#Net',
  title: 'Net',
  file: '/w/m.py',
  paramsTotal: 10,
  flopsTotal: 20,
  stale: false,
  nodes: [
    {
      id: 'in:x',
      kind: 'input',
      op: 'input',
      label: 'x',
      modulePath: null,
      scope: '',
      outputs: [{ symbolic: '[B, 3]', concrete: '[4, 3]' }],
      params: 0,
      flops: 0,
      file: null,
      line: null,
      fusion: null,
      detail: '',
    },
    {
      id: 'n1',
      kind: 'op',
      op: 'torch.cat',
      label: 'cat',
      modulePath: null,
      scope: '',
      outputs: [],
      params: 0,
      flops: 0,
      file: '/w/m.py',
      line: 3,
      fusion: 0,
      detail: '',
    },
  ],
  edges: [{ source: 'in:x', target: 'n1', value: 'v0', shape: { symbolic: '[B, 3]', concrete: '[4, 3]' } }],
  scopes: [{ path: 'layer1', type: 'Sequential', parent: '', nodeCount: 0 }],
  fusions: [{ node: 'n1', method: 'concat', inputs: [], output: null, levels: 'L1', explanation: { en: 'e', 'zh-cn': 'z' }, params: 0, flops: 0 }],
};

test('graph view messages: valid ones pass', () => {
  assert.ok(isFromGraphView({ type: 'ready' }));
  assert.ok(isFromGraphView({ type: 'revealSource', nodeId: 'n1', file: '/w/m.py', line: 3 }));
  assert.ok(isFromGraphView({ type: 'exportImage', requestId: 1, format: 'png', fileName: 'Net graph.png', data: 'AAAA' }));
  assert.ok(isFromGraphView({ type: 'layoutDone', nodes: 3, edges: 2, ms: 1.5, mode: 'fast' }));
  assert.ok(isToGraphView({ type: 'graph', payload }));
  assert.ok(isToGraphView({ type: 'graph', payload: null, reason: 'no model' }));
  assert.ok(isToGraphView({ type: 'highlight', file: '/w/m.py', line: 2 }));
});

test('graph view messages: malformed ones are rejected', () => {
  const bad: unknown[] = [
    null,
    42,
    'ready',
    [],
    {},
    { type: 'nope' },
    { type: 'revealSource', nodeId: 'n1', file: '/w/m.py', line: -1 },
    { type: 'revealSource', nodeId: 'n1', file: '/w/m.py', line: 1.5 },
    { type: 'revealSource', nodeId: 'n1', line: 3 },
    { type: 'revealSource', nodeId: 7, file: 'f', line: 3 },
    { type: 'exportImage', requestId: 1, format: 'gif', fileName: 'a.gif', data: '' },
    { type: 'exportImage', requestId: 1, format: 'svg', fileName: '../../etc/passwd', data: '' },
    { type: 'exportImage', requestId: 0, format: 'svg', fileName: 'a.svg', data: '' },
    { type: 'layoutDone', nodes: 3, edges: 2, ms: Infinity, mode: 'full' },
    { type: 'log', level: 'fatal', message: 'x' },
  ];
  for (const m of bad) assert.equal(isFromGraphView(m), false, JSON.stringify(m));
  assert.equal(isToGraphView({ type: 'graph', payload: { ...payload, edges: [{ source: 'in:x', target: 'missing', value: 'v', shape: null }] } }), false);
  assert.equal(isToGraphView({ type: 'graph', payload: { ...payload, fusions: [{ node: 'missing', inputs: [] }] } }), false);
  assert.equal(isToGraphView({ type: 'highlight', line: 'x' }), false);
  assert.equal(isGraphPayload({ ...payload, nodes: 'x' }), false);
});

test('random junk is never accepted as a host-bound message', () => {
  fc.assert(
    fc.property(fc.anything(), (m) => {
      // fc.anything can produce { type: 'ready' } only by chance; everything it builds must be judged without throwing.
      const a = isFromGraphView(m);
      const b = isFromRunPanel(m);
      if (a || b) assert.equal((m as { type: string }).type, 'ready');
    }),
    { numRuns: 2000 },
  );
});

const stats = { dims: [1, 10], mean: 0, std: 1, min: -1, max: 1, nonFinite: 0 };

test('run panel messages', () => {
  const run = {
    type: 'run',
    runId: 1,
    models: [
      {
        name: 'A',
        onnx: new Uint8Array([1, 2]),
        outputs: ['y'],
        taps: [{ output: 't0', node: 'n1', label: 'cat', role: 'fusion-output', fusion: 0, level: 'L3' }],
        params: 1,
        flops: 2,
      },
    ],
    inputs: [{ name: 'x', dims: [1, 3, 8, 8], dtype: 'float32', source: { kind: 'seeded', seed: 0 } }],
  };
  assert.ok(isToRunPanel(run));
  assert.equal(isToRunPanel({ ...run, models: [] }), false);
  assert.equal(isToRunPanel({ ...run, inputs: [{ ...run.inputs[0], dims: [0, 3] }] }), false);
  assert.equal(
    isToRunPanel({ ...run, inputs: [{ ...run.inputs[0], source: { kind: 'image', data: 'AA==', mime: 'image/png', mean: [0], std: [0] } }] }),
    false,
  );
  assert.equal(isToRunPanel({ ...run, models: [{ ...run.models[0], onnx: 'not base64!' }] }), false);
  // a tap summarised in the graph: its statistics output, the tensor's dims and (fusion taps) its feature-map output
  const summarised = (summary: unknown): unknown => ({
    ...run,
    models: [{ ...run.models[0], taps: [{ ...run.models[0]!.taps[0], output: 'stats.v3', summary }] }],
  });
  assert.ok(isToRunPanel(summarised({ dims: [4, 64, 256, 256], map: 'map.v3' })));
  assert.ok(isToRunPanel(summarised({ dims: [] })));
  assert.equal(isToRunPanel(summarised({ dims: [4, -1] })), false);
  assert.equal(isToRunPanel(summarised({ dims: [4], map: 7 })), false);
  assert.equal(isToRunPanel(summarised({ map: 'map.v3' })), false);
  assert.equal(isToRunPanel(summarised('stats')), false);
  const result = {
    type: 'runResult',
    runId: 1,
    models: [
      {
        name: 'A',
        ok: true,
        outputs: [{ name: 'y', stats, preview: [0.5] }],
        layers: [{ output: 't0', node: 'n1', label: 'cat', role: 'layer', stats }],
        createMs: 3,
        runMs: 1,
        params: 1,
        flops: 2,
      },
    ],
    comparisons: [{ a: 'A', b: 'B', output: 0, maxAbsDiff: 0.1, cosine: 0.9 }],
  };
  assert.ok(isFromRunPanel(result));
  assert.ok(isFromRunPanel({ type: 'runProgress', runId: 1, model: 'A', phase: 'running', fraction: 0.5 }));
  assert.ok(isFromRunPanel({ type: 'rerun', seed: 7, image: null }));
  assert.equal(isFromRunPanel({ type: 'runProgress', runId: 1, model: 'A', phase: 'running', fraction: 2 }), false);
  assert.equal(isFromRunPanel({ type: 'rerun', seed: 7, image: { data: 'AA==', mime: 'text/html' } }), false);
  assert.equal(isFromRunPanel({ ...result, models: [{ ...result.models[0], outputs: [{ name: 'y', stats: { ...stats, dims: [-1] }, preview: [] }] }] }), false);
});

test('base64 round trip', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (u) => {
      const text = base64Of(u);
      assert.equal(text, Buffer.from(u).toString('base64'));
      assert.deepEqual(bytesOf(text), u);
    }),
  );
  const u = new Uint8Array([9]);
  assert.equal(bytesOf(u), u);
});

test('request channel pairs responses with requests', async () => {
  const sent: { type: string; requestId: number }[] = [];
  const ch = new RequestChannel<{ type: 'q'; requestId: number }, { q: string }>((m) => sent.push(m), { q: (v): v is string => typeof v === 'string' });
  const p1: Promise<string> = ch.request({ type: 'q' });
  const p2 = ch.request({ type: 'q' });
  const p3 = ch.request({ type: 'q' });
  assert.deepEqual(
    sent.map((m) => m.requestId),
    [1, 2, 3],
  );
  const r2: ResponseMessage = { type: 'response', requestId: 2, ok: false, error: 'no' };
  assert.ok(ch.handle(r2));
  assert.ok(ch.handle({ type: 'response', requestId: 1, ok: true, result: 'yes' }));
  assert.equal(ch.handle({ type: 'response', requestId: 1, ok: true }), false);
  // A reply of the wrong type rejects instead of reaching the caller as a string.
  assert.ok(ch.handle({ type: 'response', requestId: 3, ok: true, result: 42 }));
  assert.equal(await p1, 'yes');
  await assert.rejects(p2, /no/);
  await assert.rejects(p3, /malformed reply/);
});

test("the graph view's export request resolves on an empty ok reply", async () => {
  const ch = new RequestChannel<Extract<FromGraphView, { type: 'exportImage' }>, GraphViewReplies>(() => undefined, GRAPH_VIEW_REPLIES);
  const p = ch.request({ type: 'exportImage', format: 'svg', fileName: 'g.svg', data: '<svg/>' });
  assert.ok(ch.handle({ type: 'response', requestId: 1, ok: true }));
  assert.equal(await p, undefined);
});

test('validators know every message type and no other (own keys only)', () => {
  for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    for (const check of [isFromGraphView, isFromRunPanel, isToGraphView, isToRunPanel]) assert.equal(check({ type }), false, type);
  }
});

test('run button messages', () => {
  assert.ok(isFromGraphView({ type: 'runModel', key: '/w/m.onnx' }));
  assert.equal(isFromGraphView({ type: 'runModel' }), false);
  assert.ok(isToGraphView({ type: 'graph', payload, canRun: true }));
  assert.equal(isToGraphView({ type: 'graph', payload, canRun: 'yes' }), false);
});
