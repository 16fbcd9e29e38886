// The webview configuration (wasm-only build, one thread, no proxy, wasm from a base URI) runs the same runner code; checked under Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configureWebviewOrt } from '../../src/core/run/webviewOrt';
import { createOrtRunner, type OrtModule } from '../../src/core/run/ortRunner';
import { compareTensors, withinOracleTolerance } from '../../src/core/run/compareTensors';
import type { RunTensor } from '../../src/core/run/runner';
import { readSafetensors } from '../../src/core/weights/readSafetensors';

const ROOT = resolve(__dirname, '../..');

test('onnxruntime-web/wasm configured for a webview runs a fixture model and matches PyTorch', async () => {
  const ort = (await import('onnxruntime-web/wasm')) as unknown as OrtModule;
  const configured = configureWebviewOrt(ort, pathToFileURL(join(ROOT, 'node_modules/onnxruntime-web/dist')).href);
  assert.equal(configured.env.wasm.numThreads, 1);
  assert.equal(configured.env.wasm.proxy, false);
  assert.match(String(configured.env.wasm.wasmPaths), /\/dist\/$/);
  const session = await createOrtRunner(configured).createSession(readFileSync(join(ROOT, 'test/fixtures/onnx/cbam_9x11.onnx')));
  const io = readSafetensors(readFileSync(join(ROOT, 'test/fixtures/io/cbam_9x11.safetensors'))).tensors;
  const out = await session.run({ [session.inputNames[0]!]: io.get('input.0') as RunTensor });
  assert.ok(withinOracleTolerance(compareTensors(out['output.0']!, io.get('output.0')!)));
  await session.dispose();
});
