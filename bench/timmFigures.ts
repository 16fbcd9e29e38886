// Engine figures with a real installed library: a user file doing timm.create_model('resnet50') with timm on the path
// (../shared/timm/deps). First analysis, re-analysis after a one-line edit of the user's file (timm is not run again),
// the hover on a variable of the user file, and the heap with timm loaded; each beside tree-sitter's parse of the same
// files. Analyses run as the analysis worker runs them (DocumentAnalyzer, the extension's request, its default budgets);
// the hover is the host's: Markdown built from the analysis it holds.
import * as fs from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { dirname, join, resolve } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { DocumentAnalyzer } from '../src/extension/service/documentAnalyzer';
import type { AnalyzeRequest, EngineAnalysis } from '../src/extension/service/engineAnalyze';
import { hoverMarkdown } from '../src/extension/service/hoverContent';
import { sourceContext } from '../src/extension/service/sourceContext';
import { medianMs, type BenchRow } from './benchRow';

const DEPS = join(process.env.FUSION_LENS_SHARED ? resolve(process.env.FUSION_LENS_SHARED) : resolve(__dirname, '..', '..', 'shared'), 'timm', 'deps');

const USER = [
  'import torch',
  'import torch.nn as nn',
  'import timm',
  '',
  '',
  '# fusion-lens: input=1x3x224x224',
  'class Classifier(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  "        self.backbone = timm.create_model('resnet50')",
  '',
  '    def forward(self, x):',
  '        y = self.backbone(x)',
  '        return y',
  '',
].join('\n');

function pyFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) pyFiles(p, out);
    else if (e.name.endsWith('.py')) out.push(p);
  }
  return out;
}

export async function timmFigures(runs: number, treeSitter: Parser): Promise<BenchRow[]> {
  if (!fs.existsSync(join(DEPS, 'timm', '__init__.py'))) {
    process.stderr.write(`bench: skipping the timm rows: timm not found at ${DEPS} (set FUSION_LENS_SHARED)\n`);
    return [];
  }
  const file = join(DEPS, '..', 'bench_user', 'timm_user.py');
  const texts = pyFiles(join(DEPS, 'timm')).map((p) => fs.readFileSync(p, 'utf8'));
  const parseAll = () => {
    for (const t of [USER, ...texts]) treeSitter.parse(t)?.delete();
  };
  const parseMs = await medianMs(parseAll, Math.max(3, Math.floor(runs / 3)));
  // What the host sends for an open document (no budget: the extension's defaults apply, imports under their own).
  const request = (text: string): AnalyzeRequest => ({
    text,
    file,
    specOverrides: {},
    defaultInput: null,
    dimensions: {},
    searchRoots: [dirname(file)],
    importRoots: [DEPS],
    openTexts: { [file]: text },
  });
  const baseline = `tree-sitter parse of the user file + timm (${texts.length} files)`;
  const uri = `file://${file}`;
  const analyzer = new DocumentAnalyzer();
  const t0 = performance.now();
  const first = analyzer.analyze(uri, request(USER));
  const firstMs = performance.now() - t0;
  const model = first.models.find((m) => m.className === 'Classifier');
  const modules = model?.graph?.modules.length ?? 0;
  if (!model?.graph)
    process.stderr.write(`bench: timm resnet50 not analysed: ${model?.error ?? 'no Classifier'} ${JSON.stringify(first.diagnostics.slice(0, 3))}\n`);
  const rows: BenchRow[] = [
    {
      section: 'engine',
      figure: `timm: first analysis of timm.create_model('resnet50') (${modules} module calls)`,
      value: model?.graph ? firstMs : Number.NaN,
      unit: 'ms',
      baseline,
      baselineValue: parseMs,
      target: '≤ 3000 ms',
    },
  ];
  const anchor = '        return y\n';
  const at = USER.indexOf(anchor);
  let flip = false;
  const editMs = await medianMs(
    () => {
      flip = !flip;
      const edited = USER.slice(0, at) + (flip ? '        y = y * 1.0\n' : '') + USER.slice(at);
      analyzer.analyze(uri, request(edited));
    },
    runs,
    2,
  );
  rows.push({
    section: 'engine',
    figure: 'timm: re-analysis after a one-line edit of the user file',
    value: editMs,
    unit: 'ms',
    baseline,
    baselineValue: parseMs,
    target: '≤ 50 ms',
  });
  // The hover provider's work on the analysis the host holds: the enclosing class and function, then the Markdown.
  const held: EngineAnalysis = analyzer.analyze(uri, request(USER));
  const analysis = { uri, version: 1, ...held, ms: 0 };
  const lines = USER.split('\n');
  const line = lines.findIndex((l) => l.includes('y = self.backbone(x)'));
  const hover = (): string | null =>
    hoverMarkdown(analysis, { line, col: lines[line]!.indexOf('y'), word: 'y', lineText: lines[line]!, ...sourceContext((i) => lines[i] ?? '', line) });
  const shown = hover() ?? '';
  // Only a hover that shows the model's output counts; anything else is reported, not timed.
  const hoverOk = /`\[B, 1000\]`/.test(shown) && /`\[1, 1000\]`/.test(shown);
  if (!hoverOk) process.stderr.write(`bench: the hover on y does not show [B, 1000] · [1, 1000]: ${JSON.stringify(shown.slice(0, 200))}\n`);
  const hoverMs = hoverOk ? await medianMs(hover, runs * 20) : Number.NaN;
  rows.push({
    section: 'engine',
    figure: `timm: hover on a variable of the user file, from the held analysis (${analysis.models[0]?.graph?.lines.length ?? 0} line records, ${analysis.models[0]?.graph?.nodes.length ?? 0} nodes)`,
    value: hoverMs,
    unit: 'ms',
    baseline,
    baselineValue: parseMs,
    target: '≤ 2 ms',
  });
  const heapMb = getHeapStatistics().used_heap_size / (1024 * 1024);
  const textMb = texts.reduce((n, t) => n + t.length, 0) / (1024 * 1024);
  rows.push({
    section: 'engine',
    figure: 'timm: analysis worker heap with timm loaded',
    value: heapMb,
    unit: 'MB',
    baseline: 'timm source text (UTF-16 chars)',
    baselineValue: textMb,
    target: '≤ 300 MB',
  });
  return rows;
}
