// Python as library code uses it (stdlib modules, the data model, formatting, statements), against what real Python
// computed for the same programs: test/oracle/python/values/*.py, recorded by record_values.py into values_expected.json.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initTestParser, repoRoot } from '../support/pythonWasm';
import { PythonParser } from '../../src/core/python/pythonParser';
import { loadFile } from '../../src/core/interp/runModel';
import { pyRepr } from '../../src/core/interp/tensorLeaves';
import '../../src/core/ops/index';

before(initTestParser);

const folder = join(repoRoot, 'test', 'oracle', 'python');
const expected = JSON.parse(readFileSync(join(folder, 'values_expected.json'), 'utf8')) as Record<string, Record<string, string>>;

for (const [file, values] of Object.entries(expected)) {
  test(`values of ${file} agree with Python`, () => {
    const path = join(folder, 'values', file);
    const mod = new PythonParser().parse(readFileSync(path, 'utf8')).module;
    const parse = (t: string) => new PythonParser().parse(t).module;
    const { ip, scope } = loadFile(
      { file: path, maxSteps: 1_000_000, deadline: performance.now() + 20000, parse, searchRoots: [] },
      mod,
      file.replace(/\.py$/, ''),
    );
    const wrong: string[] = [];
    for (const [name, want] of Object.entries(values)) {
      const v = scope.globals.get(name);
      const got = v ? pyRepr(v) : '<missing>';
      if (got !== want) wrong.push(`${name}: got ${got}, Python ${want}`);
    }
    const errors = ip.rec.diagnostics.map((d) => `${d.severity} ${(d.range?.startLine ?? -1) + 1}: ${d.message}`);
    assert.deepEqual(wrong, [], `${wrong.length} of ${Object.keys(values).length} values differ\n${wrong.join('\n')}\ndiagnostics:\n${errors.join('\n')}`);
  });
}
