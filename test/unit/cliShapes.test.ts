// `fusion-lens shapes`: argument parsing, JSON (oracle schema) and table output, exit codes, complete output when piped.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseShapesArgs } from '../../src/cli/shapesArgs';
import { repoRoot } from '../support/pythonWasm';

const MODEL = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Tiny(nn.Module):
    def __init__(self, width=8, classes=3):
        super().__init__()
        self.conv = nn.Conv2d(3, width, 3, padding=1)
        self.fc = nn.Linear(width, classes)

    def forward(self, x):
        y = F.relu(self.conv(x))
        z = y.mean((2, 3))
        return self.fc(z)


class NeedsArgs(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.l = nn.Linear(c, c)

    def forward(self, x):
        return self.l(x)
`;

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fl-cli-'));
  writeFileSync(join(dir, 'tiny.py'), MODEL);
});

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), 'shapes', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('argument parsing', () => {
  const a = parseShapesArgs(['m.py', '--model', 'Net(a=1)', '--input', 'x=2x3', '--input=y=2x4:int64', '--input-kind', 'list', '--dim', 'B=4', '--json']);
  assert.ok(typeof a !== 'string');
  assert.equal(a.model, 'Net(a=1)');
  assert.deepEqual(
    a.inputs.map((i) => i.name),
    ['x', 'y'],
  );
  assert.equal(a.inputs[1].dtype, 'int64');
  assert.equal(a.inputKind, 'list');
  assert.deepEqual(a.symbols, { B: 4 });
  assert.equal(
    parseShapesArgs(['m.py', '--input-kind', 'tensor']) !== null && (parseShapesArgs(['m.py', '--input-kind', 'tensor']) as { inputKind: string }).inputKind,
    'args',
  );
  assert.match(String(parseShapesArgs([])), /missing FILE/);
  assert.match(String(parseShapesArgs(['m.py', '--bogus'])), /unknown option/);
  assert.match(String(parseShapesArgs(['m.py', '--input', '3xx'])), /invalid input spec/);
});

test("--model --json prints that model's record at the top level, in the oracle schema", () => {
  const r = cli(join(dir, 'tiny.py'), '--model', 'Tiny(width=4, classes=5)', '--input', 'x=2x3x8x8', '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(j.outputs, [[2, 5]]);
  assert.equal(j.output_kind, 'tensor');
  assert.equal(j.params_total, 3 * 4 * 9 + 4 + 4 * 5 + 5);
  assert.deepEqual(
    j.modules.map((m: { path: string }) => m.path),
    ['', 'conv', 'fc'],
  );
  assert.deepEqual(Object.keys(j.modules[1]).sort(), ['depth', 'in', 'out', 'out_dtypes', 'params', 'path', 'type']);
  assert.deepEqual(
    j.lines.map((l: { line: number; var: string; shape: number[] }) => `${l.line}:${l.var}:${l.shape}`),
    ['12:x:2,3,8,8', '13:y:2,4,8,8', '14:z:2,4', '15:<return>:2,5'],
  );
  assert.deepEqual(Object.keys(j.lines[0]).sort(), ['dtype', 'func', 'kind', 'line', 'owner', 'qualname', 'shape', 'var']);
  assert.deepEqual(j.diagnostics, []);
});

test('without --model: a table per buildable class, symbolic and concrete shapes, totals; JSON keyed by class', () => {
  const r = cli(join(dir, 'tiny.py'), '--input', '2x3x16x16');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\(Tiny\)\s+Tiny\s+\[B, 3\]\s+\[2, 3\]/);
  assert.match(r.out, /conv\s+Conv2d\s+\[B, 8, H, W\]\s+\[2, 8, 16, 16\]\s+224/);
  assert.match(r.out, /params: 251 /);
  assert.match(r.out, /not built \(need constructor arguments, use --model\): NeedsArgs/);
  const j = JSON.parse(cli(join(dir, 'tiny.py'), '--json').out);
  assert.deepEqual(Object.keys(j.models), ['Tiny']);
  assert.deepEqual(j.models.Tiny.outputs, [[1, 3]]);
  assert.equal(j.models.Tiny.input_spec.source, 'constraint');
});

test('errors: bad usage exits 2, shape errors exit 1 with the diagnostic', () => {
  const u = cli();
  assert.equal(u.code, 2);
  assert.match(u.err, /missing FILE/);
  const e = cli(join(dir, 'tiny.py'), '--model', 'Tiny()', '--input', '2x4x8x8', '--json');
  assert.equal(e.code, 1);
  const j = JSON.parse(e.out);
  assert.equal(j.diagnostics[0].code, 'conv-channels');
  assert.equal(j.diagnostics[0].line, 13);
});

test('large JSON output arrives complete through a pipe', () => {
  const blocks = Array.from({ length: 1500 }, (_, i) => `        self.c${i} = nn.Conv2d(8, 8, 3, padding=1)`).join('\n');
  const calls = Array.from({ length: 1500 }, (_, i) => `        x = self.c${i}(x)`).join('\n');
  writeFileSync(
    join(dir, 'big.py'),
    `import torch.nn as nn\n\nclass Big(nn.Module):\n    def __init__(self):\n        super().__init__()\n${blocks}\n\n    def forward(self, x):\n${calls}\n        return x\n`,
  );
  const r = cli(join(dir, 'big.py'), '--model', 'Big()', '--input', '1x8x4x4', '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.modules.length, 1501);
  assert.equal(j.lines.length, 1502);
});
