// Typed messages between the extension host and the webviews (graph view, run panel), with validators for every inbound message.
//
// CONTRACT
// - Host → webview: `ToGraphView`, `ToRunPanel`. Webview → host: `FromGraphView`, `FromRunPanel`.
// - The host calls `isFromGraphView(msg)` / `isFromRunPanel(msg)` on EVERY message before acting on it;
//   the webviews call `isToGraphView` / `isToRunPanel` likewise.
// - Binary data (`Bytes`) travels as Uint8Array (VS Code transfers typed arrays) or, where a channel
//   only carries JSON, as a base64 string; `bytesOf` turns either into a Uint8Array.
// - Boot configuration the webview needs before any message arrives is `window.fusionLensBoot`
//   (`WebviewBoot`), written by the host into the HTML shell.

import {
  MAX_IMAGE_TEXT,
  checkByType,
  isArrayOf,
  isBytes,
  isFraction,
  isInt,
  isLog,
  isNum,
  isRec,
  isStr,
  oneOf,
  type Bytes,
  type MessageChecks,
} from './protocolPrimitives';
export { base64Of, bytesOf, unhandled } from './protocolPrimitives';

// ───────────────────────────── boot configuration ─────────────────────────────

import type { WebviewStrings } from './webviewStrings';

/** Set by the host's HTML shell as `window.fusionLensBoot` before the bundle runs (src/extension/host/webviewHtml.ts). */
export interface WebviewBoot {
  /** Webview URI of dist/wasm/ with a trailing slash (onnxruntime-web's wasmPaths). */
  readonly wasmBase: string;
  /** Webview URI of dist/ with a trailing slash; the layout worker is `${distBase}webview/layoutWorker.js`. */
  readonly distBase: string;
  /** VS Code display language (`en`, `zh-cn`): picks the language of texts that arrive in both (fusion explanations). */
  readonly locale: string;
  /** The webview's UI strings, translated by the host (src/webviewStrings.ts lists the keys and English texts). */
  readonly strings: WebviewStrings;
}

// ───────────────────────────── graph payload ─────────────────────────────

// The payload types live in core (the webviews and the layout use them without the message layer).
import type { PayloadShape, GraphPayload } from './core/graph/graphPayloadTypes';
export type {
  PayloadShape,
  PayloadNodeKind,
  PayloadNode,
  PayloadEdge,
  PayloadScope,
  FusionMethod,
  PayloadFusionInput,
  PayloadFusion,
  GraphPayload,
} from './core/graph/graphPayloadTypes';

import type { OverlayParam, WeightOverlay } from './core/graph/weightOverlay';
export type { OverlayNode, OverlayParam, WeightOverlay } from './core/graph/weightOverlay';

import type { BackendInfo, ProviderChoice } from './core/run/backend';
export type { BackendInfo, BackendKind, ProviderChoice } from './core/run/backend';

// ───────────────────────────── request / response ─────────────────────────────

/** A request carries an id; the reply echoes it in a `response` message. */
export interface ResponseMessage {
  readonly type: 'response';
  readonly requestId: number;
  readonly ok: boolean;
  /** Result on success (JSON-serialisable), error text on failure. */
  readonly result?: unknown;
  readonly error?: string;
}

/** What each request a webview sends resolves with, by request `type`, and the check a reply passes before it does. */
export type ReplyChecks<Replies> = { readonly [K in keyof Replies]: (v: unknown) => v is Replies[K] };

/**
 * One side of a request/response channel: `request` posts a message with a fresh `requestId` and resolves with the
 * matching `response`'s result, typed by `Replies[type]` after `checks[type]` accepted it; feed every inbound message
 * to `handle` (returns true when it consumed it).
 */
