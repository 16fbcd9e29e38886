// `fusion-lens shapes`: tensor shapes of a model file as a torchinfo-like table or as the oracle's JSON schema.
//
// JSON output: with --model, the top-level object is that model's record (modules, lines, params_total,
// outputs, output_kind, diagnostics, …); without --model it is { file, models: { CLASS: record }, diagnostics }
// with one record per nn.Module class of the file that can be built without arguments.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeSource, type ModelAnalysis } from '../core/interp/analyzeFile';
import { initPythonParser } from '../core/python/pythonParser';
import type { Diagnostic } from '../core/graph/modelGraph';
import { fusionFieldJson } from '../core/graph/fusionJson';
import { importSources } from './importSources';
import { writeOut } from './output';
import { diagnosticJson, shapesJson } from './oracleJson';
import { parseShapesArgs, SHAPES_USAGE } from './shapesArgs';
import { formatDiagnostic, shapesTable } from './shapesTable';
import { nodeParserOptions } from './wasmLocation';
import { isWeightsFileName, weightsShapes } from './weightsShapes';

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function modelJson(m: ModelAnalysis) {
  if (m.graph)
    return {
      ...shapesJson(m.graph),
      fusion: fusionFieldJson(m.graph),
      input_spec: m.inputSpec ? { text: m.inputSpec.text, source: m.inputSpec.source, ...(m.inputSpec.note ? { note: m.inputSpec.note } : {}) } : null,
    };
  return {
    model: m.expr,
    class: m.className,
    modules: [],
    lines: [],
    params_total: null,
    outputs: [],
    output_kind: null,
    fusion: [],
    diagnostics: m.diagnostics.map(diagnosticJson),
  };
}

const hasError = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === 'error');

export async function shapesCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    writeOut(SHAPES_USAGE);
    return 0;
  }
  const args = parseShapesArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`fusion-lens shapes: ${args}\n${SHAPES_USAGE}`);
    return 2;
  }
  const file = resolve(args.file);
  if (isWeightsFileName(file)) return weightsShapes(file, args.file, args.json);
  if (file.toLowerCase().endsWith('.onnx')) {
    // ONNX files are decoded, not interpreted (src/core/onnx).
    const { decodeOnnx } = await import('../core/onnx/decodeOnnx');
    const { onnxShapesJson, onnxShapesText } = await import('../core/onnx/onnxShapesReport');
    try {
      const d = decodeOnnx(new Uint8Array(readFileSync(file)), args.file);
      writeOut(args.json ? `${JSON.stringify(onnxShapesJson(d))}\n` : onnxShapesText(d));
      return hasError(d.graph.diagnostics) ? 1 : 0;
    } catch (e) {
      process.stderr.write(`fusion-lens shapes: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }
  const text = readOrNull(file);
  if (text === null) {
    process.stderr.write(`fusion-lens shapes: cannot read ${args.file}\n`);
    return 2;
  }
  await initPythonParser(nodeParserOptions());
  const fa = analyzeSource({
    text,
    file,
    ...importSources(file, args.imports),
    symbols: args.symbols,
    budget: { timeMs: args.timeMs },
    ...(args.model ? { models: [{ expr: args.model, inputs: args.inputs, inputKind: args.inputKind }] } : {}),
    ...(!args.model && args.inputs.length ? { inputOverrides: new Proxy({}, { get: () => args.inputs }) } : {}),
  });
  const runs: ModelAnalysis[] = args.model ? [...fa.models] : fa.classes.filter((c) => c.isModel && c.buildable);
  const fileDiags = [...fa.syntaxErrors, ...fa.diagnostics];
  const failed = runs.some((r) => !r.graph || hasError(r.diagnostics)) || runs.length === 0;

  if (args.json) {
    if (args.model) {
      const rec = modelJson(runs[0]);
      const extra = fileDiags.filter((d) => !rec.diagnostics.some((x) => x.message === d.message)).map(diagnosticJson);
      writeOut(`${JSON.stringify({ ...rec, diagnostics: [...extra, ...rec.diagnostics] })}\n`);
    } else {
      const models: Record<string, unknown> = {};
      for (const r of runs) models[r.className ?? r.expr] = modelJson(r);
      writeOut(`${JSON.stringify({ file, models, diagnostics: fileDiags.map(diagnosticJson) })}\n`);
    }
    return failed ? 1 : 0;
  }

  const parts: string[] = [];
  // Module-level diagnostics (imports, top-level code) are listed once at the end, not under every model.
  const fileLevel = new Set(fileDiags.map(formatDiagnostic));
  for (const r of runs) {
    if (r.graph) parts.push(shapesTable(r.graph, r.inputSpec));
    else parts.push(`${r.expr}: not analysed`);
    const diags = (r.graph ? r.graph.diagnostics : r.diagnostics).map(formatDiagnostic).filter((d) => !fileLevel.has(d));
    if (diags.length) parts.push(diags.join('\n'));
  }
  if (!runs.length) parts.push(`no nn.Module class of ${args.file} can be built without arguments; use --model EXPR`);
  const skipped = args.model ? [] : fa.classes.filter((c) => c.isModel && !c.buildable).map((c) => c.name);
  if (skipped.length) parts.push(`not built (need constructor arguments, use --model): ${skipped.join(', ')}`);
  if (fileDiags.length) parts.push(fileDiags.map(formatDiagnostic).join('\n'));
  writeOut(`${parts.join('\n\n')}\n`);
  return failed ? 1 : 0;
}
