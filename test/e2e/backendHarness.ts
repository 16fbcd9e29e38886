// Runs the oracle's cases (our ONNX export with PyTorch's weights, PyTorch's inputs) in Chromium through the run panel's backends, on WebGPU and on wasm, against PyTorch's outputs.
// usage: node --import tsx test/e2e/backendHarness.ts [--port N] [--no-webgpu] [--taps] [--choices auto,wasm,webgpu] [--only ID,…] [--out FILE.json]
//        … --no-webgpu --only ID --ab ID [--rounds N]   the wasm path before/after the backend choice, alternating
//        … --no-webgpu --only ID --build-ab ID [--rounds N]   the wasm-only binary against the WebGPU build's asyncify binary on the CPU
// Chromium gets a software WebGPU adapter (SwiftShader) with --enable-unsafe-webgpu; without the flag the same page has none
// and `auto` must fall back to wasm. The page is served cross-origin isolated (COOP/COEP), so wasm may use threads.
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { exportOnnx } from '../../src/core/onnx/encodeOnnx';
import { layerValueIds } from '../../src/core/run/layerStats';
import { backendTolerance, type BackendInfo } from '../../src/core/run/backend';
import { compareTensors } from '../../src/core/run/compareTensors';
import { loadStateDict } from '../../src/core/weights/loadStateDict';
import { readSafetensors } from '../../src/core/weights/readSafetensors';
import { caseModel, packageRoot, type CaseModel } from '../support/oracleCompare';
import { initTestParser } from '../support/pythonWasm';

const ROOT = resolve(__dirname, '../..');
const ORACLE = process.env.FUSION_LENS_ORACLE ?? resolve(ROOT, '../shared/oracle');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const PORT = Number(arg('--port') ?? 8148);
const WEBGPU = !process.argv.includes('--no-webgpu');
const OUT = arg('--out');
const ONLY = arg('--only')?.split(',');
/** Export with every layer's in-graph statistics behind the summary gate, as the run panel's ordinary run does. */
const TAPS = process.argv.includes('--taps');
const CHOICES = (arg('--choices') ?? 'auto,wasm').split(',') as ('auto' | 'webgpu' | 'wasm')[];

interface Case extends CaseModel {
  weights?: string;
  io?: string;
}

interface Prepared {
  id: string;
  onnx: Uint8Array;
  inputs: { name: string; dtype: 'float32' | 'int64' | 'bool'; shape: number[]; bytes: Uint8Array }[];
  outputs: { name: string; shape: number[]; data: Float32Array }[];
}

