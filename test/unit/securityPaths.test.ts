// Imported files are read only inside the workspace folders (or the document's own folder): an import reaching outside reads nothing.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText } from '../../src/extension/service/engineAnalyze';
import { initTestParser } from '../support/pythonWasm';

before(initTestParser);

const tmp = mkdtempSync(join(tmpdir(), 'fusion-lens-paths-'));
const ws = join(tmp, 'ws');
mkdirSync(join(ws, 'app'), { recursive: true });
// Same module name, different widths: which one was read shows in the model's output shape.
writeFileSync(join(tmp, 'secret.py'), 'WIDTH = 666\n');
writeFileSync(join(ws, 'inside.py'), 'WIDTH = 5\n');
writeFileSync(join(ws, 'app', 'sibling.py'), 'WIDTH = 6\n');

function outputWidth(importLine: string, searchRoots: string[]): number | null {
  const text = `import torch.nn as nn\n${importLine}\n\n\n# fusion-lens: input=2x4\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, WIDTH)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
  const file = join(ws, 'app', 'model.py');
  const a = analyzeText({ text, file, specOverrides: {}, defaultInput: null, dimensions: {}, searchRoots, openTexts: {} });
  const g = a.models.find((m) => m.className === 'Net')?.graph;
  const out = g ? g.values.get(g.outputs[0]!)?.shape?.[1]?.value : null;
  return out ?? null;
}

test('imports inside the workspace folder and the document folder are read (the check below can tell)', () => {
  assert.equal(outputWidth('from inside import WIDTH', [ws]), 5);
  assert.equal(outputWidth('from sibling import WIDTH', [ws]), 6);
  assert.equal(outputWidth('from .. import inside\nWIDTH = inside.WIDTH', [ws]), 5);
});

test('a relative import that climbs out of the workspace reads nothing', () => {
  assert.notEqual(outputWidth('from ... import secret\nWIDTH = secret.WIDTH', [ws]), 666);
  assert.notEqual(outputWidth('from ...secret import WIDTH', [ws]), 666);
});

test('a module outside every root is not found even when it exists on disk', () => {
  // With the temp folder as a root the same import resolves: the refusal is the root check, not a missing file.
  assert.equal(outputWidth('from secret import WIDTH', [tmp]), 666);
  assert.notEqual(outputWidth('from secret import WIDTH', [ws]), 666);
});

test('a symlink inside the workspace to a .py file outside is not followed; one to a file inside is', () => {
  try {
    symlinkSync(join(tmp, 'secret.py'), join(ws, 'linked.py'));
    symlinkSync(join(ws, 'inside.py'), join(ws, 'alias.py'));
  } catch {
    return; // no symlinks on this file system
  }
  assert.notEqual(outputWidth('from linked import WIDTH', [ws]), 666);
  assert.equal(outputWidth('from alias import WIDTH', [ws]), 5);
});
