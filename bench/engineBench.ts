// Engine figures: parse + interpret of 200/1,000/5,000-line model files, re-analysis after a one-line edit, cached queries.
import { initPythonParser, PythonParser } from '../src/core/python/pythonParser';
import { analyzeSource } from '../src/core/interp/analyzeFile';
import { AnalysisCache } from '../src/core/interp/analysisCache';
import { nodeParserOptions } from '../src/cli/wasmLocation';
import { syntheticModelFile } from './syntheticModel';
import { medianMs, type BenchRow } from './benchRow';

const SYMBOLS = { B: 2, H: 64, W: 64 };

export async function engineBench(runs: number): Promise<BenchRow[]> {
  await initPythonParser(nodeParserOptions());
  const rows: BenchRow[] = [];
  for (const size of [200, 1000, 5000]) {
    const text = syntheticModelFile(size);
    const lines = text.split('\n').length;
    const file = `/bench/model_${size}.py`;
    const parser = new PythonParser();
    // Baseline: a bare tree-sitter parse of the same text, the least any analysis must do.
    const parseMs = await medianMs(() => parser.parse(text), runs);
    const request = { text, file, symbols: SYMBOLS } as const;
    const fullMs = await medianMs(() => analyzeSource(request), runs);
    rows.push({ section: 'engine', figure: `parse + interpret, ${lines}-line file`, value: fullMs, unit: 'ms', baseline: 'tree-sitter parse only', baselineValue: parseMs, target: size === 1000 ? '≤ 25 ms' : undefined });

    // Re-analysis after a one-line edit inside one block's forward (a new statement line).
    const cache = new AnalysisCache();
    cache.update(file, request);
    const anchor = '        out = out + identity\n';
    const at = text.indexOf(anchor);
    let flip = false;
    const editMs = await medianMs(() => {
      flip = !flip;
      const edited = text.slice(0, at) + (flip ? '        out = out * 1.0\n' : '') + text.slice(at);
      cache.update(file, { ...request, text: edited });
    }, runs * 2);
    rows.push({ section: 'engine', figure: `re-analysis after a one-line edit, ${lines}-line file`, value: editMs, unit: 'ms', baseline: 'tree-sitter parse only', baselineValue: parseMs, target: size === 1000 ? '≤ 10 ms' : undefined });

    // Cached position query (what a hover asks): a line inside the top model's forward.
    cache.update(file, request);
    const queryLine = text.split('\n').findIndex((l) => l.includes('x = self.block0(x)'));
    const queryMs = await medianMs(() => cache.queryAt(file, queryLine, 10), runs * 20);
    rows.push({ section: 'engine', figure: `cached shape query, ${lines}-line file`, value: queryMs, unit: 'ms', baseline: 'tree-sitter parse only', baselineValue: parseMs, target: size === 1000 ? '≤ 2 ms' : undefined });
  }
  return rows;
}
