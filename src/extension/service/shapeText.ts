// Shape strings as the editor surfaces print them: symbolic and concrete side by side.
import { formatShapeConcrete, formatShapeSymbolic, hasSymbols, numel, type Shape } from '../../core/shape/shape';
import { formatElements } from './format';

/** `[B, 64, H/2, W/2] · [4, 64, 128, 128]`, or just the concrete form when nothing is symbolic. */
export function bothShapes(shape: Shape | null): string {
  if (!shape) return '?';
  const concrete = formatShapeConcrete(shape);
  return hasSymbols(shape) ? `${formatShapeSymbolic(shape)} · ${concrete}` : concrete;
}

/** The compact form for inlay hints: symbolic when there is a symbol, else concrete. */
export function shortShape(shape: Shape | null): string {
  if (!shape) return '?';
  return hasSymbols(shape) ? formatShapeSymbolic(shape) : formatShapeConcrete(shape);
}

export function elementCount(shape: Shape | null): string {
  const n = shape ? numel(shape) : null;
  return n === null ? '?' : formatElements(n);
}

/** Markdown-safe table cell text. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
