// Hover on einops pattern strings (test/fixtures/models/einops_nets.py): each axis with its length, shapes in and out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, type AnalyzeRequest } from '../../../src/extension/service/engineAnalyze';
import type { DocumentAnalysis } from '../../../src/extension/service/analysisTypes';
import { hoverMarkdown } from '../../../src/extension/service/hoverContent';
import { sourceContext } from '../../../src/extension/service/sourceContext';
import { stringAt } from '../../../src/extension/service/einopsHover';
import { initTestParser, repoRoot } from '../../support/pythonWasm';

const FILE = join(repoRoot, 'test/fixtures/models/einops_nets.py');
const TEXT = readFileSync(FILE, 'utf8');

function analyse(): DocumentAnalysis {
  const req: AnalyzeRequest = {
    text: TEXT,
    file: FILE,
    specOverrides: { ViT: 'Bx3x32x32', MLPMixer: 'Bx3x16x16', ConvTokens: 'Bx4x8x12' },
    defaultInput: null,
    dimensions: { B: 2 },
    searchRoots: [join(repoRoot, 'test/fixtures/models')],
    openTexts: {},
  };
  return { uri: 'file://' + FILE, version: 1, ...analyzeText(req), ms: 0 };
}

function hoverOn(a: DocumentAnalysis, lineText: string, inPattern: string): string | null {
  const lines = TEXT.split('\n');
  const line = lines.findIndex((l) => l.includes(lineText));
  assert.ok(line >= 0, lineText);
  const col = lines[line]!.indexOf(inPattern) + 1;
  return hoverMarkdown(a, { line, col, word: '', lineText: lines[line]!, ...sourceContext((i) => lines[i] ?? '', line) });
}

test('stringAt finds the literal around a column', () => {
  assert.equal(stringAt(`y = rearrange(x, 'b c -> c b', b=2)`, 20), 'b c -> c b');
  assert.equal(stringAt(`y = rearrange(x, "b c -> c b")`, 5), null);
});

test('a rearrange pattern shows each axis with its length and the shapes', async () => {
  await initTestParser();
  const a = analyse();
  const h = hoverOn(a, 'out = rearrange(out, "b h n d -> b n (h d)")', 'h n d');
  assert.ok(h, 'hover on the pattern');
  assert.match(h!, /einops rearrange/);
  assert.match(h!, /h=4/);
  assert.match(h!, /d=8/);
  assert.match(h!, /→ `.*\[2, 17, 32\]`/);
});

test('a Rearrange layer pattern in __init__ shows the axes of its calls', async () => {
  await initTestParser();
  const a = analyse();
  const h = hoverOn(a, 'Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=patch_size, p2=patch_size),', '(h p1)');
  assert.ok(h, 'hover on the layer pattern');
  assert.match(h!, /p1=8/);
  assert.match(h!, /h=H\/8 \(4\)/);
  assert.match(h!, /\[2, 16, 192\]/);
});
