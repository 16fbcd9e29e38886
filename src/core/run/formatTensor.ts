// A `print(tensor)`-style preview: nested brackets, 4 decimals (or scientific), summarised with `...` beyond 1000 elements.
import type { RunTensor } from './runner';

export interface FormatTensorOptions {
  /** Summarise tensors with more elements than this (torch's print threshold). */
  readonly threshold?: number;
  /** Items shown at each end of a summarised dimension. */
  readonly edgeItems?: number;
  readonly precision?: number;
}

/** Indices shown along a dimension of size `n`: all, or the first and last `edge` with a gap marker (-1). */
function shownIndices(n: number, summarise: boolean, edge: number): number[] {
  if (!summarise || n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: edge }, (_, i) => i), -1, ...Array.from({ length: edge }, (_, i) => n - edge + i)];
}

export function formatTensor(t: RunTensor, options: FormatTensorOptions = {}): string {
  const threshold = options.threshold ?? 1000;
  const edge = options.edgeItems ?? 3;
  const precision = options.precision ?? 4;
  const shape = t.shape;
  const n = shape.reduce((a, b) => a * b, 1);
  const summarise = n > threshold;
  const isInt = t.dtype.startsWith('int') || t.dtype === 'uint8' || t.dtype === 'bool';

  // Choose one number format for the whole tensor from the elements that will be shown, as torch does.
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const shownFlat: number[] = [];
  const collect = (d: number, offset: number): void => {
    if (d === shape.length) {
      shownFlat.push(offset);
      return;
    }
    for (const i of shownIndices(shape[d]!, summarise, edge)) if (i >= 0) collect(d + 1, offset + i * strides[d]!);
  };
  if (n > 0) collect(0, 0);
  const vals = shownFlat.map((i) => Number(t.data[i]));
  const finite = vals.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  const maxAbs = finite.length ? Math.max(...finite) : 0;
  const minAbs = finite.length ? Math.min(...finite) : 0;
  const sci = !isInt && finite.length > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1000);
  const fmt = (v: number): string => {
    if (t.dtype === 'bool') return v ? 'True' : 'False';
    if (isInt) return String(v);
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return sci ? v.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2') : v.toFixed(precision);
  };
  const width = Math.max(1, ...vals.map((v) => fmt(v).length));
  const cell = (i: number): string => fmt(Number(t.data[i])).padStart(width);

  const prefix = 'tensor(';
  const render = (d: number, offset: number, indent: number): string => {
    if (d === shape.length) return cell(offset);
    const idx = shownIndices(shape[d]!, summarise, edge);
    if (d === shape.length - 1) return `[${idx.map((i) => (i < 0 ? '...' : cell(offset + i * strides[d]!))).join(', ')}]`;
    const sep = `,${'\n'.repeat(shape.length - d - 1)}${' '.repeat(indent + 1)}`;
    return `[${idx.map((i) => (i < 0 ? '...' : render(d + 1, offset + i * strides[d]!, indent + 1))).join(sep)}]`;
  };
  const body = n === 0 ? '[]' : render(0, 0, prefix.length);
  const extra = t.dtype === 'float32' || t.dtype === 'int64' || t.dtype === 'bool' ? '' : `, dtype=torch.${t.dtype}`;
  const sizeNote = n === 0 ? `, size=(${shape.join(', ')})` : '';
  return `${prefix}${body}${sizeNote}${extra})`;
}
