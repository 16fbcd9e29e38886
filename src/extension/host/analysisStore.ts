// Per-document analysis cache: keyed by document version, debounced while typing, never blocking readers.
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../service/analysisTypes';
import { mergeStale } from '../service/staleMerge';

/** Runs the engine on one document text; resolves with a fresh analysis (no stale merging), or null when a newer version superseded it. */
export type Analyzer = (doc: vscode.TextDocument) => Promise<DocumentAnalysis | null>;

const TYPING_DELAY_MS = 350;

interface Slot {
  /** Last completed analysis, possibly of an older version. */
  current?: DocumentAnalysis;
  timer?: ReturnType<typeof setTimeout>;
  running?: Promise<DocumentAnalysis>;
  runningVersion?: number;
}

export class AnalysisStore implements vscode.Disposable {
  private readonly slots = new Map<string, Slot>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a new analysis of a document is stored. */
  readonly onDidUpdate = this.emitter.event;

  constructor(
    private readonly analyze: Analyzer,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The last analysis, whatever its version: hovers and hints answer from this and never wait. */
  peek(doc: vscode.TextDocument): DocumentAnalysis | undefined {
    return this.slots.get(doc.uri.toString())?.current;
  }

  /** Whether an analysis of the document is scheduled or running. */
  pending(doc: vscode.TextDocument): boolean {
    const slot = this.slots.get(doc.uri.toString());
    return !!slot && (slot.timer !== undefined || slot.running !== undefined);
  }

  /** Schedules a re-analysis; `immediate` for open/save, debounced for typing. */
  schedule(doc: vscode.TextDocument, immediate = false): void {
    const slot = this.slot(doc);
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(
      () => {
        slot.timer = undefined;
        this.run(doc, slot).catch((e: unknown) =>
          this.log.warn(`analysis of ${vscode.workspace.asRelativePath(doc.uri)} failed: ${e instanceof Error ? e.message : String(e)}`),
        );
      },
      immediate ? 0 : TYPING_DELAY_MS,
    );
  }

  /** For commands: the analysis of the document's current version, computing it if needed. */
  async ensure(doc: vscode.TextDocument): Promise<DocumentAnalysis> {
    const slot = this.slot(doc);
    if (slot.current && slot.current.version === doc.version) return slot.current;
    if (slot.running && slot.runningVersion === doc.version) return slot.running;
    if (slot.timer) {
      clearTimeout(slot.timer);
      slot.timer = undefined;
    }
    return this.run(doc, slot);
  }

  /** Drops every cached analysis (settings or remembered input specs changed) and re-runs open ones. */
  invalidateAll(): void {
    for (const doc of vscode.workspace.textDocuments) {
      const slot = this.slots.get(doc.uri.toString());
      if (slot?.current) slot.current = { ...slot.current, version: -1 };
      if (slot) this.schedule(doc, true);
    }
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const slot = this.slots.get(key);
    if (slot?.timer) clearTimeout(slot.timer);
    this.slots.delete(key);
  }

  dispose(): void {
    for (const s of this.slots.values()) if (s.timer) clearTimeout(s.timer);
    this.slots.clear();
    this.emitter.dispose();
  }

  private slot(doc: vscode.TextDocument): Slot {
    const key = doc.uri.toString();
    let s = this.slots.get(key);
    if (!s) {
      s = {};
      this.slots.set(key, s);
    }
    return s;
  }

  private run(doc: vscode.TextDocument, slot: Slot): Promise<DocumentAnalysis> {
    // A newer version is requested at once (no waiting for the running one): the analyzer drops the older request.
    const version = doc.version;
    const job: Promise<DocumentAnalysis> = this.analyze(doc).then((fresh) => {
      if (!fresh) {
        // Superseded: whoever waits for this version gets the newer one's result.
        if (slot.running && slot.running !== job) return slot.running;
        throw new Error(`the analysis of version ${version} was superseded`);
      }
      // Never replace a newer stored analysis with an older one.
      if (slot.current && slot.current.version > fresh.version) return slot.current;
      const merged = mergeStale(fresh, slot.current);
      if (this.slots.get(doc.uri.toString()) === slot) {
        slot.current = merged;
        this.emitter.fire(doc.uri);
      }
      this.log.debug(
        `analysed ${vscode.workspace.asRelativePath(doc.uri)} v${version} in ${merged.ms.toFixed(1)} ms: ${merged.models.map((m) => m.className + (m.stale ? ' (stale)' : '')).join(', ') || 'no models'}`,
      );
      return merged;
    });
    slot.running = job;
    slot.runningVersion = version;
    const settle = (): void => {
      if (slot.running !== job) return;
      slot.running = undefined;
      slot.runningVersion = undefined;
    };
    job.then(settle, settle);
    return job;
  }
}
