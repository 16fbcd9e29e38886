// PyTorch checkpoints of the project's fixtures load by name onto the state_dict entries the interpreter derives from the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { initStateDict } from '../../src/core/weights/initStateDict';
import { loadStateDict } from '../../src/core/weights/loadStateDict';
import { readSafetensors } from '../../src/core/weights/readSafetensors';
import { initTestParser } from './pythonWasm';

const FIXTURES = resolve(__dirname, '../fixtures');

interface Case {
  id: string;
  file: string;
  class?: string;
  builder?: string;
  kwargs: Record<string, unknown>;
  inputs: { name: string; shape: number[]; dtype: 'float32' | 'int64' | 'bool' }[];
  input_kind?: 'args' | 'list' | 'dict';
  params_total: number;
  weights?: string;
}

function pyLiteral(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  return String(v);
}

test('fixture checkpoints fit the analysed state_dict: names, shapes, dtypes; seeded init gives the same entries', async () => {
  await initTestParser();
  const cases = (JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Case[]).filter((c) => c.weights);
  const loaded: string[] = [];
  const unanalysed: string[] = [];
  for (const c of cases) {
    const file = join(FIXTURES, c.file);
    const expr = `${c.class ?? c.builder}(${Object.entries(c.kwargs).map(([k, v]) => `${k}=${pyLiteral(v)}`).join(', ')})`;
    const analysis = analyzeSource({
      text: readFileSync(file, 'utf8'),
      file,
      readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
      searchRoots: [join(FIXTURES, 'models')],
      models: [{ expr, inputs: c.inputs.map((i) => ({ name: i.name, dims: i.shape, dtype: i.dtype })), inputKind: c.input_kind ?? 'args' }],
    });
    const graph = analysis.models[0]?.graph;
    // a model the interpreter does not fully understand yet is the oracle tests' concern, not this one's
    if (!graph || graph.paramsTotal !== c.params_total) {
      unanalysed.push(c.id);
      continue;
    }
    const ckpt = readSafetensors(readFileSync(join(FIXTURES, c.weights!)), c.weights);
    const { tensors, defaulted } = loadStateDict(graph.stateDict, ckpt, c.weights);
    assert.deepEqual(defaulted, [], c.id);
    for (const e of graph.stateDict) assert.equal(tensors.get(e.name), ckpt.tensors.get(e.name)!.data, `${c.id}: ${e.name} should be the file's own view`);
    const seeded = initStateDict(graph.stateDict, 0);
    assert.deepEqual([...seeded.keys()], [...tensors.keys()], c.id);
    for (const [name, t] of seeded) assert.equal(t.length, tensors.get(name)!.length, `${c.id}: ${name}`);
    loaded.push(c.id);
  }
  assert.ok(loaded.length >= 20, `only ${loaded.length} cases analysed fully; not analysed: ${unanalysed.join(', ')}`);
});