export class RequestChannel<Req extends { readonly type: string; readonly requestId: number }, Replies extends { readonly [K in Req['type']]: unknown }> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; check: (v: unknown) => boolean }>();

  constructor(
    private readonly post: (msg: Req) => void,
    private readonly checks: ReplyChecks<Replies>,
  ) {}

  request<T extends Req['type']>(msg: Omit<Extract<Req, { readonly type: T }>, 'requestId'>): Promise<Replies[T]> {
    const requestId = this.nextId++;
    const type = msg.type as T;
    return new Promise<Replies[T]>((resolve, reject) => {
      this.pending.set(requestId, { resolve: (v) => resolve(v as Replies[T]), reject, check: this.checks[type] });
      this.post({ ...msg, requestId } as unknown as Req);
    });
  }

  handle(msg: unknown): boolean {
    if (!isResponse(msg)) return false;
    const p = this.pending.get(msg.requestId);
    if (!p) return false;
    this.pending.delete(msg.requestId);
    if (!msg.ok) p.reject(new Error(msg.error ?? 'request failed'));
    else if (!p.check(msg.result)) p.reject(new Error('malformed reply'));
    else p.resolve(msg.result);
    return true;
  }

  /** Reject everything still waiting (the view was disposed). */
  dispose(): void {
    for (const p of this.pending.values()) p.reject(new Error('channel closed'));
    this.pending.clear();
  }
}

// ───────────────────────────── graph view messages ─────────────────────────────

export type ToGraphView =
  /** A new or updated model; null payload with a reason when there is nothing to show. */
  | {
      readonly type: 'graph';
      readonly payload: GraphPayload | null;
      readonly reason?: string;
      /** Show a Run button that posts `runModel` (the .onnx editor). */ readonly canRun?: boolean;
      /** Weights laid over the graph: the per-layer change of the latest Compare Checkpoints, or a checkpoint's tensors. */
      readonly overlay?: WeightOverlay;
    }
  /** Cursor moved in the editor: highlight these nodes (or the nodes of that source line; a collapsed group stands in for its nodes) and scroll to them. */
  | { readonly type: 'highlight'; readonly nodeIds?: readonly string[]; readonly file?: string; readonly line?: number }
  | ResponseMessage;

export type FromGraphView =
  | { readonly type: 'ready' }
  /** The user clicked a node: reveal its source. */
  | { readonly type: 'revealSource'; readonly nodeId: string; readonly file: string; readonly line: number }
  /** Save an exported picture: svg as text, png as base64; the host asks where and replies with `response`. */
  | { readonly type: 'exportImage'; readonly requestId: number; readonly format: 'svg' | 'png'; readonly fileName: string; readonly data: string }
  /** The Run button (shown when the graph message set `canRun`): run the shown model in the run panel. */
  | { readonly type: 'runModel'; readonly key: string }
  /** Layout figures for the log and benchmarks. */
  | { readonly type: 'layoutDone'; readonly nodes: number; readonly edges: number; readonly ms: number; readonly mode: LayoutModeName }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

/** What the graph view's requests resolve with: an exported image is saved (or the request rejects). */
export interface GraphViewReplies {
  readonly exportImage: undefined;
}
export const GRAPH_VIEW_REPLIES: ReplyChecks<GraphViewReplies> = { exportImage: (v): v is undefined => v === undefined };

export type LayoutModeName = 'full' | 'fast';

// ───────────────────────────── run panel messages ─────────────────────────────

/** Bytes as a Uint8Array, or base64 text where a channel only carries JSON. */
export type { Bytes } from './protocolPrimitives';

export type InputSource =
  /** Standard-normal values: input i draws `new Rng(seed, 'input.<i>').normal()` (src/core/weights/rng.ts), the same values as `fusion-lens run --seed`. */
  | { readonly kind: 'seeded'; readonly seed: number }
  /** Raw little-endian float32 data of exactly the tensor's size. */
  | { readonly kind: 'data'; readonly data: Bytes }
  /** An image file (png/jpeg/…) decoded in the webview, resized to the tensor's H×W, scaled to [0,1] then normalised per channel. */
  | { readonly kind: 'image'; readonly data: Bytes; readonly mime: string; readonly mean: readonly number[]; readonly std: readonly number[] };

export interface RunInput {
  /** ONNX graph input name. */
  readonly name: string;
  readonly dims: readonly number[];
  readonly dtype: 'float32';
  readonly source: InputSource;
}

/** An extra graph output the ONNX encoder exposes so the panel can show intermediate tensors (or their summaries). */
export interface RunTap {
  /** ONNX output name of the tapped tensor, or of its statistics when `summary` is set. */
  readonly output: string;
  /** ModelGraph node that produced it. */
  readonly node: string;
  readonly label: string;
  /** 'layer' for per-layer stats; fusion taps also get heatmaps. */
  readonly role: 'layer' | 'fusion-input' | 'fusion-output';
  /** For fusion taps: the index of the fusion (in the model's fusion list) and the level text. */
  readonly fusion?: number;
  readonly level?: string;
  /**
   * Set when the graph summarises the tensor itself (it is not an output): `output` is then a float64 vector of
   * its statistics (core/ops/lowerStats STATS_VECTOR), `dims` the tensor's shape, and `map` (fusion taps) the
   * output holding what its heatmap reads (batch item 0; mean |x| over channels for [N, C, H, W]).
   */
  readonly summary?: TapSummary;
}

