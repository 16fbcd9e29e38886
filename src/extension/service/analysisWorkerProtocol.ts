// Typed messages between the extension host and its analysis worker thread, with the checks each side applies on arrival.
import { checkByType, type MessageChecks } from '../../protocolPrimitives';
import type { AnalyzeRequest, EngineAnalysis } from './engineAnalyze';

/** Host → worker. */
export type ToAnalysisWorker =
  | { readonly type: 'analyze'; readonly id: number; readonly uri: string; readonly version: number; readonly request: AnalyzeRequest }
  | { readonly type: 'forget'; readonly uri: string };

/** Worker → host. `ms` is the analysis time inside the worker; the analysis comes in slices (analysisSlices.ts). */
export type FromAnalysisWorker =
  | { readonly type: 'result'; readonly id: number; readonly slices: readonly Uint8Array[]; readonly ms: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/** What the worker receives at start (`workerData`). */
export interface AnalysisWorkerData {
  readonly wasmDir: string;
}

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isStringRecord = (v: unknown): boolean => isRecord(v) && Object.values(v).every(isString);
const isNumberRecord = (v: unknown): boolean => isRecord(v) && Object.values(v).every((n) => typeof n === 'number' && Number.isFinite(n));

export function isAnalyzeRequest(v: unknown): v is AnalyzeRequest {
  return (
    isRecord(v) &&
    isString(v.text) &&
    isString(v.file) &&
    isStringRecord(v.specOverrides) &&
    (v.defaultInput === null || isString(v.defaultInput)) &&
    isNumberRecord(v.dimensions) &&
    isStringArray(v.searchRoots) &&
    (v.importRoots === undefined || isStringArray(v.importRoots)) &&
    isStringRecord(v.openTexts)
  );
}

/** One check per message type: a message type added to the union without one does not compile. */
const TO_WORKER: MessageChecks<ToAnalysisWorker> = {
  analyze: (m) => isId(m.id) && isString(m.uri) && Number.isSafeInteger(m.version) && isAnalyzeRequest(m.request),
  forget: (m) => isString(m.uri),
};

export function isToAnalysisWorker(m: unknown): m is ToAnalysisWorker {
  return checkByType(m, TO_WORKER);
}

/** The top level of an analysis rebuilt from slices; graphs come from our own engine. */
export function isEngineAnalysis(v: unknown): v is EngineAnalysis {
  return (
    isRecord(v) &&
    Array.isArray(v.models) &&
    v.models.every((m) => isRecord(m) && isString(m.className) && isRecord(m.nameRange) && isRecord(m.classRange) && (m.graph === null || isRecord(m.graph))) &&
    Array.isArray(v.diagnostics) &&
    v.diagnostics.every((d) => isRecord(d) && isString(d.message) && isString(d.code)) &&
    isStringArray(v.blockClasses)
  );
}

const FROM_WORKER: MessageChecks<FromAnalysisWorker> = {
  result: (m) =>
    isId(m.id) &&
    typeof m.ms === 'number' &&
    Number.isFinite(m.ms) &&
    Array.isArray(m.slices) &&
    m.slices.length > 0 &&
    m.slices.every((b) => b instanceof Uint8Array),
  failed: (m) => isId(m.id) && isString(m.message),
};

export function isFromAnalysisWorker(m: unknown): m is FromAnalysisWorker {
  return checkByType(m, FROM_WORKER);
}

export function isAnalysisWorkerData(v: unknown): v is AnalysisWorkerData {
  return isRecord(v) && isString(v.wasmDir);
}
