// One runner measurement in its own process (onnxruntime-web fixes its thread count per process): prints JSON timings.
// usage: node --import tsx bench/runnerChild.ts node|webview THREADS RUNS MODEL.onnx [MODEL2.onnx …]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadNodeOrt } from '../src/core/run/nodeOrt';
import { createOrtRunner, type OrtModule } from '../src/core/run/ortRunner';
import { configureWebviewOrt } from '../src/core/run/webviewOrt';
import type { RunTensor } from '../src/core/run/runner';

async function main(): Promise<void> {
  const [mode, threadsArg, runsArg, ...models] = process.argv.slice(2);
  const threads = Number(threadsArg);
  const runs = Number(runsArg);
  const ort = mode === 'webview'
    ? configureWebviewOrt((await import('onnxruntime-web/wasm')) as unknown as OrtModule, pathToFileURL(join(__dirname, '../node_modules/onnxruntime-web/dist')).href)
    : await loadNodeOrt({ threads });
  const runner = createOrtRunner(ort);
  const result: { model: string; firstCreateMs: number; createMs: number; runMs: number }[] = [];
  for (const file of models) {
    const bytes = readFileSync(file);
    // The first session also starts the wasm runtime; the second measures session creation alone.
    const first = await runner.createSession(bytes, { threads });
    await first.dispose();
    const s = await runner.createSession(bytes, { threads });
    const feeds: Record<string, RunTensor> = {};
    for (const name of s.inputNames) {
      // FusionModel-style single image input; deterministic values.
      const shape = [4, 3, 256, 256];
      feeds[name] = { dtype: 'float32', shape, data: Float32Array.from({ length: 4 * 3 * 256 * 256 }, (_, i) => Math.sin(i * 0.37)) };
    }
    await s.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      await s.run(feeds);
      times.push(s.lastRunMs!);
    }
    times.sort((a, b) => a - b);
    result.push({ model: file, firstCreateMs: first.sessionCreateMs, createMs: s.sessionCreateMs, runMs: times[Math.floor(times.length / 2)]! });
    await s.dispose();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
