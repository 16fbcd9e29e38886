// PyTorch checkpoints of the project's fixtures load by name onto the state_dict entries the interpreter derives from the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { initStateDict } from '../../src/core/weights/initStateDict';
import { loadStateDict } from '../../src/core/weights/loadStateDict';
import { readSafetensors } from '../../src/core/weights/readSafetensors';
import { initTestParser } from '../support/pythonWasm';
import { caseModel, type CaseModel } from '../support/oracleCompare';

const FIXTURES = resolve(__dirname, '../fixtures');

interface Case extends CaseModel {
  params_total: number;
  weights?: string;
}

test('fixture checkpoints fit the analysed state_dict: names, shapes, dtypes; seeded init gives the same entries', async () => {
  await initTestParser();
  const cases = (JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Case[]).filter((c) => c.weights);
  const loaded: string[] = [];
  const unanalysed: string[] = [];
  for (const c of cases) {
    const file = join(FIXTURES, c.file);
    const analysis = analyzeSource({
      text: readFileSync(file, 'utf8'),
      file,
      readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
      searchRoots: [join(FIXTURES, 'models')],
      models: [caseModel(c)],
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
