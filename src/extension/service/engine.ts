// The extension's analysis engine (bundled separately as dist/engine.js): parse, interpret, fuse, encode, decode.
// It imports no `vscode`; the extension loads it on first use through engineLoader.ts.
import type { ModelGraph } from '../../core/graph/modelGraph';
import { initPythonParser } from '../../core/python/pythonParser';
import { decodeOnnx } from '../../core/onnx/decodeOnnx';
import { checkRunMemory, type MemoryEstimate } from '../../core/run/memoryGuard';
import type { PayloadFusion } from '../../protocol';
import { DocumentAnalyzer } from './documentAnalyzer';
import { analyzeText, type AnalyzeRequest, type EngineAnalysis } from './engineAnalyze';
import { fusionAnalysis } from './engineFusion';
import { exportOnnx, prepareRun, type PreparedRun, type WeightsChoice } from './engineRun';
import { checkCheckpoint, type CheckpointCheck } from './checkpointCheck';
import { rankFits, type ModelFitReport } from './checkpointFit';
import { readWeightsFile, weightChanges, type StateDict } from '../../core/weights';
import { summariseWeights, type WeightsSummary } from '../../core/weights/checkpoint/checkpointSummary';

export type { AnalyzeRequest, CheckpointCheck, EngineAnalysis, ModelFitReport, PreparedRun, WeightsChoice, WeightsSummary };

export interface DecodedModel {
  readonly graph: ModelGraph;
  readonly fusion: readonly PayloadFusion[];
  readonly summary: string;
}

export interface Engine {
  /** Analyses every model class of one Python document. */
  analyze(req: AnalyzeRequest): EngineAnalysis;
  /** The same, incrementally per document (in-thread fallback of the analysis worker); `forget` when it closes. */
  analyzeDocument(uri: string, req: AnalyzeRequest): EngineAnalysis;
  forgetDocument(uri: string): void;
  /** ONNX bytes with weights (seeded or loaded) and taps for per-layer statistics; refuses runs above `limitBytes`. */
  prepareRun(graph: ModelGraph, weights: WeightsChoice, limitBytes: number): PreparedRun;
  /** A clean ONNX file (no taps) with weights, for Export Model to ONNX…. */
  exportOnnx(graph: ModelGraph, weights: WeightsChoice): Uint8Array;
  /** The run memory guard alone (for `.onnx` files, which need no lowering): throws MemoryLimitError above `limitBytes`. */
  checkRunMemory(graph: ModelGraph, limitBytes: number): MemoryEstimate;
  /** Per-parameter relative change ‖b − a‖ / ‖a‖ between two state dicts of one model. */
  weightChanges(a: StateDict, b: StateDict): { name: string; relative: number; diff: number; norm: number }[];
  /** What a weights file holds (tensor tree, totals, other entries), for the checkpoint viewer; throws a clear error for bad files. */
  summariseWeights(bytes: Uint8Array, source: string, entry?: string): WeightsSummary;
  /** A weights file against models of the workspace: fitting ones first (with the tensors' figures), then the closest. */
  fitModels(bytes: Uint8Array, source: string, entry: string | undefined, models: readonly { key: string; graph: ModelGraph }[]): ModelFitReport[];
  /** A checkpoint against a model of the document: issues at declaring lines, constructor-argument fixes, counts. */
  checkCheckpoint(
    req: AnalyzeRequest,
    model: { className: string; graph: ModelGraph; inputSpec: string | null },
    bytes: Uint8Array,
    source: string,
    entry?: string,
  ): CheckpointCheck;
  /** `.onnx` bytes → the same ModelGraph the Python side produces. */
  decodeOnnx(bytes: Uint8Array, file: string): DecodedModel;
}

export async function createEngine(distDir: string): Promise<Engine> {
  await initPythonParser({ wasmDir: `${distDir}/wasm` });
  const documents = new DocumentAnalyzer();
  return {
    analyze: analyzeText,
    analyzeDocument: (uri, req) => documents.analyze(uri, req),
    forgetDocument: (uri) => documents.forget(uri),
    prepareRun,
    exportOnnx,
    checkRunMemory,
    checkCheckpoint,
    fitModels: (bytes, source, entry, models) => rankFits(models, readWeightsFile(bytes, source, entry !== undefined ? { entry } : {})),
    weightChanges: (a, b) => weightChanges(a, b).map((c) => ({ name: c.name, relative: c.relative, diff: c.diff, norm: c.norm })),
    summariseWeights: (bytes, source, entry) => summariseWeights(readWeightsFile(bytes, source, entry !== undefined ? { entry } : {})),
    decodeOnnx(bytes, file) {
      const d = decodeOnnx(bytes, file);
      const summary = `ONNX IR ${d.irVersion}, opset ${d.opset}${d.producer ? `, by ${d.producer}` : ''}: ${d.graph.nodes.length} nodes`;
      return { graph: d.graph, fusion: fusionAnalysis(d.graph).payload, summary };
    },
  };
}
