// Input SPECs (`[NAME=]D0xD1x…[:DTYPE]`, dims numbers or symbolic names) and their tensor shapes.
import { dtypeNamed } from '../ops/args';
import { dim, symDim, type Dim } from '../shape/dim';
import type { DType, Shape } from '../shape/shape';

export interface InputSpec {
  /** The forward parameter it feeds (null: by position). */
  readonly name: string | null;
  /** Numbers, or symbolic names (`B`, `H`) whose values come from `symbols`. */
  readonly dims: readonly (number | string)[];
  readonly dtype: DType;
}

export type InputKind = 'args' | 'list' | 'dict';

/** Where an input spec came from, first match wins in this order. */
export type SpecSource = 'comment' | 'option' | 'example' | 'constraint' | 'default';

/** Dtype names of a spec (`:int64`): torch's (`long`, `half`, …) and the short `f32`. */
const specDtype = (name: string): DType | undefined => (name === 'f32' ? 'float32' : dtypeNamed(name));

/** Parses one SPEC; returns an error message string when it is malformed. */
export function parseInputSpec(text: string): InputSpec | string {
  const bad = `invalid input spec '${text}' (expected [NAME=]D0xD1x…[:DTYPE], e.g. 4x3x256x256 or tokens=2x12:int64)`;
  const m = /^(?:([A-Za-z_]\w*)=)?([^:=]+)(?::([A-Za-z0-9]+))?$/.exec(text.trim());
  if (!m) return bad;
  const dtype = m[3] ? specDtype(m[3]) : 'float32';
  if (!dtype) return `unknown dtype '${m[3]}' in input spec '${text}'`;
  if (m[2] === '[]') return { name: m[1] ?? null, dims: [], dtype };
  const dims: (number | string)[] = [];
  // Dims are separated by 'x' (or '×'): numbers, or symbolic names (which therefore never contain an 'x').
  for (const d of m[2].split(/[x×]/)) {
    if (/^\d+$/.test(d)) dims.push(Number(d));
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(d)) dims.push(d);
    else return bad;
  }
  return { name: m[1] ?? null, dims, dtype };
}

/** Splits `A, B` lists of SPECs (as in the `# fusion-lens: input=` comment). */
export function parseInputSpecs(text: string): InputSpec[] | string {
  const out: InputSpec[] = [];
  for (const part of text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const s = parseInputSpec(part);
    if (typeof s === 'string') return s;
    out.push(s);
  }
  return out;
}

export function formatInputSpec(s: InputSpec): string {
  return `${s.name ? `${s.name}=` : ''}${s.dims.length ? s.dims.join('x') : '[]'}${s.dtype !== 'float32' ? `:${s.dtype}` : ''}`;
}

/** Conventional symbolic names by position, for numeric specs (`4x3x256x256` → B, 3, H, W). */
function autoSymbol(rank: number, i: number): string | null {
  if (i === 0 && rank >= 2) return 'B';
  if (rank === 4 && i === 2) return 'H';
  if (rank === 4 && i === 3) return 'W';
  if (rank === 5 && i >= 2) return ['D', 'H', 'W'][i - 2];
  if (rank === 3 && i === 2) return 'L';
  return null;
}

/**
 * The shape of a spec: named dims are symbolic with the value from `symbols` (null when absent);
 * numeric dims of float inputs get conventional symbols so shapes print both ways.
 */
export function specShape(s: InputSpec, symbols: Readonly<Record<string, number>> = {}, symbolize = true): Shape {
  const rank = s.dims.length;
  const intInput = !s.dtype.startsWith('float') && s.dtype !== 'bfloat16';
  return s.dims.map((d, i): Dim => {
    if (typeof d === 'string') return symDim(d, symbols[d] ?? null);
    const sym = symbolize ? (intInput ? (i === 0 && rank >= 2 ? 'B' : i === 1 && rank === 2 ? 'T' : null) : autoSymbol(rank, i)) : null;
    return sym ? symDim(sym, d) : dim(d);
  });
}
