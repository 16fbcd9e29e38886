// The `shapes --json` document: the oracle's schema (modules, lines, params_total, outputs, output_kind) plus diagnostics.
import type { Diagnostic, ModelGraph } from '../core/graph/modelGraph';
import type { Shape } from '../core/shape/shape';

type JsonShape = (number | null)[];

const shapeJson = (s: Shape | null): JsonShape | null => (s ? s.map((d) => d.value) : null);

export interface ShapesJson {
  model: string;
  class: string;
  file: string;
  inputs: { name: string; shape: JsonShape; dtype: string }[];
  input_kind: string;
  modules: { path: string; type: string; depth: number; in: (JsonShape | null)[]; out: (JsonShape | null)[]; out_dtypes: (string | null)[]; params: number }[];
  lines: { kind: string; owner: string | null; func: string; qualname: string; line: number; var: string; shape: JsonShape; dtype: string }[];
  params_total: number;
  flops_total: number;
  outputs: (JsonShape | null)[];
  output_dtypes: string[];
  output_kind: string;
  output_keys?: string[];
  diagnostics: ReturnType<typeof diagnosticJson>[];
}

export function diagnosticJson(d: Diagnostic) {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.range
      ? { file: d.range.file, line: d.range.startLine + 1, column: d.range.startCol + 1, end_line: d.range.endLine + 1, end_column: d.range.endCol + 1 }
      : {}),
    ...(d.fix
      ? {
          fix: {
            title: d.fix.title,
            text: d.fix.text,
            line: d.fix.range.startLine + 1,
            column: d.fix.range.startCol + 1,
            end_line: d.fix.range.endLine + 1,
            end_column: d.fix.range.endCol + 1,
          },
        }
      : {}),
  };
}

export function shapesJson(g: ModelGraph, extraDiagnostics: readonly Diagnostic[] = []): ShapesJson {
  const outs = g.outputs.map((id) => g.values.get(id));
  return {
    model: g.expr,
    class: g.className,
    file: g.file,
    inputs: g.inputs.map((i) => ({ name: i.name, shape: shapeJson(i.shape) ?? [], dtype: i.dtype })),
    input_kind: g.inputKind,
    modules: g.modules.map((m) => ({
      path: m.path,
      type: m.type,
      depth: m.depth,
      in: m.in.map(shapeJson),
      out: m.out.map(shapeJson),
      out_dtypes: m.outDtypes.map((d) => d ?? null),
      params: m.params,
    })),
    lines: g.lines.map((l) => ({
      kind: l.kind,
      owner: l.owner,
      func: l.func,
      qualname: l.qualname,
      line: l.line + 1,
      var: l.var,
      shape: shapeJson(l.shape) ?? [],
      dtype: l.dtype,
    })),
    params_total: g.paramsTotal,
    flops_total: g.flopsTotal,
    outputs: outs.map((v) => (v ? shapeJson(v.shape) : null)),
    output_dtypes: outs.map((v) => v?.dtype ?? 'float32'),
    output_kind: g.outputKind,
    ...(g.outputKeys ? { output_keys: [...g.outputKeys] } : {}),
    diagnostics: [...extraDiagnostics, ...g.diagnostics].map(diagnosticJson),
  };
}
