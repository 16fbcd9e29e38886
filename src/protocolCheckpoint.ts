// Typed messages between the extension host and the read-only checkpoint viewer, with the viewer's check of what arrives.
import { isArrayOf, isNum, isRec, isStr } from './protocolPrimitives';

/** One tensor of a weights file as the checkpoint viewer lists it. */
export interface CheckpointTensorRow {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly numel: number;
  readonly bytes: number;
}

/** What the read-only checkpoint viewer shows (everything read on the host without unpickling). */
export interface CheckpointViewData {
  readonly file: string;
  readonly format: string;
  /** The state dict read (`''` for the file itself), and the others found. */
  readonly entry: string | null;
  readonly candidates: readonly { readonly path: string; readonly tensors: number; readonly kind: string }[];
  readonly strippedPrefixes: readonly string[];
  readonly tensors: readonly CheckpointTensorRow[];
  readonly totals: { readonly count: number; readonly numel: number; readonly bytes: number };
  readonly others: readonly { readonly key: string; readonly text: string }[];
  readonly warnings: readonly string[];
  /** Models of the open Python files this state dict fits, as `Class (file)`, and the closest non-fitting one. */
  readonly fits: readonly string[];
}

export type ToCheckpointView = { readonly type: 'checkpoint'; readonly data: CheckpointViewData } | { readonly type: 'error'; readonly message: string };

function isCheckpointViewData(v: unknown): v is CheckpointViewData {
  const str = (x: unknown): x is string => isStr(x, 4096);
  return (
    isRec(v) &&
    str(v.file) &&
    str(v.format) &&
    (v.entry === null || str(v.entry)) &&
    isArrayOf(v.candidates, (c): c is CheckpointViewData['candidates'][number] => isRec(c) && str(c.path) && isNum(c.tensors) && str(c.kind), 1000) &&
    isArrayOf(v.strippedPrefixes, str, 8) &&
    isArrayOf(
      v.tensors,
      (t): t is CheckpointTensorRow => isRec(t) && str(t.name) && str(t.dtype) && isArrayOf(t.shape, isNum, 64) && isNum(t.numel) && isNum(t.bytes),
      1_000_000,
    ) &&
    isRec(v.totals) &&
    isNum(v.totals.count) &&
    isNum(v.totals.numel) &&
    isNum(v.totals.bytes) &&
    isArrayOf(v.others, (o): o is { key: string; text: string } => isRec(o) && str(o.key) && str(o.text), 10_000) &&
    isArrayOf(v.warnings, str, 1000) &&
    isArrayOf(v.fits, str, 1000)
  );
}

/** The checkpoint viewer's check of what the host sends. */
export function isToCheckpointView(msg: unknown): msg is ToCheckpointView {
  if (!isRec(msg)) return false;
  if (msg.type === 'checkpoint') return isCheckpointViewData(msg.data);
  return msg.type === 'error' && isStr(msg.message, 16_384);
}
