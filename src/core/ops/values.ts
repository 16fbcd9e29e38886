// The Python values that op shape rules receive and return (the interpreter's value model, as ops see it).
import { Dim } from '../shape/dim';
import { DType, Shape } from '../shape/shape';

/** A symbolic tensor: shape (null = unknown rank) and dtype; `id` names its ModelGraph value. */
export interface TensorValue {
  readonly kind: 'tensor';
  readonly id: string;
  readonly shape: Shape | null;
  readonly dtype: DType;
}

export type PyValue =
  | { readonly kind: 'none' }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** Python int; symbolic when it derives from a tensor size (`x.size(0)` is `B`). */
  | { readonly kind: 'int'; readonly dim: Dim }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'str'; readonly value: string }
  /** `fields`: attribute names of a named tuple (torch.return_types.max has `values`, `indices`). */
  | { readonly kind: 'tuple'; readonly items: readonly PyValue[]; readonly isSize?: boolean; readonly fields?: readonly string[] }
  /** Mutable: the interpreter shares `items` between aliases, as Python does. */
  | { readonly kind: 'list'; items: PyValue[] }
  | { readonly kind: 'dict'; readonly entries: Map<string, PyValue>; readonly keys: PyValue[] }
  /** `a:b:c` inside a subscript; missing parts are none. */
  | { readonly kind: 'slice'; readonly start: PyValue; readonly stop: PyValue; readonly step: PyValue }
  | { readonly kind: 'ellipsis' }
  | TensorValue
  | { readonly kind: 'unknown'; readonly why: string }
  /** Interpreter-specific objects (modules, functions, classes); ops never look inside. */
  | { readonly kind: 'object'; readonly ref: unknown; readonly typeName: string };

export const NONE: PyValue = { kind: 'none' };
