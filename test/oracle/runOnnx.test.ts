// PyTorch's own ONNX exports (oracle and fixtures) run in onnxruntime-web (Node) on the recorded inputs and reproduce PyTorch's outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import { compareTensors, withinOracleTolerance } from '../../src/core/run/compareTensors';
import type { RunTensor } from '../../src/core/run/runner';
import { readSafetensors } from '../../src/core/weights/readSafetensors';
import { sharedPath, sharedSkip } from '../support/shared.mjs';

const ORACLE = sharedPath('oracle');
const FIXTURES = resolve(__dirname, '../fixtures');
type Case = { id: string; onnx?: string; io?: string };
const casesOf = (root: string): Case[] => (existsSync(join(root, 'manifest.json')) ? JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) : []);

/** Runs every case with an ONNX file and io; returns how many ran and the worst relative deviation. */
async function runAll(root: string, cases: Case[]): Promise<{ ran: number; worst: number }> {
  const runner = createOrtRunner(await loadNodeOrt());
  let ran = 0;
  let worst = 0;
  for (const c of cases) {
    if (!c.onnx || !c.io) continue;
    const io = readSafetensors(readFileSync(join(root, c.io)), c.io).tensors;
    const session = await runner.createSession(readFileSync(join(root, c.onnx)), { threads: 1 });
    const feeds: Record<string, RunTensor> = {};
    for (const name of session.inputNames) {
      const t = io.get(name);
      assert.ok(t, `${c.id}: io file has no ${name}`);
      feeds[name] = t;
    }
    const out = await session.run(feeds);
    assert.ok(session.sessionCreateMs > 0 && session.lastRunMs !== null);
    for (const name of session.outputNames) {
      const ref = io.get(name)!;
      const cmp = compareTensors(out[name]!, ref);
      assert.ok(withinOracleTolerance(cmp), `${c.id} ${name}: max-abs-diff ${cmp.maxAbsDiff} (max |ref| ${cmp.maxAbsRef})`);
      worst = Math.max(worst, cmp.maxAbsDiff / Math.max(1, cmp.maxAbsRef));
    }
    await session.dispose();
    ran++;
  }
  return { ran, worst };
}

const oracleCases = casesOf(ORACLE);

test('oracle ONNX files run in onnxruntime-web and match PyTorch outputs', { skip: sharedSkip('oracle', 'manifest.json') }, async () => {
  const { ran, worst } = await runAll(ORACLE, oracleCases);
  assert.equal(ran, 23);
  console.log(`# ${ran} oracle ONNX files ran; worst relative deviation ${worst.toExponential(2)}`);
});

test('fixture ONNX files run in onnxruntime-web and match PyTorch outputs', async () => {
  const cases = casesOf(FIXTURES);
  const { ran, worst } = await runAll(FIXTURES, cases);
  assert.equal(ran, cases.filter((c) => c.onnx && c.io).length);
  console.log(`# ${ran} fixture ONNX files ran; worst relative deviation ${worst.toExponential(2)}`);
});