export interface TapSummary {
  readonly dims: readonly number[];
  readonly map?: string;
}

export interface RunModel {
  /** Display name (class name) — also the key for comparisons. */
  readonly name: string;
  readonly onnx: Bytes;
  /** External initializer files referenced by the ONNX model (`location` → bytes); the run panel reports such models as not runnable yet. */
  readonly externalData?: readonly { readonly path: string; readonly data: Bytes }[];
  /** The model's real outputs (in order); every other graph output is a tap. */
  readonly outputs: readonly string[];
  readonly taps: readonly RunTap[];
  readonly params: number;
  readonly flops: number;
  /** What the model runs with: `seeded (seed 0)`, or the weights file and what was read from it. */
  readonly weights?: string;
  /** Relative change ‖b − a‖ / ‖a‖ of each parameter against another run of the same model with other weights. */
  readonly weightChange?: WeightChangeInfo;
}

export interface WeightChangeInfo {
  /** Name of the model run it is compared against. */
  readonly against: string;
  readonly parameters: readonly { readonly name: string; readonly relative: number }[];
}

export interface RunRequest {
  readonly runId: number;
  readonly models: readonly RunModel[];
  /** The same inputs are fed to every model. */
  readonly inputs: readonly RunInput[];
  /** How many output values to preview. */
  readonly previewCount?: number;
  /**
   * Who answers the panel's "Run again" (new seed or picked image): by default the panel posts `rerun` and the
   * host sends a fresh `run`; with `localRerun: true` the panel re-runs these same models itself (and still posts `rerun`).
   */
  readonly localRerun?: boolean;
  /** Which engine runs the models (settings `fusionLens.executionProvider`, `fusionLens.maxThreads`); default auto, 4 threads at most. */
  readonly execution?: ExecutionChoice;
}

export interface ExecutionChoice {
  readonly provider: ProviderChoice;
  /** Cap on wasm threads when the webview is cross-origin isolated (it runs on one thread otherwise). */
  readonly maxThreads: number;
}

export interface TensorStats {
  readonly dims: readonly number[];
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** Count of NaN/Inf values (excluded from the other figures). */
  readonly nonFinite: number;
}

export interface OutputResult {
  readonly name: string;
  readonly stats: TensorStats;
  readonly preview: readonly number[];
}

export interface LayerResult {
  readonly output: string;
  readonly node: string;
  readonly label: string;
  readonly role: RunTap['role'];
  readonly stats: TensorStats;
}

export interface ModelResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly outputs: readonly OutputResult[];
  readonly layers: readonly LayerResult[];
  readonly createMs: number;
  readonly runMs: number;
  readonly params: number;
  readonly flops: number;
  readonly weights?: string;
  readonly weightChange?: WeightChangeInfo;
  /** The engine the model ran on (and why a faster one was not used). */
  readonly backend?: BackendInfo;
}

export interface Comparison {
  readonly a: string;
  readonly b: string;
  /** Output index compared (outputs are compared position by position when shapes match). */
  readonly output: number;
  readonly maxAbsDiff: number;
  readonly cosine: number;
}

export interface RunResult {
  readonly runId: number;
  readonly models: readonly ModelResult[];
  readonly comparisons: readonly Comparison[];
  /** Set when the whole run failed before any model (e.g. the wasm could not load) or was cancelled. */
  readonly error?: string;
  readonly cancelled?: boolean;
}

export type ToRunPanel = ({ readonly type: 'run' } & RunRequest) | { readonly type: 'cancel'; readonly runId: number } | ResponseMessage;

export type RunPhase = 'loading-runtime' | 'preparing-input' | 'creating-session' | 'running' | 'summarising' | 'done';

