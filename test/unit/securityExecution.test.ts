// Hostile model files are interpreted abstractly: analysing one that writes files, spawns processes or execs strings does none of it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/interp/analyzeFile';
import { initTestParser } from '../support/pythonWasm';

before(initTestParser);

const dir = mkdtempSync(join(tmpdir(), 'fusion-lens-exec-'));
const marks = ['open', 'os', 'subprocess', 'exec', 'eval', 'import', 'pickle', 'init', 'forward'].map((k) => join(dir, `${k}.mark`));
const [mOpen, mOs, mSub, mExec, mEval, mImport, mPickle, mInit, mForward] = marks.map((m) => JSON.stringify(m));

const hostile = `import os, subprocess, pickle
import torch
import torch.nn as nn

open(${mOpen}, "w").write("pwned")
os.system("touch " + ${mOs})
subprocess.run(["touch", ${mSub}])
exec("open(" + repr(${mExec}) + ", 'w').close()")
eval("__import__('os').system('touch ' + " + repr(${mEval}) + ")")
__import__("os").makedirs(${mImport})
pickle.loads(b"cos\\nsystem\\n(S'touch ${JSON.parse(mPickle)}'\\ntR.")


# fusion-lens: input=2x4
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        os.system("touch " + ${mInit})
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        open(${mForward}, "w").close()
        return self.fc(x)
`;

test('analysing a file full of side effects performs none of them, and still gives the model its shapes', () => {
  const fa = analyzeSource({ text: hostile, file: join(dir, 'hostile.py') });
  for (const m of marks) assert.equal(existsSync(m), false, m);
  const net = fa.classes.find((c) => c.name === 'Net');
  assert.deepEqual(
    net?.graph?.outputs.map((id) => net.graph!.values.get(id)!.shape!.map((d) => d.value)),
    [[2, 3]],
  );
});

test('the check can fail: the marker paths are writable', async () => {
  const { writeFileSync, rmSync } = await import('node:fs');
  writeFileSync(marks[0]!, 'x');
  assert.equal(existsSync(marks[0]!), true);
  rmSync(marks[0]!);
});