function prepare(c: Case): Prepared | string {
  const file = resolve(ORACLE, c.file);
  const fa = analyzeSource({
    text: readFileSync(file, 'utf8'),
    file,
    readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
    searchRoots: [packageRoot(file, c.module), resolve(ORACLE, 'models')],
    models: [caseModel(c)],
  });
  const graph = fa.models[0]?.graph;
  if (!graph) return 'not interpreted';
  const weights = loadStateDict(graph.stateDict, readSafetensors(readFileSync(join(ORACLE, c.weights!)), c.weights!), c.weights!).tensors;
  const inputIds = new Set(graph.inputs.map((i) => i.value));
  const statsOutputs = TAPS ? layerValueIds(graph).filter((v) => !graph.outputs.includes(v) && !inputIds.has(v)) : [];
  const m = exportOnnx(graph, { weights, statsOutputs });
  const io = readSafetensors(readFileSync(join(ORACLE, c.io!)), c.io!).tensors;
  const inputs: Prepared['inputs'] = m.inputNames.map((n) => {
    const t = io.get(n)!;
    const data = t.data as Float32Array | BigInt64Array;
    return { name: n, dtype: t.dtype as 'float32' | 'int64', shape: [...t.shape], bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  });
  if (m.summaryGate) inputs.push({ name: m.summaryGate, dtype: 'bool', shape: [], bytes: Uint8Array.of(1) });
  const outputs = m.outputNames.map((n) => ({ name: n, shape: [...io.get(n)!.shape], data: io.get(n)!.data as Float32Array }));
  return { id: c.id, onnx: m.bytes, inputs, outputs };
}

async function main(): Promise<void> {
  if (!existsSync(join(ORACLE, 'manifest.json'))) {
    console.log(`backend harness: skipped, no oracle at ${ORACLE}`);
    return;
  }
  if (!existsSync(join(ROOT, 'dist/wasm/ort.webgpu.min.mjs'))) throw new Error('run `node esbuild.mjs` first (dist/wasm holds the runtime files)');
  await initTestParser();
  const cases = (JSON.parse(readFileSync(join(ORACLE, 'manifest.json'), 'utf8')) as Case[]).filter((c) => c.weights && c.io && (!ONLY || ONLY.includes(c.id)));
  const prepared = new Map<string, Prepared>();
  const skipped: string[] = [];
  for (const c of cases) {
    try {
      const p = prepare(c);
      if (typeof p === 'string') skipped.push(`${c.id}: ${p}`);
      else prepared.set(c.id, p);
    } catch (e) {
      skipped.push(`${c.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const page = await esbuild.build({
    entryPoints: [join(__dirname, 'backendHarnessPage.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const script = page.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    // cross-origin isolated, as VS Code serves webviews when started with cross-origin isolation
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    const url = req.url ?? '/';
    const send = (type: string, body: string | Uint8Array): void => {
      res.setHeader('Content-Type', type);
      res.end(body);
    };
    if (url === '/')
      return send('text/html', '<!DOCTYPE html><meta charset="utf-8"><title>backend harness</title><script type="module" src="/harness.js"></script>');
    if (url === '/harness.js') return send('text/javascript', script);
    let m = /^\/wasm\/([\w.-]+)$/.exec(url);
    if (m && existsSync(join(ROOT, 'dist/wasm', m[1]!)))
      return send(m[1]!.endsWith('.wasm') ? 'application/wasm' : 'text/javascript', readFileSync(join(ROOT, 'dist/wasm', m[1]!)));
    m = /^\/case\/([\w-]+)\/(model\.onnx|input\/(\d+))$/.exec(url);
    const p = m ? prepared.get(m[1]!) : undefined;
    if (p && m![2] === 'model.onnx') return send('application/octet-stream', p.onnx);
    if (p && m![3] !== undefined && p.inputs[Number(m![3])]) return send('application/octet-stream', p.inputs[Number(m![3])]!.bytes);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(PORT, '127.0.0.1', r));
  const profile = mkdtempSync(join(tmpdir(), 'fl-harness-'));
  // Debian's Chromium: --enable-unsafe-webgpu alone gives the SwiftShader (Vulkan, software) adapter, even headless with --disable-gpu.
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', ...(WEBGPU ? ['--enable-unsafe-webgpu'] : [])];
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args });
  const report: Record<string, unknown>[] = [];
  let failures = 0;
  try {
    const tab = ctx.pages()[0] ?? (await ctx.newPage());
    await tab.goto(`http://127.0.0.1:${PORT}/`);
    await tab.waitForFunction(() => 'harness' in globalThis, undefined, { timeout: 30000 });
    const env = await tab.evaluate(() => {
      const h = (globalThis as unknown as { harness: { isolated(): boolean; cores(): number } }).harness;
      return { isolated: h.isolated(), cores: h.cores() };
    });
    console.log(`page: crossOriginIsolated ${env.isolated}, hardwareConcurrency ${env.cores}; Chromium ${WEBGPU ? 'with' : 'without'} --enable-unsafe-webgpu`);
    const ab = arg('--ab');
    if (ab) {
      // nothing slower on the wasm path: the old panel runner and the new one, alternating, one thread
      const p = prepared.get(ab);
      if (!p) throw new Error(`--ab ${ab}: no such prepared case`);
      const feeds = p.inputs.map((x, i) => ({ name: x.name, dtype: x.dtype, shape: x.shape, url: `/case/${p.id}/input/${i}` }));
      const r = (await tab.evaluate(
        ([u, f, n]) => (globalThis as unknown as { harness: { abRun(a: unknown, b: unknown, c: number): Promise<unknown> } }).harness.abRun(u, f, n),
        [`/case/${p.id}/model.onnx`, feeds, Number(arg('--rounds') ?? 7)] as const,
      )) as { times: { before: number[]; after: number[] }; backend: BackendInfo };
      const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const b = median(r.times.before);
      const a = median(r.times.after);
      console.log(
        `A/B ${p.id}, 1 thread, alternating: before (createOrtRunner over loadWebOrt) median ${b.toFixed(0)} ms [${r.times.before.map((t) => t.toFixed(0)).join(', ')}]`,
      );
      console.log(
        `                                   after (Backends auto → ${r.backend.kind}) median ${a.toFixed(0)} ms [${r.times.after.map((t) => t.toFixed(0)).join(', ')}]; ratio ${(a / b).toFixed(3)}`,
      );
      report.push({ id: p.id, ab: r.times, ratio: a / b });
    }
    const buildAb = arg('--build-ab');
    if (buildAb) {
      // one wasm binary for both paths? the WebGPU build's asyncify wasm on the CPU against the wasm-only build, alternating
      const p = prepared.get(buildAb);
      if (!p) throw new Error(`--build-ab ${buildAb}: no such prepared case`);
      const feeds = p.inputs.map((x, i) => ({ name: x.name, dtype: x.dtype, shape: x.shape, url: `/case/${p.id}/input/${i}` }));
      const r = (await tab.evaluate(
        ([u, f, n]) => (globalThis as unknown as { harness: { buildAbRun(a: unknown, b: unknown, c: number): Promise<unknown> } }).harness.buildAbRun(u, f, n),
        [`/case/${p.id}/model.onnx`, feeds, Number(arg('--rounds') ?? 7)] as const,
      )) as { times: { plain: number[]; asyncify: number[] }; startMs: { plain: number; asyncify: number } };
      const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const a = median(r.times.plain);
      const b = median(r.times.asyncify);
      console.log(`wasm binaries on ${p.id}, 1 thread, alternating:`);
      console.log(
        `  wasm-only build   median ${a.toFixed(0)} ms [${r.times.plain.map((t) => t.toFixed(0)).join(', ')}]; start + session ${r.startMs.plain.toFixed(0)} ms`,
      );
      console.log(
        `  asyncify (WebGPU) median ${b.toFixed(0)} ms [${r.times.asyncify.map((t) => t.toFixed(0)).join(', ')}]; start + session ${r.startMs.asyncify.toFixed(0)} ms; ratio ${(b / a).toFixed(3)}`,
      );
      report.push({ id: p.id, buildAb: r });
    }
    for (const choice of ab || buildAb ? [] : CHOICES) {
      for (const p of prepared.values()) {
        const feeds = p.inputs.map((x, i) => ({ name: x.name, dtype: x.dtype, shape: x.shape, url: `/case/${p.id}/input/${i}` }));
        const r = (await tab
          .evaluate(
            ([u, f, c]) =>
              (globalThis as unknown as { harness: { runCase(a: unknown, b: unknown, c: unknown, d: number): Promise<unknown> } }).harness.runCase(u, f, c, 4),
            [`/case/${p.id}/model.onnx`, feeds, choice] as const,
          )
          .catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }))) as {
          error?: string;
          backend?: BackendInfo;
          createMs?: number;
          runMs?: number;
          outputs?: Record<string, { shape: number[]; data: number[] }>;
        };
        if (r.error || !r.outputs || !r.backend) {
          failures++;
          console.log(`FAIL ${choice} ${p.id}: ${r.error ?? 'no outputs'}`);
          report.push({ id: p.id, choice, error: r.error });
          continue;
        }
        let worst = 0;
        for (const o of p.outputs) {
          const got = r.outputs[o.name];
          if (!got) throw new Error(`${p.id}: no output ${o.name}`);
          const c = compareTensors(
            { dtype: 'float32', shape: got.shape, data: Float32Array.from(got.data) },
            { dtype: 'float32', shape: o.shape, data: o.data },
          );
          worst = Math.max(worst, c.maxAbsDiff / Math.max(1, c.maxAbsRef));
        }
        const tol = backendTolerance(r.backend.kind);
        const ok = worst <= tol;
        if (!ok) failures++;
        const where =
          r.backend.kind === 'webgpu'
            ? `webgpu (${r.backend.adapter})${r.backend.note ? ` [${r.backend.note.slice(0, 40)}…]` : ''}`
            : `wasm ${r.backend.threads} thread(s)${r.backend.fallback ? ` [fallback: ${r.backend.fallback}]` : ''}`;
        console.log(
          `${ok ? 'PASS' : 'FAIL'} ${choice.padEnd(4)} ${p.id.padEnd(24)} ${where}: worst relative |Δ| ${worst.toExponential(2)} (tolerance ${tol}); create ${r.createMs!.toFixed(0)} ms, run ${r.runMs!.toFixed(0)} ms`,
        );
        report.push({ id: p.id, choice, backend: r.backend, worstRelative: worst, tolerance: tol, createMs: r.createMs, runMs: r.runMs });
      }
    }
    const logs = await tab.evaluate(() => (globalThis as unknown as { harness: { logs: string[] } }).harness.logs);
    for (const l of logs) console.log(`page log: ${l}`);
  } finally {
    await ctx.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  for (const s of skipped) console.log(`skipped ${s}`);
  const gpu = report.filter((r) => (r.backend as BackendInfo | undefined)?.kind === 'webgpu');
  const worstGpu = gpu.reduce((w, r) => (Number(r.worstRelative) > Number(w.worstRelative ?? -1) ? r : w), {} as Record<string, unknown>);
  if (gpu.length)
    console.log(
      `WebGPU: ${gpu.length} case(s); worst relative deviation from PyTorch ${Number(worstGpu.worstRelative).toExponential(2)} (${String(worstGpu.id)})`,
    );
  if (OUT) writeFileSync(OUT, `${JSON.stringify({ webgpuFlag: WEBGPU, report, skipped }, null, 2)}\n`);
  console.log(`${report.length - failures} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
