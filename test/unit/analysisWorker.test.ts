// The analysis worker under plain Node (dist/analysisWorker.js, built by `node esbuild.mjs`): same results as in-thread, superseded versions dropped, crashes contained.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticModelFile } from '../../bench/syntheticModel';
import { fromSlices, toSlices } from '../../src/extension/service/analysisSlices';
import { AnalysisWorkerClient, type AnalysisOutcome, type AnalysisWorkerOptions } from '../../src/extension/service/analysisWorkerClient';
import { DocumentAnalyzer } from '../../src/extension/service/documentAnalyzer';
import { analyzeText, type AnalyzeRequest, type EngineAnalysis } from '../../src/extension/service/engineAnalyze';
import { initTestParser, repoRoot } from '../support/pythonWasm';

const WORKER = join(repoRoot, 'dist/analysisWorker.js');
const WASM = join(repoRoot, 'dist/wasm');
const FILE = join(repoRoot, 'examples/fusion_cnn.py');
const TEXT = readFileSync(FILE, 'utf8');
const URI = 'file://' + FILE;

const request = (text: string, extra: Partial<AnalyzeRequest> = {}): AnalyzeRequest => ({
  text,
  file: FILE,
  specOverrides: {},
  defaultInput: null,
  dimensions: { B: 4, H: 256, W: 256 },
  searchRoots: [join(repoRoot, 'examples')],
  openTexts: {},
  ...extra,
});

const tmp = mkdtempSync(join(tmpdir(), 'fusion-lens-worker-'));
const logs: string[] = [];
const clients: AnalysisWorkerClient[] = [];

function client(over: Partial<AnalysisWorkerOptions> = {}): AnalysisWorkerClient {
  const c = new AnalysisWorkerClient({
    workerFile: WORKER,
    wasmDir: WASM,
    fallback: async (_uri, req) => analyzeText(req),
    log: (level, message) => logs.push(`${level}: ${message}`),
    ...over,
  });
  clients.push(c);
  return c;
}

function done(o: AnalysisOutcome): EngineAnalysis {
  assert.equal(o.kind, 'done', JSON.stringify(o).slice(0, 300));
  return (o as Extract<AnalysisOutcome, { kind: 'done' }>).analysis;
}

/** Output channels of every model's first output, a compact fingerprint of what was analysed. */
const outChannels = (a: EngineAnalysis): (number | null)[] =>
  a.models.map((m) => (m.graph ? (m.graph.values.get(m.graph.outputs[0]!)?.shape?.[1]?.value ?? null) : null));

before(initTestParser);
after(async () => {
  for (const c of clients) await c.dispose();
});

test('the worker gives exactly the in-thread analysis of examples/fusion_cnn.py, graphs included', async () => {
  const c = client();
  const inThread = analyzeText(request(TEXT));
  assert.ok(inThread.models.length >= 2 && inThread.models.every((m) => m.graph !== null));
  const viaWorker = done(await c.analyze(URI, 1, request(TEXT)));
  assert.deepStrictEqual(viaWorker, inThread);
  // A second version goes through the worker's incremental cache and still equals a fresh in-thread analysis.
  const edited = TEXT.replace(/nn\.Linear\(([^,]+), num_classes\)/g, 'nn.Linear($1, 7)');
  assert.notEqual(edited, TEXT);
  const again = done(await c.analyze(URI, 2, request(edited)));
  assert.deepStrictEqual(again, analyzeText(request(edited)));
  assert.ok(outChannels(again).includes(7), String(outChannels(again)));
  assert.equal(c.mode, 'worker');
});

test('requests superseded by a newer version of the same document are dropped; only the newest result is delivered', async () => {
  const c = client();
  const v = (n: number) => TEXT.replace(/nn\.Linear\(([^,]+), num_classes\)/g, `nn.Linear($1, ${n})`);
  const [o1, o2, o3] = await Promise.all([c.analyze(URI, 1, request(v(11))), c.analyze(URI, 2, request(v(12))), c.analyze(URI, 3, request(v(13)))]);
  assert.deepEqual(o1, { kind: 'superseded', version: 1 });
  assert.deepEqual(o2, { kind: 'superseded', version: 2 });
  const a3 = done(o3!);
  assert.ok(outChannels(a3).includes(13) && !outChannels(a3).includes(11), String(outChannels(a3)));
  // Another document is not affected by this one's versions.
  const [oa, ob] = await Promise.all([c.analyze(URI, 4, request(v(14))), c.analyze(URI + '#other', 1, request(v(15)))]);
  assert.ok(outChannels(done(oa!)).includes(14));
  assert.ok(outChannels(done(ob!)).includes(15));
});

test('a class that stops parsing keeps its last good analysis, marked stale, through the worker', async () => {
  const c = client();
  done(await c.analyze(URI, 1, request(TEXT)));
  const broken = TEXT.replace(/(class FusionModel[\s\S]*?def forward\(self, x\):)/, '$1\n        y = (x +\n');
  assert.notEqual(broken, TEXT);
  const a = done(await c.analyze(URI, 2, request(broken)));
  const fusion = a.models.find((m) => m.className === 'FusionModel');
  assert.ok(fusion && fusion.stale && fusion.graph !== null, JSON.stringify(a.models.map((m) => [m.className, m.stale, !!m.graph])));
});

test('a malformed request gets a failed outcome and the worker keeps serving', async () => {
  const c = client();
  const bad = { ...request(TEXT), searchRoots: 'not a list' } as unknown as AnalyzeRequest;
  const o = await c.analyze(URI, 1, bad);
  assert.equal(o.kind, 'failed');
  done(await c.analyze(URI, 2, request(TEXT)));
  assert.equal(c.mode, 'worker');
});

