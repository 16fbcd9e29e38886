// Runner figures: FusionModel (4×3×256×256) forward with our ONNX vs PyTorch's export, 1 vs 2 threads, session creation, webview build vs Node build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeModels, weightsFor } from '../src/cli/runCommand';
import { exportOnnx } from '../src/core/onnx/encodeOnnx';
import type { BenchRow } from './benchRow';
import { sharedPath } from '../test/support/shared.mjs';

const ORACLE = sharedPath('oracle');

interface ChildResult {
  model: string;
  firstCreateMs: number;
  createMs: number;
  runMs: number;
}

/** Runs bench/runnerChild.ts in a fresh process (the thread count is per process). */
export function child(mode: 'node' | 'webview' | 'native', threads: number, runs: number, models: string[]): ChildResult[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'runnerChild.ts'), mode, String(threads), String(runs), ...models], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`runner bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult[];
}

/** Our export of FusionModel (4×3×256×256): the oracle's model file and weights when present, else the example with seeded weights. */
export async function exportFusionModel(): Promise<{ readonly ours: string; readonly modelFile: string }> {
  const oracleModel = join(ORACLE, 'models/seed_fusion.py');
  const haveOracle = existsSync(oracleModel);
  const file = haveOracle ? oracleModel : resolve(__dirname, '../examples/fusion_cnn.py');
  const [graph] = await analyzeModels(file, ['FusionModel()'], ['4x3x256x256']);
  const weights = weightsFor(graph!, haveOracle ? join(ORACLE, 'weights/fusion_4x256.safetensors') : null, 0);
  mkdirSync('.bench', { recursive: true });
  const ours = resolve('.bench/fusion_4x256.ours.onnx');
  writeFileSync(ours, exportOnnx(graph!, { weights }).bytes);
  return { ours, modelFile: file };
}

export async function runnerBench(runs: number): Promise<BenchRow[]> {
  const { ours } = await exportFusionModel();
  const torchExport = join(ORACLE, 'onnx/fusion_4x256.onnx');
  const models = existsSync(torchExport) ? [ours, torchExport] : [ours];

  const one = child('node', 1, runs, models);
  const two = child('node', 2, runs, [ours]);
  const web = child('webview', 1, runs, [ours]);
  const rows: BenchRow[] = [];
  const oursOne = one[0]!;
  if (one[1]) {
    rows.push({
      section: 'runner',
      figure: 'FusionModel 4×3×256×256 forward, our ONNX, Node, 1 thread',
      value: oursOne.runMs,
      unit: 'ms',
      baseline: "PyTorch's export (fusion_4x256.onnx), same runner",
      baselineValue: one[1].runMs,
      target: 'ratio ≤ 1.05',
    });
  }
  rows.push({
    section: 'runner',
    figure: 'FusionModel forward, our ONNX, Node, 2 threads',
    value: two[0]!.runMs,
    unit: 'ms',
    baseline: 'same at 1 thread',
    baselineValue: oursOne.runMs,
    target: 'ratio ≤ 0.56 (≥ 1.8× faster)',
  });
  rows.push({
    section: 'runner',
    figure: 'session create, our FusionModel ONNX (runtime started)',
    value: oursOne.createMs,
    unit: 'ms',
    baseline: one[1] ? "PyTorch's export" : 'first session incl. wasm start',
    baselineValue: one[1] ? one[1].createMs : oursOne.firstCreateMs,
    target: '≤ 300 ms',
  });
  rows.push({
    section: 'runner',
    figure: 'FusionModel forward, webview build (onnxruntime-web/wasm, 1 thread, no proxy)',
    value: web[0]!.runMs,
    unit: 'ms',
    baseline: 'Node runner, 1 thread',
    baselineValue: oursOne.runMs,
    target: 'ratio ≤ 1.10',
  });
  return rows;
}
