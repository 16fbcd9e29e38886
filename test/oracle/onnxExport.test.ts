// Acceptance: interpret each model file, export it to ONNX with PyTorch's weights, run it on PyTorch's inputs, match PyTorch's outputs.
// Set FUSION_LENS_ONNX_CHECK=1 to also pass every exported model through onnx.checker (needs /usr/bin/python3 with onnx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { exportOnnx } from '../../src/core/onnx/encodeOnnx';
import { compareTensors, withinOracleTolerance } from '../../src/core/run/compareTensors';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import type { RunTensor } from '../../src/core/run/runner';
import { loadStateDict } from '../../src/core/weights/loadStateDict';
import { readSafetensors } from '../../src/core/weights/readSafetensors';
import { initTestParser } from '../support/pythonWasm';
import { caseModel, type CaseModel } from '../support/oracleCompare';
import { sharedPath, sharedSkip } from '../support/shared.mjs';

const ORACLE = sharedPath('oracle');
const FIXTURES = resolve(__dirname, '../fixtures');
const CHECK = process.env.FUSION_LENS_ONNX_CHECK === '1';

interface Case extends CaseModel {
  weights?: string;
  io?: string;
}

const casesOf = (root: string): Case[] => (existsSync(join(root, 'manifest.json')) ? JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) : []);

/** Runs onnx.checker (full check) on a file; returns an error text or null. */
function onnxCheck(bytes: Uint8Array): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'fl-check-'));
  const f = join(dir, 'm.onnx');
  writeFileSync(f, bytes);
  const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', f], {
    encoding: 'utf8',
  });
  return r.status === 0 ? null : r.stderr.trim().split('\n').slice(-3).join(' ');
}

export interface ExportOutcome {
  readonly id: string;
  readonly ok: boolean;
  readonly why?: string;
  readonly worst?: number;
}

/** Interprets, exports and runs every case with weights and io; returns per-case outcomes. */
async function exportAll(root: string, cases: Case[], onlyIds?: ReadonlySet<string>): Promise<ExportOutcome[]> {
  await initTestParser();
  const runner = createOrtRunner(await loadNodeOrt());
  const out: ExportOutcome[] = [];
  for (const c of cases) {
    if (!c.weights || !c.io || (onlyIds && !onlyIds.has(c.id))) continue;
    const file = resolve(root, c.file);
    const fa = analyzeSource({
      text: readFileSync(file, 'utf8'),
      file,
      readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
      searchRoots: [dirname(file), resolve(root, 'models')],
      models: [caseModel(c)],
    });
    const graph = fa.models[0]?.graph;
    if (!graph) {
      out.push({ id: c.id, ok: false, why: `not interpreted: ${fa.models[0]?.diagnostics.map((d) => d.message).join('; ')}` });
      continue;
    }
    try {
      const weights = loadStateDict(graph.stateDict, readSafetensors(readFileSync(join(root, c.weights)), c.weights), c.weights).tensors;
      const m = exportOnnx(graph, { weights });
      if (CHECK) {
        const err = onnxCheck(m.bytes);
        if (err) throw new Error(`onnx.checker: ${err}`);
      }
      const io = readSafetensors(readFileSync(join(root, c.io)), c.io).tensors;
      const session = await runner.createSession(m.bytes);
      const feeds: Record<string, RunTensor> = {};
      for (const n of m.inputNames) feeds[n] = io.get(n)!;
      const res = await session.run(feeds);
      await session.dispose();
      let worst = 0;
      let bad = '';
      for (const n of m.outputNames) {
        const cmp = compareTensors(res[n]!, io.get(n)!);
        worst = Math.max(worst, cmp.maxAbsDiff / Math.max(1, cmp.maxAbsRef));
        if (!withinOracleTolerance(cmp)) bad += `${n}: max-abs-diff ${cmp.maxAbsDiff} (max |ref| ${cmp.maxAbsRef}) `;
      }
      out.push(bad ? { id: c.id, ok: false, why: bad, worst } : { id: c.id, ok: true, worst });
    } catch (e) {
      out.push({ id: c.id, ok: false, why: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

function report(label: string, outcomes: readonly ExportOutcome[]): void {
  const ok = outcomes.filter((o) => o.ok);
  const worst = Math.max(0, ...ok.map((o) => o.worst ?? 0));
  console.log(`# ${label}: ${ok.length}/${outcomes.length} exported models match PyTorch; worst relative deviation ${worst.toExponential(2)}`);
  for (const o of outcomes) if (!o.ok) console.log(`#   ${o.id}: ${o.why}`);
}

/** Acceptance of issue 4: every case with weights and io exports, runs and matches within 1e-4 × max(1, max|ref|). */
function failures(outcomes: readonly ExportOutcome[]): string[] {
  return outcomes.filter((o) => !o.ok).map((o) => `${o.id}: ${o.why}`);
}

const oracleCases = casesOf(ORACLE);

test('oracle models export to ONNX and reproduce PyTorch outputs', { skip: sharedSkip('oracle', 'manifest.json') }, async () => {
  const outcomes = await exportAll(ORACLE, oracleCases);
  report('oracle', outcomes);
  assert.equal(outcomes.length, oracleCases.filter((c) => c.weights && c.io).length);
  assert.ok(outcomes.length > 0);
  assert.deepEqual(failures(outcomes), []);
  // sum_fusion and attention_fusion have no PyTorch export; ours must run them.
  assert.ok(outcomes.find((o) => o.id === 'sum_fusion')?.ok && outcomes.find((o) => o.id === 'attention_fusion')?.ok);
});

test('fixture models export to ONNX and reproduce PyTorch outputs', async () => {
  const cases = casesOf(FIXTURES);
  const outcomes = await exportAll(FIXTURES, cases);
  report('fixtures', outcomes);
  assert.equal(outcomes.length, cases.filter((c) => c.weights && c.io).length);
  assert.ok(outcomes.length > 0);
  assert.deepEqual(failures(outcomes), []);
});
