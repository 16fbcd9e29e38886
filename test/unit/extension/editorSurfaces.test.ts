// Hover and inlay-hint text computed from a real analysis of the bundled example and of a marked sample, and stale handling of broken classes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, type AnalyzeRequest } from '../../../src/extension/service/engineAnalyze';
import type { DocumentAnalysis } from '../../../src/extension/service/analysisTypes';
import { hoverMarkdown, type HoverUi } from '../../../src/extension/service/hoverContent';
import { inlayItems } from '../../../src/extension/service/inlayContent';
import { sourceContext } from '../../../src/extension/service/sourceContext';
import { mergeStale } from '../../../src/extension/service/staleMerge';
import { findMarkers, marker } from '../../support/markers';
import { initTestParser, repoRoot } from '../../support/pythonWasm';

const EXAMPLE = join(repoRoot, 'examples/fusion_cnn.py');
/** The hover sample: positions are `# ^ name` markers under the lines they mark (test/support/markers.ts). */
const FILE = join(__dirname, 'samples/hoverFusion.py');
const TEXT = readFileSync(FILE, 'utf8');
const MARKERS = findMarkers(TEXT);

function analyse(text: string, version: number, file = FILE): DocumentAnalysis {
  const req: AnalyzeRequest = {
    text,
    file,
    specOverrides: {},
    defaultInput: null,
    dimensions: { B: 4, H: 256, W: 256 },
    searchRoots: [join(file, '..')],
    openTexts: {},
  };
  return { uri: 'file://' + file, version, ...analyzeText(req), ms: 0 };
}

/** The hover at marker `name` of the sample (whose text may have been edited without moving lines). */
function hoverAt(a: DocumentAnalysis, text: string, name: string, ui?: HoverUi): string | null {
  const lines = text.split('\n');
  const { line, col, word } = marker(MARKERS, name);
  assert.ok(word, `marker ${name} is not on a word`);
  const ctx = sourceContext((i) => lines[i] ?? '', line);
  return hoverMarkdown(a, { line, col, word, lineText: lines[line]!, ...ctx }, ui);
}

/** What vscode.l10n does under a zh-cn UI: the bundle's translation, placeholders filled in. */
function chineseUi(): HoverUi {
  const bundle = JSON.parse(readFileSync(join(repoRoot, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const t = (message: string, ...args: (string | number)[]): string =>
    (bundle[message] ?? message).replace(/\{(\d+)\}/g, (m, i: string) => String(args[Number(i)] ?? m));
  return { l10n: { t }, zh: true };
}

test('the example has two models with graphs; FusionModel has the 3-level concat fusion', async () => {
  await initTestParser();
  const a = analyse(readFileSync(EXAMPLE, 'utf8'), 1, EXAMPLE);
  assert.deepEqual(
    a.models.map((m) => m.className),
    ['BaselineModel', 'FusionModel'],
  );
  const fusion = a.models[1]!;
  assert.ok(fusion.graph, fusion.error ?? '');
  assert.equal(fusion.fusion.length, 1);
  assert.equal(fusion.fusion[0]!.method, 'concat');
  assert.equal(fusion.fusion[0]!.inputs.length, 3);
  assert.equal(fusion.inputSpec, '4x3x256x256');
  assert.equal(fusion.specSource, 'comment');
});

test('hover on a forward variable shows symbolic and concrete shapes, dtype and op', async () => {
  await initTestParser();
  const a = analyse(TEXT, 1);
  const md = hoverAt(a, TEXT, 'feat2-down-def');
  assert.ok(md);
  assert.match(md, /\[B, 128, H\/4, W\/4\]/);
  assert.match(md, /\[4, 128, 64, 64\]/);
  assert.match(md, /float32/);
  assert.match(md, /2,097,152 elements/);
  assert.match(md, /interpolate/);
  // A later use of the variable shows the same binding.
  const use = hoverAt(a, TEXT, 'feat2-down-use');
  assert.match(use ?? '', /\[4, 128, 64, 64\]/);
});

test('hover on the class shows input → output, params and the fusion summary', async () => {
  await initTestParser();
  const a = analyse(TEXT, 1);
  const md = hoverAt(a, TEXT, 'class') ?? '';
  assert.match(md, /\[B, 3, H, W\].*→.*\[B, 10\]/s);
  assert.match(md, /params/);
  assert.match(md, /concat · 3 inputs/);
});

test('under a zh-cn UI the hover speaks Chinese, fusion one-liner included', async () => {
  await initTestParser();
  const a = analyse(TEXT, 1);
  const cls = hoverAt(a, TEXT, 'class', chineseUi()) ?? '';
  assert.match(cls, /融合点（1）/);
  assert.match(cls, /第 \d+ 行: 拼接/);
  assert.match(cls, /3 个输入/);
  assert.match(cls, /输入规格 `4x3x256x256` \(注释\)/);
  assert.doesNotMatch(cls, /Fusion points|inputs:|input spec/);
  const attr = hoverAt(a, TEXT, 'conv1-attr', chineseUi()) ?? '';
  assert.match(attr, /1\.79K 参数/);
});

test('hover on a module attribute in __init__ shows its type, params and the shapes it sees', async () => {
  await initTestParser();
  const a = analyse(TEXT, 1);
  const md = hoverAt(a, TEXT, 'conv1-attr') ?? '';
  assert.match(md, /Conv2d/);
  assert.match(md, /1\.79K params/);
  assert.match(md, /\[4, 3, 256, 256\].*→.*\[4, 64, 256, 256\]/s);
});

test('inlay hints: the cat line carries the fused shape', async () => {
  await initTestParser();
  const a = analyse(TEXT, 1);
  const catLine = marker(MARKERS, 'cat-line').line;
  const item = inlayItems(a, 0, 1000).find((i) => i.line === catLine);
  assert.ok(item);
  assert.equal(item.label, '[B, 448, H/4, W/4]');
  assert.match(item.tooltip, /\[4, 448, 64, 64\]/);
});

test('a class that stops parsing keeps its last good analysis, marked stale', async () => {
  await initTestParser();
  const good = analyse(TEXT, 1);
  const brokenText = TEXT.replace('x = self.fusion(fused)', 'x = self.fusion(fused');
  const broken = mergeStale(analyse(brokenText, 2), good);
  const fusion = broken.models.find((m) => m.className === 'FusionModel');
  assert.ok(fusion, 'FusionModel still listed');
  assert.equal(fusion.stale, true);
  assert.ok(fusion.graph, 'with its last good graph');
  const md = hoverAt(broken, brokenText, 'feat2-down-def') ?? '';
  assert.match(md, /stale/);
  assert.match(md, /\[4, 128, 64, 64\]/);
});
