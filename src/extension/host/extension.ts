// Fusion Lens extension entry: registers providers, views and commands; the engine loads on first use.
import * as vscode from 'vscode';
import { AnalysisHost } from './analysisHost';
import { AnalysisStore } from './analysisStore';
import type { DocumentAnalysis } from '../service/analysisTypes';
import { ModelCodeLensProvider } from './codeLensProvider';
import { compareOnnx } from './commands/compareOnnx';
import { exportOnnx } from './commands/exportOnnx';
import { compareCheckpoints, runFusionModel, runOnImage } from './commands/runFusionModel';
import { CheckpointChecker } from './commands/checkCheckpoint';
import { CheckpointEditorProvider } from './checkpointEditorProvider';
import { setInputShape } from './commands/setInputShape';
import { showGraph } from './commands/showGraph';
import { registerDiagnostics } from './diagnostics';
import type { AnalyzeRequest, Engine } from '../service/engine';
import { loadEngine } from './engineLoader';
import { GraphViewProvider } from './graphViewProvider';
import { ShapeHoverProvider } from './hoverProvider';
import { ShapeInlayHintsProvider } from './inlayHintsProvider';
import { InputSpecMemory } from './inputSpecs';
import { OnnxEditorProvider } from './onnxEditorProvider';
import { QuickFixProvider } from './quickFixProvider';
import { PythonEnvironment } from './pythonEnvironment';
import { readSettings } from './settings';
import { registerStatusBar } from './statusBar';

/** What activate returns: used by the @vscode/test-electron suite to wait for analyses. */
export interface FusionLensApi {
  analysisOf(doc: vscode.TextDocument): Promise<DocumentAnalysis>;
}

export function activate(context: vscode.ExtensionContext): FusionLensApi {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const log = vscode.window.createOutputChannel('Fusion Lens', { log: true });
  const engine = (): Promise<Engine> => loadEngine(context.extensionUri, log);
  const memory = new InputSpecMemory(context.workspaceState);
  const analyses = new AnalysisHost(context.extensionUri, log, engine);
  const pythonEnv = new PythonEnvironment(log);

  /** What the engine analyses a document with (text, settings, roots); read before any await so text and version agree. */
  const requestFor = async (doc: vscode.TextDocument): Promise<AnalyzeRequest> => {
    const text = doc.getText();
    const settings = readSettings(doc.uri);
    const openTexts = Object.fromEntries(
      vscode.workspace.textDocuments.filter((d) => d.languageId === 'python' && d.uri.scheme === 'file' && d !== doc).map((d) => [d.uri.fsPath, d.getText()]),
    );
    const { roots } = await pythonEnv.roots();
    return {
      text,
      file: doc.uri.fsPath,
      specOverrides: memory.forFile(doc.uri),
      defaultInput: settings.defaultInputSet ? settings.defaultInput : null,
      dimensions: settings.dimensions,
      searchRoots: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      importRoots: roots,
      openTexts,
    };
  };
  const store = new AnalysisStore(async (doc) => {
    const version = doc.version;
    const req = requestFor(doc);
    // In the analysis worker: the extension host's thread stays free for hovers and keystrokes.
    return analyses.analyze(doc.uri.toString(), version, await req);
  }, log);

  const isPython = (d: vscode.TextDocument): boolean => d.languageId === 'python' && d.uri.scheme !== 'git' && d.uri.scheme !== 'output';
  const graphView = GraphViewProvider.register(context, store, log);
  const onnxEditor = OnnxEditorProvider.register(context, engine, log);
  const runDeps = { extensionUri: context.extensionUri, store, engine, log, graphView };
  const checkpoints = new CheckpointChecker(store, engine, requestFor, log);
  context.subscriptions.push(CheckpointEditorProvider.register(context, engine, store, log));

  context.subscriptions.push(
    log,
    store,
    analyses,
    pythonEnv,
    pythonEnv.onDidChange(() => store.invalidateAll()),
    ShapeHoverProvider.register(store),
    ShapeInlayHintsProvider.register(store),
    ModelCodeLensProvider.register(store),
    QuickFixProvider.register(store),
    registerDiagnostics(store),
    registerStatusBar(store),
    vscode.workspace.onDidOpenTextDocument((d) => isPython(d) && store.schedule(d, true)),
    vscode.workspace.onDidChangeTextDocument((e) => isPython(e.document) && e.contentChanges.length > 0 && store.schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      store.forget(d);
      analyses.forget(d.uri.toString());
    }),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('fusionLens') && store.invalidateAll()),
    vscode.commands.registerCommand('fusionLens.runFusionModel', (uri?: unknown, cls?: unknown) => {
      // From the palette with an .onnx editor in front, run that file.
      if (uri === undefined && onnxEditor.activeDocument && vscode.window.activeTextEditor === undefined) return onnxEditor.runActive();
      return runFusionModel(runDeps, uri, cls);
    }),
    vscode.commands.registerCommand('fusionLens.runOnImage', (uri?: unknown, cls?: unknown) => runOnImage(runDeps, uri, cls)),
    checkpoints,
    vscode.commands.registerCommand('fusionLens.checkCheckpoint', (uri?: unknown, cls?: unknown, file?: unknown) => checkpoints.run(uri, cls, file)),
    vscode.commands.registerCommand('fusionLens.compareCheckpoints', (uri?: unknown, cls?: unknown) => compareCheckpoints(runDeps, uri, cls)),
    vscode.commands.registerCommand('fusionLens.setInputShape', (uri?: unknown, cls?: unknown) => setInputShape(store, memory, uri, cls)),
    vscode.commands.registerCommand('fusionLens.exportOnnx', (uri?: unknown, cls?: unknown) => exportOnnx(store, engine, log, uri, cls)),
    vscode.commands.registerCommand('fusionLens.showGraph', (uri?: unknown, cls?: unknown) => showGraph(store, graphView, uri, cls)),
    vscode.commands.registerCommand('fusionLens.compareOnnx', () => compareOnnx(onnxEditor, store, engine, log)),
    vscode.commands.registerCommand('fusionLens.showLog', () => log.show()),
  );

  // Documents already open when we activate are analysed after activation returns.
  setTimeout(() => {
    for (const d of vscode.workspace.textDocuments) if (isPython(d)) store.schedule(d, true);
  }, 0);

  const activationMs = performance.now() - t0;
  // Wall time varies with what else the machine does at startup; CPU time is what activation itself costs.
  const cpu = process.cpuUsage(cpu0);
  log.info(`activated in ${activationMs.toFixed(1)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms)`);
  return { analysisOf: (doc) => store.ensure(doc) };
}

export function deactivate(): void {}
