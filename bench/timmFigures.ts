// Engine figures with a real installed library: a user file doing timm.create_model('resnet50') with timm on the path
// (../shared/timm/deps). First analysis, re-analysis after a one-line edit of the user's file (timm is not run again),
// a cached hover query, and the worker's heap with timm loaded; each beside tree-sitter's parse of the same files.
import * as fs from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { join, resolve } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { AnalysisCache } from '../src/core/interp/analysisCache';
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
  const readFile = (p: string): string | null => {
    if (p === file) return USER;
    try {
      return p.endsWith('.py') && fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : null;
    } catch {
      return null;
    }
  };
  const isDir = (p: string): boolean => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const request = { text: USER, file, readFile, isDir, searchRoots: [DEPS], budget: { timeMs: 60000, maxSteps: 50_000_000 } };
  const baseline = `tree-sitter parse of the user file + timm (${texts.length} files)`;
  const cache = new AnalysisCache();
  const t0 = performance.now();
  const first = cache.update(file, request);
  const firstMs = performance.now() - t0;
  const cls = first.classes.find((c) => c.name === 'Classifier');
  const modules = cls?.graph?.modules.length ?? 0;
  if (!cls?.graph) process.stderr.write(`bench: timm resnet50 not analysed: ${JSON.stringify(cls?.diagnostics.slice(0, 3))}\n`);
  const rows: BenchRow[] = [
    {
      section: 'engine',
      figure: `timm: first analysis of timm.create_model('resnet50') (${modules} module calls)`,
      value: firstMs,
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
      cache.update(file, { ...request, text: edited });
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
  cache.update(file, request);
  const line = USER.split('\n').findIndex((l) => l.includes('y = self.backbone(x)'));
  const queryMs = await medianMs(() => cache.queryAt(file, line, 9), runs * 20);
  rows.push({
    section: 'engine',
    figure: 'timm: cached hover query in the user file',
    value: queryMs,
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