export type FromRunPanel =
  | { readonly type: 'ready' }
  | { readonly type: 'runProgress'; readonly runId: number; readonly model: string | null; readonly phase: RunPhase; readonly fraction: number }
  | ({ readonly type: 'runResult' } & RunResult)
  /** The user asked to run again (e.g. with another seed or a picked image). */
  | { readonly type: 'rerun'; readonly seed: number | null; readonly image: { readonly data: Bytes; readonly mime: string } | null }
  /** The weight-change table's link: show that model's graph with the change overlay. */
  | { readonly type: 'showOnGraph'; readonly model: string }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

// ───────────────────────────── validators ─────────────────────────────

export function isResponse(msg: unknown): msg is ResponseMessage {
  return isRec(msg) && msg.type === 'response' && isInt(msg.requestId, 1) && typeof msg.ok === 'boolean' && (msg.error === undefined || isStr(msg.error));
}

const FROM_GRAPH_VIEW: MessageChecks<FromGraphView> = {
  ready: () => true,
  revealSource: (msg) => isStr(msg.nodeId, 4096) && isStr(msg.file, 4096) && isInt(msg.line),
  exportImage: (msg) =>
    isInt(msg.requestId, 1) &&
    oneOf(msg.format, ['svg', 'png'] as const) &&
    isStr(msg.fileName, 255) &&
    /^[\w.\- ]+$/.test(msg.fileName) &&
    !/^\.+$/.test(msg.fileName) &&
    isStr(msg.data, MAX_IMAGE_TEXT),
  runModel: (msg) => isStr(msg.key, 4096),
  layoutDone: (msg) => isInt(msg.nodes) && isInt(msg.edges) && isNum(msg.ms) && msg.ms >= 0 && oneOf(msg.mode, ['full', 'fast'] as const),
  log: isLog,
};

/** Accepts exactly the messages the graph view may send; anything else is malformed. */
export function isFromGraphView(msg: unknown): msg is FromGraphView {
  return checkByType(msg, FROM_GRAPH_VIEW);
}

const PHASES: readonly RunPhase[] = ['loading-runtime', 'preparing-input', 'creating-session', 'running', 'summarising', 'done'];

function isStats(v: unknown): v is TensorStats {
  // NaN stats are legitimate (an all-NaN output); they arrive as null through JSON, so accept null-or-number.
  const n = (x: unknown): boolean => x === null || typeof x === 'number';
  return isRec(v) && isArrayOf(v.dims, (d): d is number => isInt(d), 16) && n(v.mean) && n(v.std) && n(v.min) && n(v.max) && isInt(v.nonFinite);
}
function isOutputResult(v: unknown): v is OutputResult {
  return isRec(v) && isStr(v.name, 4096) && isStats(v.stats) && isArrayOf(v.preview, (x): x is number => typeof x === 'number' || x === null, 4096);
}
function isLayerResult(v: unknown): v is LayerResult {
  return (
    isRec(v) &&
    isStr(v.output, 4096) &&
    isStr(v.node, 4096) &&
    isStr(v.label, 4096) &&
    oneOf(v.role, ['layer', 'fusion-input', 'fusion-output'] as const) &&
    isStats(v.stats)
  );
}
function isModelResult(v: unknown): v is ModelResult {
  return (
    isRec(v) &&
    isStr(v.name, 4096) &&
    typeof v.ok === 'boolean' &&
    (v.error === undefined || isStr(v.error)) &&
    isArrayOf(v.outputs, isOutputResult, 1024) &&
    isArrayOf(v.layers, isLayerResult, 100_000) &&
    isNum(v.createMs) &&
    isNum(v.runMs) &&
    isNum(v.params) &&
    isNum(v.flops) &&
    (v.backend === undefined || isBackendInfo(v.backend))
  );
}
function isBackendInfo(v: unknown): v is BackendInfo {
  return (
    isRec(v) &&
    oneOf(v.kind, ['webgpu', 'wasm', 'native'] as const) &&
    isStr(v.adapter, 1024) &&
    isInt(v.threads, 1) &&
    (v.fallback === undefined || isStr(v.fallback, 4096)) &&
    (v.note === undefined || isStr(v.note, 4096))
  );
}
function isExecutionChoice(v: unknown): v is ExecutionChoice {
  return isRec(v) && oneOf(v.provider, ['auto', 'webgpu', 'wasm'] as const) && isInt(v.maxThreads, 1) && v.maxThreads <= 1024;
}
function isComparison(v: unknown): v is Comparison {
  const n = (x: unknown): boolean => x === null || typeof x === 'number';
  return isRec(v) && isStr(v.a, 4096) && isStr(v.b, 4096) && isInt(v.output) && n(v.maxAbsDiff) && n(v.cosine);
}

