// The torchinfo-like text table of `fusion-lens shapes`: one row per module call, totals, diagnostics.
import type { Diagnostic, ModelGraph } from '../core/graph/modelGraph';
import { formatShapeConcrete, formatShapeSymbolic, type Shape } from '../core/shape/shape';
import type { ChosenSpec } from '../core/interp/analyzeFile';

const fmtShapes = (ss: readonly (Shape | null)[], f: (s: Shape) => string): string => (ss.length ? ss.map((s) => (s ? f(s) : 'None')).join(', ') : '-');

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function formatFlops(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)}K`;
  return String(n);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= r.length - 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.range ? `${d.range.file}:${d.range.startLine + 1}:${d.range.startCol + 1}: ` : '';
  return `${where}${d.severity} [${d.code}] ${d.message}${d.hint ? ` (${d.hint})` : ''}`;
}

export function shapesTable(g: ModelGraph, spec: ChosenSpec | null): string {
  const flopsOf = new Map(g.nodes.map((n) => [n.id, n.flops]));
  const rows: string[][] = [['Module', 'Type', 'Output (symbolic)', 'Output', 'Params', 'FLOPs']];
  for (const m of g.modules) {
    const name = m.path === '' ? `(${g.className})` : `${'  '.repeat(Math.max(0, m.depth - 1))}${m.path}`;
    const flops = m.nodes.reduce((a, id) => a + (flopsOf.get(id) ?? 0), 0);
    rows.push([
      name,
      m.type,
      fmtShapes(m.out, formatShapeSymbolic),
      fmtShapes(m.out, formatShapeConcrete),
      m.params ? formatCount(m.params) : '-',
      flops ? formatFlops(flops) : '-',
    ]);
  }
  const out: string[] = [];
  out.push(`${g.expr}  (${g.file})`);
  if (spec)
    out.push(
      `input: ${g.inputs.map((i) => `${i.name} ${formatShapeSymbolic(i.shape)} = ${formatShapeConcrete(i.shape)} ${i.dtype}`).join('; ')}  [from ${spec.source}]`,
    );
  if (spec?.note) out.push(`note: ${spec.note}`);
  out.push(table(rows));
  const outs = g.outputs.map((id) => g.values.get(id)?.shape ?? null);
  out.push(`output (${g.outputKind}): ${fmtShapes(outs, formatShapeSymbolic)} = ${fmtShapes(outs, formatShapeConcrete)}`);
  out.push(`params: ${formatCount(g.paramsTotal)}   FLOPs: ${formatFlops(g.flopsTotal)} (${formatCount(g.flopsTotal)})`);
  return out.join('\n');
}
