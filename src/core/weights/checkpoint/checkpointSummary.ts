// What a weights file holds, for tables and the checkpoint viewer: tensors grouped by module path with sizes and totals.
import type { DType } from '../../shape/shape';
import type { WeightsFile } from '../readWeightsFile';

export interface TensorRow {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly numel: number;
  readonly bytes: number;
}

/** A module path (`layer1.0.conv1`) with its own tensors and the totals of everything under it. */
export interface ModuleRow {
  readonly path: string;
  readonly tensors: TensorRow[];
  readonly children: ModuleRow[];
  numel: number;
  bytes: number;
  count: number;
}

export interface WeightsSummary {
  readonly format: WeightsFile['format'];
  readonly entry: string | null;
  readonly candidates: readonly { readonly path: string; readonly tensors: number; readonly kind: string }[];
  readonly strippedPrefixes: readonly string[];
  readonly tensors: readonly TensorRow[];
  readonly tree: ModuleRow;
  readonly totals: { readonly count: number; readonly numel: number; readonly bytes: number; readonly byDtype: Readonly<Record<string, number>> };
  readonly others: readonly { readonly key: string; readonly text: string }[];
  readonly warnings: readonly string[];
}

export function summariseWeights(w: WeightsFile): WeightsSummary {
  const tensors: TensorRow[] = [...w.tensors.values()].map((t) => {
    const numel = t.shape.reduce((a, b) => a * b, 1);
    return { name: t.name, dtype: t.dtype, shape: t.shape, numel, bytes: numel * t.data.BYTES_PER_ELEMENT };
  });
  const root: ModuleRow = { path: '', tensors: [], children: [], numel: 0, bytes: 0, count: 0 };
  const byPath = new Map<string, ModuleRow>([['', root]]);
  const rowFor = (path: string): ModuleRow => {
    let row = byPath.get(path);
    if (row) return row;
    const parent = rowFor(path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '');
    row = { path, tensors: [], children: [], numel: 0, bytes: 0, count: 0 };
    parent.children.push(row);
    byPath.set(path, row);
    return row;
  };
  const byDtype: Record<string, number> = {};
  for (const t of tensors) {
    const mod = t.name.includes('.') ? t.name.slice(0, t.name.lastIndexOf('.')) : '';
    rowFor(mod).tensors.push(t);
    byDtype[t.dtype] = (byDtype[t.dtype] ?? 0) + 1;
    // totals up the chain
    for (let p: string | null = mod; p !== null; p = p === '' ? null : p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      const r = byPath.get(p)!;
      r.numel += t.numel;
      r.bytes += t.bytes;
      r.count++;
    }
  }
  const isCkpt = w.format !== 'safetensors';
  return {
    format: w.format,
    entry: isCkpt ? w.entry.path : null,
    candidates: isCkpt ? w.candidates : [],
    strippedPrefixes: isCkpt ? w.strippedPrefixes : [],
    tensors,
    tree: root,
    totals: { count: tensors.length, numel: root.numel, bytes: root.bytes, byDtype },
    others: isCkpt ? w.others : Object.entries(w.metadata ?? {}).map(([key, text]) => ({ key, text })),
    warnings: isCkpt ? w.warnings : [],
  };
}