const FROM_RUN_PANEL: MessageChecks<FromRunPanel> = {
  ready: () => true,
  runProgress: (msg) => isInt(msg.runId) && (msg.model === null || isStr(msg.model, 4096)) && oneOf(msg.phase, PHASES) && isFraction(msg.fraction),
  runResult: (msg) =>
    isInt(msg.runId) &&
    isArrayOf(msg.models, isModelResult, 64) &&
    isArrayOf(msg.comparisons, isComparison, 4096) &&
    (msg.error === undefined || isStr(msg.error)) &&
    (msg.cancelled === undefined || typeof msg.cancelled === 'boolean'),
  rerun: (msg) => {
    const img = msg.image;
    const imageOk = img === null || (isRec(img) && isBytes(img.data) && isStr(img.mime, 100) && /^image\/[\w.+-]+$/.test(img.mime));
    return (msg.seed === null || isInt(msg.seed)) && imageOk;
  },
  showOnGraph: (msg) => isStr(msg.model, 4096),
  log: isLog,
};

/** Accepts exactly the messages the run panel may send; anything else is malformed. */
export function isFromRunPanel(msg: unknown): msg is FromRunPanel {
  return checkByType(msg, FROM_RUN_PANEL);
}

function isPayloadShape(v: unknown): v is PayloadShape {
  return isRec(v) && isStr(v.symbolic) && isStr(v.concrete);
}

/** Structural check of a graph payload (the webview's guard against a host bug, cheap enough for 30k nodes). */
export function isGraphPayload(v: unknown): v is GraphPayload {
  if (!isRec(v)) return false;
  if (!isStr(v.key) || !isStr(v.title) || !isStr(v.file) || !isNum(v.paramsTotal) || !isNum(v.flopsTotal) || typeof v.stale !== 'boolean') return false;
  if (!Array.isArray(v.nodes) || !Array.isArray(v.edges) || !Array.isArray(v.scopes) || !Array.isArray(v.fusions)) return false;
  const ids = new Set<string>();
  for (const n of v.nodes as unknown[]) {
    if (!isRec(n) || !isStr(n.id) || !isStr(n.op) || !isStr(n.label) || !isStr(n.scope) || !oneOf(n.kind, ['op', 'input', 'output'] as const)) return false;
    if (
      !(n.line === null || isInt(n.line)) ||
      !(n.fusion === null || isInt(n.fusion)) ||
      !Array.isArray(n.outputs) ||
      !(n.outputs as unknown[]).every(isPayloadShape)
    )
      return false;
    ids.add(n.id);
  }
  for (const e of v.edges as unknown[]) {
    if (!isRec(e) || !isStr(e.source) || !isStr(e.target) || !ids.has(e.source) || !ids.has(e.target)) return false;
    if (!(e.shape === null || isPayloadShape(e.shape))) return false;
  }
  for (const s of v.scopes as unknown[]) if (!isRec(s) || !isStr(s.path) || !isStr(s.parent) || !isInt(s.nodeCount)) return false;
  for (const f of v.fusions as unknown[]) if (!isRec(f) || !isStr(f.node) || !ids.has(f.node) || !Array.isArray(f.inputs)) return false;
  return true;
}

function isOverlayParam(v: unknown): v is OverlayParam {
  if (!isRec(v) || !isStr(v.name, 4096)) return false;
  const st = v.stats;
  const n = (x: unknown): boolean => x === null || typeof x === 'number';
  return (
    (v.relative === undefined || n(v.relative)) &&
    (v.shape === undefined || isArrayOf(v.shape, (d): d is number => isInt(d), 64)) &&
    (v.dtype === undefined || isStr(v.dtype, 64)) &&
    (st === undefined || (isRec(st) && n(st.mean) && n(st.std) && n(st.min) && n(st.max)))
  );
}

export function isWeightOverlay(v: unknown): v is WeightOverlay {
  return (
    isRec(v) &&
    oneOf(v.kind, ['change', 'weights'] as const) &&
    isStr(v.title, 4096) &&
    isNum(v.max) &&
    isArrayOf(v.unplaced, (x): x is string => isStr(x, 4096), 1_000_000) &&
    isArrayOf(
      v.nodes,
      (x): x is WeightOverlay['nodes'][number] =>
        isRec(x) && isStr(x.node, 4096) && (x.value === null || isNum(x.value)) && isArrayOf(x.params, isOverlayParam, 100_000),
      1_000_000,
    )
  );
}

