// The `shapes` report of an .onnx file: a node table (op, name, output shapes, params) as text, or a JSON record.
import type { Diagnostic, ModelGraph } from '../graph/modelGraph';
import { formatShapeConcrete, formatShapeSymbolic, type Shape } from '../shape/shape';
import type { DecodedOnnx } from './decodeOnnx';

const shapeText = (s: Shape | null | undefined): string =>
  s ? (s.some((d) => d.expr) ? `${formatShapeSymbolic(s)} = ${formatShapeConcrete(s)}` : formatShapeConcrete(s)) : '?';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function diagText(d: Diagnostic): string {
  return `${d.severity} [${d.code}] ${d.message}`;
}

const valueShape = (g: ModelGraph, id: string): Shape | null => g.values.get(id)?.shape ?? null;

/** Text table: one row per node, then inputs/outputs, totals and diagnostics. */
export function onnxShapesText(d: DecodedOnnx): string {
  const g = d.graph;
  const rows: string[][] = [['Node', 'Op', 'Output', 'Params']];
  for (const [i, n] of g.nodes.entries()) {
    const name = typeof n.args.name === 'string' && n.args.name ? n.args.name : n.id;
    rows.push([
      name,
      n.op.replace(/^onnx\./, ''),
      n.outputs.map((o) => shapeText(valueShape(g, o))).join(', ') || '-',
      n.params ? n.params.toLocaleString('en-US') : '-',
    ]);
    if (i > 100_000) break;
  }
  const out = [
    `${g.file}  (ONNX opset ${d.opset}, IR ${d.irVersion}${d.producer ? `, ${d.producer}` : ''})`,
    `input: ${g.inputs.map((i) => `${i.name} ${shapeText(i.shape)} ${i.dtype}`).join('; ') || '-'}`,
    table(rows),
    `output: ${g.outputs.map((o) => `${o} ${shapeText(valueShape(g, o))}`).join('; ')}`,
    `nodes: ${g.nodes.length.toLocaleString('en-US')}   params: ${g.paramsTotal.toLocaleString('en-US')}   FLOPs: ${g.flopsTotal.toLocaleString('en-US')}`,
  ];
  if (g.diagnostics.length) out.push(g.diagnostics.map(diagText).join('\n'));
  return `${out.join('\n')}\n`;
}

const dims = (s: Shape | null): (number | null)[] | null => (s ? s.map((x) => x.value) : null);

/** JSON record: inputs, outputs, nodes with their output shapes, totals and diagnostics. */
export function onnxShapesJson(d: DecodedOnnx): unknown {
  const g = d.graph;
  return {
    file: g.file,
    format: 'onnx',
    opset: d.opset,
    ir_version: d.irVersion,
    producer: d.producer,
    inputs: g.inputs.map((i) => ({ name: i.name, shape: dims(i.shape), dtype: i.dtype })),
    outputs: g.outputs.map((o) => ({ name: o, shape: dims(valueShape(g, o)), dtype: g.values.get(o)?.dtype ?? null })),
    nodes: g.nodes.map((n) => ({
      id: n.id,
      name: n.args.name ?? null,
      op: n.op.replace(/^onnx\./, ''),
      scope: n.scope,
      inputs: n.inputs,
      outputs: n.outputs.map((o) => ({ name: o, shape: dims(valueShape(g, o)), dtype: g.values.get(o)?.dtype ?? null })),
      params: n.params,
      flops: n.flops,
    })),
    params_total: g.paramsTotal,
    flops_total: g.flopsTotal,
    diagnostics: g.diagnostics.map((x) => ({ severity: x.severity, code: x.code, message: x.message })),
  };
}
