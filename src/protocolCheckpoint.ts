// Typed messages between the extension host and the read-only checkpoint viewer, with the viewer's check of what arrives.
// The viewer embeds the graph view (webview/graphView's GraphApp): besides these, it receives `ToGraphView` messages and
// sends `FromGraphView` ones, which the host's GraphWebviewHost validates and handles as for the graph view.
import { checkByType, isArrayOf, isNum, isRec, isStr, type MessageChecks } from './protocolPrimitives';

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
  /** Models of the workspace against this state dict: the fitting ones first, then the closest (each with its counts). */
  readonly models: readonly CheckpointModelFit[];
  /** Key of the model whose graph the viewer shows with the checkpoint's weights, or null. */
  readonly shown: string | null;
}

/** A workspace model against the checkpoint: `TinyResNet (model.py)`, whether it fits, matched of total, and why not. */
export interface CheckpointModelFit {
  readonly key: string;
  readonly label: string;
  readonly fits: boolean;
  readonly matched: number;
  readonly total: number;
  readonly reason: string;
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
    isArrayOf(
      v.models,
      (m): m is CheckpointModelFit =>
        isRec(m) && str(m.key) && str(m.label) && typeof m.fits === 'boolean' && isNum(m.matched) && isNum(m.total) && str(m.reason),
      1000,
    ) &&
    (v.shown === null || str(v.shown))
  );
}

/** The checkpoint viewer's check of what the host sends. */
export function isToCheckpointView(msg: unknown): msg is ToCheckpointView {
  if (!isRec(msg)) return false;
  if (msg.type === 'checkpoint') return isCheckpointViewData(msg.data);
  return msg.type === 'error' && isStr(msg.message, 16_384);
}

export type FromCheckpointView =
  /** Show this fitting model's graph with the checkpoint's weights (several models fit). */
  | { readonly type: 'showModel'; readonly key: string }
  /** Read another state dict of the file (a checkpoint holding `model` and `ema`). */
  | { readonly type: 'pickEntry'; readonly path: string };

const FROM_CHECKPOINT_VIEW: MessageChecks<FromCheckpointView> = {
  showModel: (msg) => isStr(msg.key, 4096),
  pickEntry: (msg) => isStr(msg.path, 4096),
};

/** The host's check of the viewer's own messages (its graph's messages go through isFromGraphView). */
export function isFromCheckpointView(msg: unknown): msg is FromCheckpointView {
  return checkByType(msg, FROM_CHECKPOINT_VIEW);
}
