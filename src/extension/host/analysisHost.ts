// Runs the store's document analyses in the analysis worker thread, so hovers and keystrokes never wait behind one.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AnalysisWorkerClient } from '../service/analysisWorkerClient';
import type { DocumentAnalysis } from '../service/analysisTypes';
import type { Engine } from '../service/engine';
import type { AnalyzeRequest } from '../service/engineAnalyze';

export class AnalysisHost implements vscode.Disposable {
  private client: AnalysisWorkerClient | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly engine: () => Promise<Engine>,
  ) {}

  /** Null when a newer version of the document superseded this request; throws when the analysis failed. */
  async analyze(uri: string, version: number, request: AnalyzeRequest): Promise<DocumentAnalysis | null> {
    const out = await this.started().analyze(uri, version, request);
    if (out.kind === 'superseded') return null;
    if (out.kind === 'failed') throw new Error(out.message);
    return { uri, version, ...out.analysis, ms: out.ms };
  }

  forget(uri: string): void {
    this.client?.forget(uri);
  }

  dispose(): void {
    void this.client?.dispose();
    this.client = undefined;
  }

  /** The worker starts with the first analysis, not at activation. */
  private started(): AnalysisWorkerClient {
    if (this.client) return this.client;
    const dist = path.join(this.extensionUri.fsPath, 'dist');
    this.client = new AnalysisWorkerClient({
      workerFile: path.join(dist, 'analysisWorker.js'),
      wasmDir: path.join(dist, 'wasm'),
      fallback: async (uri, req) => (await this.engine()).analyzeDocument(uri, req),
      forgetFallback: (uri) => void this.engine().then((e) => e.forgetDocument(uri)),
      log: (level, message) => this.log[level](message),
    });
    return this.client;
  }
}
