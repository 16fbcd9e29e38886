// Acceptance: oracle cases run from a torch.save .pth of their weights give exactly the outputs they give from their .safetensors.
// The .pth files (test/fixtures/checkpoints/oracle, written by gen_checkpoints.py with torch 1.13 in rotating formats:
// zip/legacy, protocol 2/4, a DataParallel prefix, a nested checkpoint) cover the oracle cases whose weights are under 130 kB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { exportOnnx } from '../../src/core/onnx/encodeOnnx';
import { compareTensors } from '../../src/core/run/compareTensors';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import type { RunTensor } from '../../src/core/run/runner';
import { loadStateDict } from '../../src/core/weights/loadStateDict';
import { readSafetensors } from '../../src/core/weights/readSafetensors';
import { readWeightsFile } from '../../src/core/weights/readWeightsFile';
import { initTestParser } from '../support/pythonWasm';
import { caseModel, type CaseModel } from '../support/oracleCompare';
import { sharedPath, sharedSkip } from '../support/shared.mjs';

const ORACLE = sharedPath('oracle');
const PTH = resolve(__dirname, '../fixtures/checkpoints/oracle');

interface Case extends CaseModel {
  weights?: string;
  io?: string;
}

const cases: Case[] = existsSync(join(ORACLE, 'manifest.json')) ? JSON.parse(readFileSync(join(ORACLE, 'manifest.json'), 'utf8')) : [];
const pth = new Set(
  readdirSync(PTH)
    .filter((f) => f.endsWith('.pth'))
    .map((f) => f.slice(0, -4)),
);

test(
  'oracle cases from a .pth of their weights: same tensors and the same outputs as from .safetensors (max |a − b| = 0)',
  { skip: sharedSkip('oracle', 'manifest.json') },
  async () => {
    await initTestParser();
    const runner = createOrtRunner(await loadNodeOrt());
    const run = cases.filter((c) => c.weights && c.io && pth.has(c.id));
    assert.equal(run.length, pth.size, 'every committed .pth has its oracle case');
    const formats = new Set<string>();
    for (const c of run) {
      const file = resolve(ORACLE, c.file);
      const fa = analyzeSource({
        text: readFileSync(file, 'utf8'),
        file,
        readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
        searchRoots: [dirname(file), resolve(ORACLE, 'models')],
        models: [caseModel(c)],
      });
      const graph = fa.models[0]!.graph!;
      const fromSt = loadStateDict(graph.stateDict, readSafetensors(readFileSync(join(ORACLE, c.weights!)), c.weights), c.weights).tensors;
      const ckpt = readWeightsFile(readFileSync(join(PTH, `${c.id}.pth`)), `${c.id}.pth`);
      formats.add(
        ckpt.format === 'safetensors' ? ckpt.format : `${ckpt.format}${ckpt.entry.path ? ' nested' : ''}${ckpt.strippedPrefixes.length ? ' prefixed' : ''}`,
      );
      const fromPth = loadStateDict(graph.stateDict, ckpt, `${c.id}.pth`).tensors;
      for (const [name, a] of fromSt) assert.deepEqual(fromPth.get(name), a, `${c.id}: ${name}`);
      const io = readSafetensors(readFileSync(join(ORACLE, c.io!)), c.io).tensors;
      const outputs = async (weights: typeof fromSt) => {
        const m = exportOnnx(graph, { weights });
        const session = await runner.createSession(m.bytes);
        const feeds: Record<string, RunTensor> = {};
        for (const n of m.inputNames) feeds[n] = io.get(n)!;
        const res = await session.run(feeds);
        await session.dispose();
        return m.outputNames.map((n) => res[n]!);
      };
      const a = await outputs(fromSt);
      const b = await outputs(fromPth);
      a.forEach((t, i) => assert.equal(compareTensors(t, b[i]!).maxAbsDiff, 0, `${c.id} output ${i}`));
    }
    console.log(`# ${run.length} oracle cases, formats: ${[...formats].join(', ')}`);
    assert.ok(formats.size >= 4, [...formats].join(', '));
  },
);
