// Tensor shapes (lists of Dims) and dtypes, with formatting for hovers and JSON.
import { Dim, formatDim } from './dim';

export type Shape = readonly Dim[];

export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** `[B, 64, H/2, W/2]` */
export function formatShapeSymbolic(shape: Shape): string {
  return `[${shape.map(formatDim).join(', ')}]`;
}

/** `[4, 64, 128, 128]`; unknown sizes print as `?`. */
export function formatShapeConcrete(shape: Shape): string {
  return `[${shape.map((d) => (d.value === null ? '?' : String(d.value))).join(', ')}]`;
}

/** Concrete sizes, or null when any is unknown. */
export function concreteShape(shape: Shape): number[] | null {
  const out: number[] = [];
  for (const d of shape) {
    if (d.value === null) return null;
    out.push(d.value);
  }
  return out;
}

export function numel(shape: Shape): number | null {
  const c = concreteShape(shape);
  return c === null ? null : c.reduce((a, b) => a * b, 1);
}

export function hasSymbols(shape: Shape): boolean {
  return shape.some((d) => d.expr !== null);
}