const TO_GRAPH_VIEW: MessageChecks<ToGraphView> = {
  graph: (msg) =>
    (msg.payload === null || isGraphPayload(msg.payload)) &&
    (msg.reason === undefined || isStr(msg.reason)) &&
    (msg.canRun === undefined || typeof msg.canRun === 'boolean') &&
    (msg.overlay === undefined || isWeightOverlay(msg.overlay)),
  highlight: (msg) =>
    (msg.nodeIds === undefined || isArrayOf(msg.nodeIds, (x): x is string => isStr(x, 4096))) &&
    (msg.file === undefined || isStr(msg.file, 4096)) &&
    (msg.line === undefined || isInt(msg.line)),
  response: isResponse,
};

/** The graph view's check of what the host sends. */
export function isToGraphView(msg: unknown): msg is ToGraphView {
  return checkByType(msg, TO_GRAPH_VIEW);
}

function isRunInput(v: unknown): v is RunInput {
  if (!isRec(v) || !isStr(v.name, 4096) || !isArrayOf(v.dims, (d): d is number => isInt(d, 1), 8) || v.dtype !== 'float32' || !isRec(v.source)) return false;
  const s = v.source;
  if (s.kind === 'seeded') return isInt(s.seed);
  if (s.kind === 'data') return isBytes(s.data);
  if (s.kind === 'image')
    return isBytes(s.data) && isStr(s.mime, 100) && isArrayOf(s.mean, isNum, 4) && isArrayOf(s.std, (x): x is number => isNum(x) && x > 0, 4);
  return false;
}
function isRunTap(v: unknown): v is RunTap {
  return (
    isRec(v) &&
    isStr(v.output, 4096) &&
    isStr(v.node, 4096) &&
    isStr(v.label, 4096) &&
    oneOf(v.role, ['layer', 'fusion-input', 'fusion-output'] as const) &&
    (v.fusion === undefined || isInt(v.fusion)) &&
    (v.level === undefined || isStr(v.level, 256)) &&
    (v.summary === undefined || isTapSummary(v.summary))
  );
}
function isTapSummary(v: unknown): v is TapSummary {
  return isRec(v) && isArrayOf(v.dims, (d): d is number => isInt(d), 16) && (v.map === undefined || isStr(v.map, 4096));
}
function isRunModel(v: unknown): v is RunModel {
  return (
    isRec(v) &&
    isStr(v.name, 4096) &&
    isBytes(v.onnx) &&
    (v.externalData === undefined ||
      isArrayOf(v.externalData, (x): x is { path: string; data: Bytes } => isRec(x) && isStr(x.path, 4096) && isBytes(x.data), 1024)) &&
    isArrayOf(v.outputs, (x): x is string => isStr(x, 4096), 1024) &&
    isArrayOf(v.taps, isRunTap, 100_000) &&
    isNum(v.params) &&
    isNum(v.flops) &&
    (v.weights === undefined || isStr(v.weights, 4096)) &&
    (v.weightChange === undefined || isWeightChange(v.weightChange))
  );
}
function isWeightChange(v: unknown): v is WeightChangeInfo {
  return (
    isRec(v) &&
    isStr(v.against, 4096) &&
    isArrayOf(v.parameters, (p): p is { name: string; relative: number } => isRec(p) && isStr(p.name, 4096) && isNum(p.relative), 100_000)
  );
}

const TO_RUN_PANEL: MessageChecks<ToRunPanel> = {
  run: (msg) =>
    isInt(msg.runId) &&
    isArrayOf(msg.models, isRunModel, 64) &&
    msg.models.length > 0 &&
    isArrayOf(msg.inputs, isRunInput, 64) &&
    (msg.previewCount === undefined || (isInt(msg.previewCount) && msg.previewCount <= 4096)) &&
    (msg.localRerun === undefined || typeof msg.localRerun === 'boolean') &&
    (msg.execution === undefined || isExecutionChoice(msg.execution)),
  cancel: (msg) => isInt(msg.runId),
  response: isResponse,
};

/** The run panel's check of what the host sends. */
export function isToRunPanel(msg: unknown): msg is ToRunPanel {
  return checkByType(msg, TO_RUN_PANEL);
}
