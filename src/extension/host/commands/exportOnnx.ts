// Export Model to ONNX…: writes the chosen model with seeded default weights or a weights file of the workspace to a file the user picks.
import * as vscode from 'vscode';
import type { AnalysisStore } from '../analysisStore';
import type { Engine } from '../../service/engine';
import { formatBytes } from '../../service/format';
import { pickOneModel, targetDocument } from '../modelPick';
import { readSettings } from '../settings';
import { chooseEntry, chooseWeights } from './weightsPick';

export async function exportOnnx(
  store: AnalysisStore,
  engine: () => Promise<Engine>,
  log: vscode.LogOutputChannel,
  uriArg?: unknown,
  classArg?: unknown,
): Promise<vscode.Uri | undefined> {
  const t = await targetDocument(store, uriArg);
  if (!t) return undefined;
  const model = await pickOneModel(t, classArg, vscode.l10n.t('Model to export'));
  if (!model) return undefined;
  if (!model.graph) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be exported: {1}', model.className, model.error ?? 'not analysed'));
    return undefined;
  }
  const seed = readSettings(t.doc.uri).seed;
  // Offered only when the workspace holds weight files (.safetensors, .pt, .pth, .bin); else seeded.
  const picked = await chooseWeights(seed, readSettings(t.doc.uri).memoryLimitMB * 1024 * 1024);
  const weights = picked && (await chooseEntry(await engine(), picked));
  if (!weights) return undefined;
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(t.doc.uri, '..', `${model.className}.onnx`),
    filters: { ONNX: ['onnx'] },
    title: vscode.l10n.t('Export {0} to ONNX', model.className),
  });
  if (!target) return undefined;
  try {
    const bytes = (await engine()).exportOnnx(model.graph, weights);
    await vscode.workspace.fs.writeFile(target, bytes);
    log.info(`exported ${model.className} (${weights.kind === 'seeded' ? `seed ${seed}` : weights.source}) to ${target.fsPath}: ${formatBytes(bytes.length)}`);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Exported {0} to {1} ({2}).', model.className, vscode.workspace.asRelativePath(target), formatBytes(bytes.length)),
    );
    return target;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log.error(`export of ${model.className} failed: ${msg}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be exported: {1}', model.className, msg));
    return undefined;
  }
}
