// The in-graph per-layer statistics in float32 and in float64 against the exact figures of the whole tensors, on the oracle's cases (PyTorch's weights and inputs).
// usage: node --import tsx test/oracle/statsPrecision.ts [--only ID,…]   prints the worst errors per case and overall
// Errors: mean as |Δ| / max(std, |mean|) (a mean near zero is read against the spread), std relative, min/max relative.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { exportOnnx } from '../../src/core/onnx/encodeOnnx';
import type { StatsDtype } from '../../src/core/ops/lowerStats';
import { layerValueIds, summaryGateFeed } from '../../src/core/run/layerStats';
import { loadNodeOrt } from '../../src/core/run/nodeOrt';
import { createOrtRunner } from '../../src/core/run/ortRunner';
import type { RunTensor } from '../../src/core/run/runner';
import { statsFromVector, tensorStats, type TensorStats } from '../../src/core/run/tensorStats';
import { loadStateDict } from '../../src/core/weights/loadStateDict';
import { readSafetensors } from '../../src/core/weights/readSafetensors';
import { caseModel, packageRoot, type CaseModel } from '../support/oracleCompare';
import { initTestParser } from '../support/pythonWasm';
import { sharedPath } from '../support/shared.mjs';

interface Case extends CaseModel {
  weights?: string;
  io?: string;
}
type Errors = { mean: number; std: number; minMax: number; count: number };
const worse = (a: Errors, b: Errors): Errors => ({
  mean: Math.max(a.mean, b.mean),
  std: Math.max(a.std, b.std),
  minMax: Math.max(a.minMax, b.minMax),
  count: Math.max(a.count, b.count),
});
const ZERO: Errors = { mean: 0, std: 0, minMax: 0, count: 0 };

function errors(got: TensorStats, want: TensorStats): Errors {
  const rel = (a: number, b: number, scale: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(scale, 1e-30));
  return {
    mean: rel(got.mean, want.mean, Math.max(want.std, Math.abs(want.mean))),
    std: rel(got.std, want.std, want.std),
    minMax: Math.max(rel(got.min, want.min, Math.abs(want.min)), rel(got.max, want.max, Math.abs(want.max))),
    count: Math.abs(got.count - want.count) + Math.abs(got.nonFinite - want.nonFinite),
  };
}

async function main(): Promise<void> {
  const oracle = sharedPath('oracle');
  if (!oracle || !existsSync(join(oracle, 'manifest.json'))) {
    console.log('stats precision: skipped, no ../shared/oracle');
    return;
  }
  const i = process.argv.indexOf('--only');
  const only = i >= 0 ? process.argv[i + 1]!.split(',') : null;
  await initTestParser();
  const ort = createOrtRunner(await loadNodeOrt());
  const cases = (JSON.parse(readFileSync(join(oracle, 'manifest.json'), 'utf8')) as Case[]).filter((c) => c.weights && c.io && (!only || only.includes(c.id)));
  const total: Record<StatsDtype, Errors> = { float32: ZERO, float64: ZERO };
  let layers = 0;
  for (const c of cases) {
    const file = resolve(oracle, c.file);
    const fa = analyzeSource({
      text: readFileSync(file, 'utf8'),
      file,
      readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
      searchRoots: [packageRoot(file, c.module), resolve(oracle, 'models')],
      models: [caseModel(c)],
    });
    const graph = fa.models[0]?.graph;
    if (!graph) {
      console.log(`${c.id}: not interpreted`);
      continue;
    }
    const weights = loadStateDict(graph.stateDict, readSafetensors(readFileSync(join(oracle, c.weights!)), c.weights!), c.weights!).tensors;
    const io = readSafetensors(readFileSync(join(oracle, c.io!)), c.io!).tensors;
    const inputIds = new Set(graph.inputs.map((v) => v.value));
    const values = layerValueIds(graph).filter((v) => !graph.outputs.includes(v) && !inputIds.has(v));
    const per: Record<StatsDtype, Errors> = { float32: ZERO, float64: ZERO };
    // one layer at a time as a whole output keeps the memory of the 4×…×256×256 cases small: exact stats first, then both vectors
    const exact = new Map<string, TensorStats>();
    const full = exportOnnx(graph, { weights, extraOutputs: values });
    const feeds: Record<string, RunTensor> = {};
    const session = await ort.createSession(full.bytes);
    for (const n of full.inputNames) {
      const t = io.get(n)!;
      feeds[n] = { dtype: t.dtype as RunTensor['dtype'], shape: [...t.shape], data: t.data as Float32Array };
    }
    for (const v of values) {
      const out = await session.run(feeds, [full.extraOutputs.get(v)!]);
      exact.set(v, tensorStats(out[full.extraOutputs.get(v)!]!.data));
    }
    await session.dispose();
    for (const sd of ['float32', 'float64'] as const) {
      const m = exportOnnx(graph, { weights, statsOutputs: values, statsDtype: sd });
      const s = await ort.createSession(m.bytes);
      const out = await s.run({ ...feeds, ...summaryGateFeed(s.inputNames, true) });
      for (const v of values) {
        const so = m.statsOutputs.get(v)!;
        per[sd] = worse(per[sd], errors(statsFromVector(out[so.name]!.data, so.dims), exact.get(v)!));
      }
      await s.dispose();
      total[sd] = worse(total[sd], per[sd]);
    }
    layers += values.length;
    const f = (e: Errors): string =>
      `mean ${e.mean.toExponential(1)}, std ${e.std.toExponential(1)}, min/max ${e.minMax.toExponential(1)}, counts off ${e.count}`;
    console.log(`${c.id.padEnd(22)} ${String(values.length).padStart(3)} layers  float32: ${f(per.float32)}   float64: ${f(per.float64)}`);
  }
  const f = (e: Errors): string =>
    `mean ${e.mean.toExponential(2)}, std ${e.std.toExponential(2)}, min/max ${e.minMax.toExponential(2)}, counts off ${e.count}`;
  console.log(`worst over ${cases.length} cases, ${layers} layers:\n  float32 ${f(total.float32)}\n  float64 ${f(total.float64)}`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
