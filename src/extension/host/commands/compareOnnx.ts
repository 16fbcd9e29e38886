// Compare ONNX Model With…: runs the .onnx file in front next to another .onnx file or a Python model, on one input.
import * as vscode from 'vscode';
import { checkWeightsFileSize } from '../../../core/run/memoryGuard';
import { concreteShape } from '../../../core/shape/shape';
import type { RunModel, RunResult } from '../../../protocol';
import type { AnalysisStore } from '../analysisStore';
import type { Engine } from '../../service/engine';
import type { OnnxEditorProvider } from '../onnxEditorProvider';
import { readSettings } from '../settings';

type Candidate = vscode.QuickPickItem & { load: () => Promise<RunModel> };

export async function compareOnnx(
  editor: OnnxEditorProvider,
  store: AnalysisStore,
  engine: () => Promise<Engine>,
  log: vscode.LogOutputChannel,
): Promise<RunResult | undefined> {
  const front = editor.activeRunModel();
  if (!front) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open an .onnx file first.'));
    return undefined;
  }
  const dims = JSON.stringify(front.inputs.map((i) => i.dims));
  const frontUri = editor.activeDocument!.uri.toString();
  const candidates: Candidate[] = [];
  // Python models of the open documents whose input shapes match the ONNX model's.
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.languageId === 'python')) {
    const analysis = await store.ensure(doc);
    for (const m of analysis.models) {
      const g = m.graph;
      if (!g || JSON.stringify(g.inputs.map((i) => concreteShape(i.shape))) !== dims) continue;
      candidates.push({
        label: m.className,
        description: vscode.workspace.asRelativePath(doc.uri),
        detail: vscode.l10n.t('Python model, weights from seed {0}', readSettings(doc.uri).seed),
        load: async () => {
          const p = (await engine()).prepareRun(g, { kind: 'seeded', seed: readSettings(doc.uri).seed }, readSettings(doc.uri).memoryLimitMB * 1024 * 1024);
          return {
            name: `${m.className} (${vscode.workspace.asRelativePath(doc.uri)})`,
            onnx: p.onnx,
            outputs: p.outputs,
            taps: [],
            params: g.paramsTotal,
            flops: g.flopsTotal,
          };
        },
      });
    }
  }
  for (const uri of await vscode.workspace.findFiles('**/*.onnx', '**/node_modules/**', 200)) {
    if (uri.toString() === frontUri) continue;
    candidates.push({
      label: vscode.workspace.asRelativePath(uri),
      description: '.onnx',
      load: async () => {
        checkWeightsFileSize((await vscode.workspace.fs.stat(uri)).size, readSettings(uri).memoryLimitMB * 1024 * 1024, vscode.workspace.asRelativePath(uri));
        const bytes = await vscode.workspace.fs.readFile(uri);
        const e = await engine();
        const g = e.decodeOnnx(bytes, vscode.workspace.asRelativePath(uri)).graph;
        e.checkRunMemory(g, readSettings(uri).memoryLimitMB * 1024 * 1024);
        return {
          name: vscode.workspace.asRelativePath(uri),
          onnx: bytes,
          outputs: g.outputs.map((o) => g.values.get(o)?.name ?? o),
          taps: [],
          params: g.paramsTotal,
          flops: g.flopsTotal,
        };
      },
    });
  }
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No other .onnx file or open Python model with the same input shape.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(candidates, { canPickMany: true, placeHolder: vscode.l10n.t('Compare {0} with…', front.model.name) });
  if (!picked || picked.length === 0) return undefined;
  const others: RunModel[] = [];
  for (const c of picked) {
    try {
      others.push(await c.load());
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log.error(`compare: ${c.label}: ${msg}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot run: {1}', c.label, msg));
    }
  }
  return editor.runActive(others);
}
