// A checkpoint checked against the model source: mismatches at the declaring layer's line, the constructor argument that
// explains them as a quick fix (found by re-analysing), and "fits" with the counts once it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkCheckpoint } from '../../src/extension/service/checkpointCheck';
import { analyzeText, type AnalyzeRequest } from '../../src/extension/service/engineAnalyze';
import { initTestParser } from '../support/pythonWasm';

const FILE = resolve(__dirname, '../fixtures/checkpoints/ckpt_resnet.py');
const CKPT = readFileSync(resolve(__dirname, '../fixtures/checkpoints/resnet_1000.pth'));

const request = (text: string): AnalyzeRequest => ({
  text,
  file: FILE,
  specOverrides: {},
  defaultInput: null,
  dimensions: {},
  searchRoots: [dirname(FILE)],
  openTexts: {},
});

function check(text: string) {
  const req = request(text);
  const m = analyzeText(req).models.find((x) => x.className === 'TinyResNet')!;
  assert.ok(m.graph, m.error ?? '');
  return checkCheckpoint(req, { className: m.className, graph: m.graph, inputSpec: m.inputSpec }, CKPT, 'resnet_1000.pth');
}

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

test('num_classes and a layer the checkpoint lacks: diagnostics at their declarations, the num_classes fix found by re-analysis', async () => {
  await initTestParser();
  const text = readFileSync(FILE, 'utf8');
  const c = check(text);
  assert.equal(c.fits, false);
  assert.match(
    c.summary,
    /resnet_1000\.pth \(torch zip checkpoint, state dict 'model', 32 tensors\) does not fit TinyResNet: 30 of 34 match; 2 missing, 0 unexpected, 2 with another shape/,
  );
  const shape = c.issues.filter((i) => i.kind === 'shape');
  assert.deepEqual(
    shape.map((i) => i.message),
    [
      'fc.weight: the checkpoint has [1000, 8], the model [10, 8] — trained with num_classes=1000',
      'fc.bias: the checkpoint has [1000], the model [10] — trained with num_classes=1000',
    ],
  );
  for (const i of shape) assert.equal(i.range.startLine, lineOf(text, 'self.fc = nn.Linear'));
  const fix = shape[0]!.fix!;
  assert.equal(fix.title, 'Change the default num_classes = 10 to 1000 (the checkpoint was trained with num_classes=1000)');
  assert.equal(fix.range.startLine, lineOf(text, 'def __init__(self, num_classes'));
  assert.equal(text.split('\n')[fix.range.startLine]!.slice(fix.range.startCol, fix.range.endCol), '10');
  const missing = c.issues.find((i) => i.kind === 'missing')!;
  assert.equal(missing.message, 'not in the checkpoint: refine.weight, refine.bias');
  assert.equal(missing.range.startLine, lineOf(text, 'self.refine = nn.Conv2d'));
  assert.equal(missing.fix, undefined);

  // the quick fix applied: only the missing layer is left
  const lines = text.split('\n');
  const l = lines[fix.range.startLine]!;
  lines[fix.range.startLine] = l.slice(0, fix.range.startCol) + fix.text + l.slice(fix.range.endCol);
  const after = check(lines.join('\n'));
  assert.deepEqual(
    after.issues.map((i) => i.kind),
    ['missing'],
  );
  assert.match(after.summary, /32 of 34 match; 2 missing/);
});

test('a checkpoint that fits is reported with its counts', async () => {
  await initTestParser();
  const text = readFileSync(FILE, 'utf8')
    .replace('num_classes: int = 10', 'num_classes: int = 1000')
    .replace(/\n\s*self\.refine = .*\n/, '\n')
    .replace('x = self.refine(self.layer1(x))', 'x = self.layer1(x)');
  const c = check(text);
  assert.deepEqual(c.issues, []);
  assert.equal(c.fits, true);
  assert.match(c.summary, /fits TinyResNet: all 32 parameters and buffers match/);
});
