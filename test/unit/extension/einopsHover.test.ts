// Hover on einops pattern strings (samples/hoverEinops.py): each axis with its length, shapes in and out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, type AnalyzeRequest } from '../../../src/extension/service/engineAnalyze';
import type { DocumentAnalysis } from '../../../src/extension/service/analysisTypes';
import { hoverMarkdown } from '../../../src/extension/service/hoverContent';
import { sourceContext } from '../../../src/extension/service/sourceContext';
import { stringAt } from '../../../src/extension/service/einopsHover';
import { findMarkers, marker } from '../../support/markers';
import { initTestParser } from '../../support/pythonWasm';

/** The sample: positions are `# ^ name` markers under the lines they mark (test/support/markers.ts). */
const FILE = join(__dirname, 'samples/hoverEinops.py');
const TEXT = readFileSync(FILE, 'utf8');
const MARKERS = findMarkers(TEXT);

function analyse(): DocumentAnalysis {
  const req: AnalyzeRequest = {
    text: TEXT,
    file: FILE,
    specOverrides: { Heads: 'Bx3x32x32' },
    defaultInput: null,
    dimensions: { B: 2 },
    searchRoots: [join(FILE, '..')],
    openTexts: {},
  };
  return { uri: 'file://' + FILE, version: 1, ...analyzeText(req), ms: 0 };
}

/** The hover at marker `name` (inside a pattern string). */
function hoverAt(a: DocumentAnalysis, name: string): string | null {
  const lines = TEXT.split('\n');
  const { line, col, word } = marker(MARKERS, name);
  return hoverMarkdown(a, { line, col, word, lineText: lines[line]!, ...sourceContext((i) => lines[i] ?? '', line) });
}

test('stringAt finds the literal around a column', () => {
  assert.equal(stringAt(`y = rearrange(x, 'b c -> c b', b=2)`, 20), 'b c -> c b');
  assert.equal(stringAt(`y = rearrange(x, "b c -> c b")`, 5), null);
});

test('a rearrange pattern shows each axis with its length and the shapes', async () => {
  await initTestParser();
  const h = hoverAt(analyse(), 'merge-heads');
  assert.ok(h, 'hover on the pattern');
  assert.match(h, /einops rearrange/);
  assert.match(h, /h=4/);
  assert.match(h, /d=8/);
  assert.match(h, /→ `.*\[2, 16, 32\]`/);
});

test('a Rearrange layer pattern in __init__ shows the axes of its calls', async () => {
  await initTestParser();
  const h = hoverAt(analyse(), 'layer-pattern');
  assert.ok(h, 'hover on the layer pattern');
  assert.match(h, /p1=8/);
  assert.match(h, /h=H\/8 \(4\)/);
  assert.match(h, /\[2, 16, 192\]/);
});

test('a reduce pattern shows its reduction, the reduced axis and the result', async () => {
  await initTestParser();
  const h = hoverAt(analyse(), 'pool');
  assert.ok(h, 'hover on the reduce pattern');
  assert.match(h, /einops mean/);
  assert.match(h, /n=H\*W\/64 \(16\)/);
  assert.match(h, /\[2, 32\]/);
});
