// Shapes as error messages print them: concrete sizes, plus the symbolic form when there is one.
import { Shape, formatShapeConcrete, formatShapeSymbolic, hasSymbols } from '../shape/shape';

export function showShape(s: Shape | null): string {
  if (s === null) return '[?]';
  const c = formatShapeConcrete(s);
  return hasSymbols(s) ? `${c} (${formatShapeSymbolic(s)})` : c;
}
