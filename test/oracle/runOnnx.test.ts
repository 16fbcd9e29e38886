// PyTorch's own ONNX exports run in onnxruntime-web (Node) on the oracle inputs and reproduce the oracle outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import { compareTensors, withinOracleTolerance } from '../../src/core/run/compareTensors';
import type { RunTensor } from '../../src/core/run/runner';
import { readSafetensors } from '../../src/core/weights/readSafetensors';

const ORACLE = process.env.FUSION_LENS_ORACLE ?? resolve(__dirname, '../../../shared/oracle');
const manifestPath = join(ORACLE, 'manifest.json');
const cases: { id: string; onnx?: string; io?: string }[] = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : [];

test('oracle ONNX files run in onnxruntime-web and match PyTorch outputs', { skip: cases.length === 0 && 'no ../shared/oracle' }, async () => {
  const runner = createOrtRunner(await loadNodeOrt());
  let ran = 0;
  let worst = 0;
  for (const c of cases) {
    if (!c.onnx || !c.io) continue;
    const io = readSafetensors(readFileSync(join(ORACLE, c.io)), c.io).tensors;
    const session = await runner.createSession(readFileSync(join(ORACLE, c.onnx)), { threads: 1 });
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
  assert.equal(ran, 23);
  console.log(`# ${ran} oracle ONNX files ran; worst relative deviation ${worst.toExponential(2)}`);
});
