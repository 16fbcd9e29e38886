// `fusion-lens fusion`: the multi-level fusion points of a file's models, as text or JSON.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeFusion } from '../core/graph/fusionAnalysis';
import { comparisonJson, fusionAnalysisJson, type JsonValue } from '../core/graph/fusionJson';
import { compareWithBaselines, strideText } from '../core/graph/fusionSummary';
import { explainComparison, explainFusion, explainSummary, resampleText, type FusionLang } from '../core/graph/fusionText';
import type { FusionAnalysis, FusionPoint } from '../core/graph/fusionTypes';
import type { ModelGraph } from '../core/graph/modelGraph';
import { analyzeSource } from '../core/interp/analyzeFile';
import { initPythonParser } from '../core/python/pythonParser';
import { formatShapeConcrete } from '../core/shape/shape';
import { writeOut } from './output';
import { parseShapesArgs, SHAPES_USAGE } from './shapesArgs';
import { nodeParserOptions } from './wasmLocation';

const USAGE = `${SHAPES_USAGE.replace(/fusion-lens shapes/, 'fusion-lens fusion').replace(/\n\s*--json[^\n]*\n/, '\n')}  --lang L        en (default) or zh-cn, for the explanations
  --json          JSON (schema in README.md, "Fusion analysis JSON"): one model's {summary, points} with --model,
                  else {"file", "models": {CLASS: {summary, points}}, "comparisons"}
`;

interface Analysed {
  readonly name: string;
  readonly graph: ModelGraph;
  readonly fusion: FusionAnalysis;
}

/** Pulls `--lang L` out of argv (the other flags are those of `shapes`). */
function takeLang(argv: readonly string[]): { lang: FusionLang; rest: string[] } | string {
  const rest: string[] = [];
  let lang: FusionLang = 'en';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const inline = a.startsWith('--lang=') ? a.slice(7) : null;
    if (a !== '--lang' && inline === null) {
      rest.push(a);
      continue;
    }
    const v = inline ?? argv[++i];
    if (v !== 'en' && v !== 'zh-cn') return `--lang must be en or zh-cn (got ${v ?? 'nothing'})`;
    lang = v;
  }
  return { lang, rest };
}

const n = (x: number): string => x.toLocaleString('en-US');

function pointText(p: FusionPoint, lang: FusionLang): string {
  const out: string[] = [];
  const line = p.line === null ? '?' : String(p.line + 1);
  out.push(
    `  line ${line}  ${p.method}${p.arithmetic ? `  ${p.arithmetic}` : ''}  → ${p.out.shape ? formatShapeConcrete(p.out.shape) : '?'}${p.scope ? `  (in ${p.scope})` : ''}`,
  );
  for (const inp of p.inputs) {
    const s = strideText(inp.level.stride);
    const facts = [inp.role, inp.shape ? formatShapeConcrete(inp.shape) : null, s !== null ? `stride ${s}` : null, `depth ${inp.level.depth}`]
      .filter(Boolean)
      .join('  ');
    const steps = inp.resampling.map((st) => resampleText(st, lang)).join(' → ');
    out.push(`    ${inp.label.padEnd(14)} ${facts}${steps ? `  ${steps}` : ''}`);
  }
  if (p.params > 0 || p.flops > 0) out.push(`    branches feeding only this merge: ${n(p.params)} params, ${n(p.flops)} FLOPs`);
  out.push(`    ${explainFusion(p, lang)}`);
  return out.join('\n');
}

function textReport(models: readonly Analysed[], comparisons: ReturnType<typeof compareWithBaselines>, lang: FusionLang): string {
  const parts: string[] = [];
  for (const m of models) {
    parts.push(`${m.graph.expr || m.name}\n  ${explainSummary(m.fusion.summary, lang)}`);
    for (const p of m.fusion.points) parts.push(pointText(p, lang));
  }
  for (const c of comparisons) parts.push(explainComparison(c, lang));
  return `${parts.join('\n\n')}\n`;
}

export async function fusionCommand(argv: string[]): Promise<number> {
  const lang = takeLang(argv);
  const args = typeof lang === 'string' ? lang : parseShapesArgs(lang.rest);
  if (typeof args === 'string' || typeof lang === 'string') {
    process.stderr.write(`fusion-lens fusion: ${typeof args === 'string' ? args : ''}\n${USAGE}`);
    return 2;
  }
  const file = resolve(args.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`fusion-lens fusion: cannot read ${args.file}: ${(e as Error).message}\n`);
    return 2;
  }
  await initPythonParser(nodeParserOptions());
  const fa = analyzeSource({
    text,
    file,
    readFile: (p) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return null;
      }
    },
    searchRoots: [resolve(file, '..'), process.cwd()],
    symbols: args.symbols,
    budget: { timeMs: args.timeMs },
    ...(args.model !== null ? { models: [{ expr: args.model, ...(args.inputs.length > 0 ? { inputs: args.inputs } : {}), inputKind: args.inputKind }] } : {}),
    // Without --model, --input applies to every class (as in `shapes`).
    ...(args.model === null && args.inputs.length > 0 ? { inputOverrides: new Proxy({}, { get: () => args.inputs }) } : {}),
  });
  const source =
    args.model !== null
      ? fa.models.map((m) => ({ name: m.className ?? m.expr, graph: m.graph, diagnostics: m.diagnostics }))
      : fa.classes.filter((c) => c.isModel && c.buildable).map((c) => ({ name: c.name, graph: c.graph, diagnostics: c.diagnostics }));
  const models: Analysed[] = [];
  for (const m of source) {
    if (m.graph) models.push({ name: m.name, graph: m.graph, fusion: analyzeFusion(m.graph) });
    else if (args.model !== null || !args.json)
      process.stderr.write(`fusion-lens fusion: ${m.name}: no graph (${m.diagnostics.find((d) => d.severity === 'error')?.message ?? 'not analysable'})\n`);
  }
  if (args.model !== null && models.length === 0) return 1;
  const comparisons = compareWithBaselines(models.map((m) => ({ graph: m.graph, points: m.fusion.points.length })));
  if (!args.json) {
    writeOut(textReport(models, comparisons, lang.lang));
    return 0;
  }
  let doc: JsonValue;
  if (args.model !== null && models[0]) {
    doc = { model: models[0].graph.expr, class: models[0].graph.className, ...(fusionAnalysisJson(models[0].fusion) as Record<string, JsonValue>) };
  } else {
    const byClass: Record<string, JsonValue> = {};
    for (const m of models) byClass[m.name] = fusionAnalysisJson(m.fusion);
    doc = { file, models: byClass, comparisons: comparisons.map(comparisonJson) };
  }
  writeOut(`${JSON.stringify(doc, null, 2)}\n`);
  return 0;
}
