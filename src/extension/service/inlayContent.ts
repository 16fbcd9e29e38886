// Chooses the inlay hints of a document: one per bound line of forward/helpers, with the shape it binds.
import type { LineRecord } from '../../core/graph/modelGraph';
import { formatShapeConcrete } from '../../core/shape/shape';
import type { DocumentAnalysis } from './analysisTypes';
import { bothShapes, shortShape } from './shapeText';

export interface InlayItem {
  readonly line: number;
  readonly label: string;
  readonly tooltip: string;
}

/** Assignments and returns get a hint; a line reached by several call sites shows `×N` when shapes differ. */
export function inlayItems(a: DocumentAnalysis, fromLine: number, toLine: number): InlayItem[] {
  const byLine = new Map<number, LineRecord[]>();
  for (const m of a.models) {
    for (const r of m.graph?.lines ?? []) {
      if (r.kind !== 'assign' && r.kind !== 'mutate') continue;
      if (r.line < fromLine || r.line > toLine) continue;
      const list = byLine.get(r.line) ?? [];
      list.push(r);
      byLine.set(r.line, list);
    }
  }
  const items: InlayItem[] = [];
  for (const [line, records] of [...byLine.entries()].sort((x, y) => x[0] - y[0])) {
    const vars = [...new Set(records.map((r) => r.var))];
    const labels: string[] = [];
    const tips: string[] = [];
    for (const v of vars) {
      const rs = records.filter((r) => r.var === v);
      const shapes = [...new Set(rs.map((r) => shortShape(r.shape)))];
      const concretes = [...new Set(rs.map((r) => formatShapeConcrete(r.shape)))];
      const prefix = vars.length > 1 ? `${v}: ` : '';
      labels.push(shapes.length === 1 ? `${prefix}${shapes[0]}` : `${prefix}${shapes[0]} …×${shapes.length}`);
      tips.push(
        `${v}: ${shapes.length === 1 && concretes.length === 1 ? bothShapes(rs[0]!.shape) : rs.map((r) => `${r.owner ?? ''} ${bothShapes(r.shape)}`.trim()).join('\n')}`,
      );
    }
    items.push({ line, label: labels.join(', '), tooltip: tips.join('\n') });
  }
  return items;
}