test('a crashing worker becomes failed outcomes, is restarted once, then analyses run in-thread with a warning', async () => {
  const crashing = join(tmp, 'crashingWorker.js');
  writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });\n");
  logs.length = 0;
  const c = client({ workerFile: crashing });
  const first = await c.analyze(URI, 1, request(TEXT));
  assert.equal(first.kind, 'failed');
  assert.match((first as { message: string }).message, /crashed.*boom/);
  assert.equal(c.mode, 'worker');
  const second = await c.analyze(URI, 2, request(TEXT));
  assert.equal(second.kind, 'failed');
  assert.equal(c.mode, 'in-thread');
  const third = await c.analyze(URI, 3, request(TEXT));
  assert.equal(third.kind === 'done' && third.inThread, true);
  assert.deepStrictEqual(done(third), analyzeText(request(TEXT)));
  assert.equal(logs.filter((l) => l.startsWith('error: analysis worker crashed')).length, 1, logs.join('\n'));
  assert.equal(logs.filter((l) => l.startsWith('warn: analysis worker crashed again')).length, 1, logs.join('\n'));
});

test('a request waiting behind a crashed one still runs, on the restarted worker', async () => {
  const exiting = join(tmp, 'exitOnceWorker.js');
  // Exits on its first request only when a marker file is absent: the restarted worker answers properly.
  const marker = join(tmp, 'exited');
  writeFileSync(
    exiting,
    `const fs = require('node:fs');\nif (!fs.existsSync(${JSON.stringify(marker)})) {\n  require('node:worker_threads').parentPort.on('message', () => { fs.writeFileSync(${JSON.stringify(marker)}, ''); process.exit(3); });\n} else require(${JSON.stringify(WORKER)});\n`,
  );
  const c = client({ workerFile: exiting });
  const [o1, o2] = await Promise.all([c.analyze(URI, 1, request(TEXT)), c.analyze(URI, 2, request(TEXT))]);
  assert.equal(o1!.kind, 'failed');
  assert.match((o1 as { message: string }).message, /exit code 3/);
  assert.deepStrictEqual(done(o2!), analyzeText(request(TEXT)));
  assert.equal(c.mode, 'worker');
});

test('a worker that answers with a malformed message is treated as crashed, and a hung one is stopped by the timeout and replaced (never moved in-thread)', async () => {
  const lying = join(tmp, 'lyingWorker.js');
  writeFileSync(
    lying,
    "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (m) => parentPort.postMessage({ type: 'result', id: m.id, analysis: { models: 'none' }, ms: 1 }));\n",
  );
  const o = await client({ workerFile: lying }).analyze(URI, 1, request(TEXT));
  assert.equal(o.kind, 'failed');
  assert.match((o as { message: string }).message, /malformed/);
  const hung = join(tmp, 'hungWorker.js');
  writeFileSync(hung, "require('node:worker_threads').parentPort.on('message', () => { for (;;) {} });\n");
  const hc = client({ workerFile: hung, timeoutMs: 300 });
  for (let v = 1; v <= 3; v++) {
    const h = await hc.analyze(URI, v, request(TEXT));
    assert.equal(h.kind, 'failed');
    assert.match((h as { message: string }).message, /no answer within 300 ms/);
    // A hang is never moved onto the host's thread: each time a fresh worker takes over.
    assert.equal(hc.mode, 'worker');
  }
});

test('imports: the worker reads only inside the workspace, and a changed imported file re-analyses the cached document', async () => {
  const ws = join(tmp, 'ws');
  mkdirSync(ws, { recursive: true });
  writeFileSync(join(tmp, 'secret.py'), 'WIDTH = 666\n');
  writeFileSync(join(ws, 'widths.py'), 'WIDTH = 5\n');
  const model = (mod: string) =>
    `import torch.nn as nn\nfrom ${mod} import WIDTH\n\n\n# fusion-lens: input=2x4\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, WIDTH)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
  const file = join(ws, 'model.py');
  const req = (mod: string, openTexts: Record<string, string> = {}): AnalyzeRequest => ({ ...request(model(mod)), file, searchRoots: [ws], openTexts });
  const c = client();
  assert.deepEqual(outChannels(done(await c.analyze('ws-model', 1, req('widths')))), [5]);
  assert.notDeepEqual(outChannels(done(await c.analyze('ws-secret', 1, req('secret')))), [666]);
  // Same document text, but the imported module's unsaved text changed: the cache must not answer with WIDTH = 5.
  assert.deepEqual(outChannels(done(await c.analyze('ws-model', 2, req('widths', { [join(ws, 'widths.py')]: 'WIDTH = 9\n' })))), [9]);
  // The same holds for the file on disk, in-thread through the same DocumentAnalyzer class.
  const d = new DocumentAnalyzer();
  assert.deepEqual(outChannels(d.analyze('m', req('widths'))), [5]);
  writeFileSync(join(ws, 'widths.py'), 'WIDTH = 8\n');
  assert.deepEqual(outChannels(d.analyze('m', req('widths'))), [8]);
});

test('a large analysis travels in many slices and is rebuilt exactly; slices that do not match their plan are refused', async () => {
  const text = syntheticModelFile(2000);
  const a = analyzeText({ ...request(text), file: '/bench/model_2000.py', searchRoots: [] });
  const g = a.models[0]?.graph;
  assert.ok(g && g.nodes.length > 300, `nodes: ${g?.nodes.length}`);
  const slices = toSlices(a);
  assert.ok(slices.length > 6, `${slices.length} slices`);
  let pauses = 0;
  const back = await fromSlices(slices, async () => void pauses++);
  assert.equal(pauses, slices.length - 1);
  assert.deepStrictEqual(back, a);
  await assert.rejects(
    fromSlices(slices.slice(0, -1), async () => undefined),
    /do not match/,
  );
});
