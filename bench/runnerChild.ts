// One runner measurement in its own process (onnxruntime-web fixes its thread count per process): prints JSON timings.
// usage: node --import tsx bench/runnerChild.ts node|webview|native THREADS RUNS MODEL.onnx [MODEL2.onnx …]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadNodeOrt } from '../src/core/run/nodeOrt';
import { loadNativeOrt } from '../src/core/run/nativeOrt';
import { createOrtRunner, type OrtModule } from '../src/core/run/ortRunner';
import { configureWebviewOrt } from '../src/core/run/webviewOrt';
import type { RunTensor } from '../src/core/run/runner';

async function main(): Promise<void> {
  const [mode, threadsArg, runsArg, ...models] = process.argv.slice(2);
  const threads = Number(threadsArg);
  const runs = Number(runsArg);
  const ort =
    mode === 'webview'
      ? configureWebviewOrt(
          (await import('onnxruntime-web/wasm')) as unknown as OrtModule,
          pathToFileURL(join(__dirname, '../node_modules/onnxruntime-web/dist')).href,
        )
      : mode === 'native'
        ? loadNativeOrt()
        : await loadNodeOrt({ threads });
  const runner = createOrtRunner(ort, { provider: mode === 'native' ? 'cpu' : 'wasm' });
  // FusionModel-style single image input; deterministic values.
  const image: RunTensor = { dtype: 'float32', shape: [4, 3, 256, 256], data: Float32Array.from({ length: 4 * 3 * 256 * 256 }, (_, i) => Math.sin(i * 0.37)) };
  const sessions = [];
  for (const file of models) {
    const bytes = readFileSync(file);
    // The first session also starts the wasm runtime; the second measures session creation alone.
    const first = await runner.createSession(bytes, { threads });
    await first.dispose();
    const s = await runner.createSession(bytes, { threads });
    await s.run({ [s.inputNames[0]!]: image });
    sessions.push({ file, first: first.sessionCreateMs, s, times: [] as number[] });
  }
  // Runs interleave across models so that load changes on a shared machine hit all of them alike.
  for (let i = 0; i < runs; i++) {
    for (const m of sessions) {
      await m.s.run({ [m.s.inputNames[0]!]: image });
      m.times.push(m.s.lastRunMs!);
    }
  }
  const result = sessions.map((m) => {
    const sorted = [...m.times].sort((a, b) => a - b);
    return { model: m.file, firstCreateMs: m.first, createMs: m.s.sessionCreateMs, runMs: sorted[Math.floor(sorted.length / 2)]!, times: m.times };
  });
  for (const m of sessions) await m.s.dispose();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
