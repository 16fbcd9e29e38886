// Picking the weights of a run: seeded init, or a weights file of the workspace (.safetensors or a torch.save checkpoint).
import * as vscode from 'vscode';
import { checkWeightsFileSize } from '../../../core/run/memoryGuard';
import type { Engine, WeightsChoice } from '../../service/engine';
import { entryChoices } from '../../service/entryChoices';

/** Weight files offered; checkpoints are read by content without unpickling. */
export const WEIGHTS_GLOB = '**/*.{safetensors,pt,pth,bin,ckpt}';

type Item = vscode.QuickPickItem & { uri?: vscode.Uri };

async function weightFiles(): Promise<vscode.Uri[]> {
  return vscode.workspace.findFiles(WEIGHTS_GLOB, '**/node_modules/**', 200);
}

/** Reads a picked file after checking its size against the run memory limit; undefined (with a message) when refused. */
export async function readWeightsChoice(uri: vscode.Uri, limitBytes: number, entry?: string): Promise<WeightsChoice | undefined> {
  const source = vscode.workspace.asRelativePath(uri);
  try {
    // Read whole, so its size is checked first.
    checkWeightsFileSize((await vscode.workspace.fs.stat(uri)).size, limitBytes, source);
  } catch (e) {
    void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
    return undefined;
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  return { kind: 'file', bytes, source, ...(entry !== undefined ? { entry } : {}) };
}

/** Seeded default init, or a weights file of the workspace when there is one to offer. */
export async function chooseWeights(seed: number, limitBytes: number): Promise<WeightsChoice | undefined> {
  const files = await weightFiles();
  if (files.length === 0) return { kind: 'seeded', seed };
  const items: Item[] = [
    { label: vscode.l10n.t('Seeded default initialisation'), description: vscode.l10n.t('seed {0}', seed) },
    ...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), description: `.${uri.path.split('.').pop()}`, uri })),
  ];
  const pick = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Weights') });
  if (!pick) return undefined;
  if (!pick.uri) return { kind: 'seeded', seed };
  return readWeightsChoice(pick.uri, limitBytes);
}

/**
 * Two weight files of the workspace (e.g. epoch 10 and epoch 50) for a side-by-side run of one model; for a file holding
 * several state dicts (model, ema) the user picks which one, as for a single run.
 */
export async function chooseTwoCheckpoints(limitBytes: number, engine: Engine): Promise<[WeightsChoice, WeightsChoice] | undefined> {
  const files = await weightFiles();
  if (files.length < 2) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Comparing checkpoints needs two weight files (.pt, .pth, .bin, .safetensors) in the workspace.'));
    return undefined;
  }
  const items: Item[] = files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }));
  const a = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('First checkpoint (the reference)') });
  if (!a?.uri) return undefined;
  const readA = await readWeightsChoice(a.uri, limitBytes);
  const wa = readA && (await chooseEntry(engine, readA));
  if (!wa) return undefined;
  const b = await vscode.window.showQuickPick(
    items.filter((i) => i !== a),
    { placeHolder: vscode.l10n.t('Second checkpoint') },
  );
  if (!b?.uri) return undefined;
  const readB = await readWeightsChoice(b.uri, limitBytes);
  const wb = readB && (await chooseEntry(engine, readB));
  return wb ? [wa, wb] : undefined;
}

/**
 * A checkpoint holding several state dicts (`model` and `ema`, say): the one read by default comes first, and the user
 * may pick another. Files with one state dict (and .safetensors) pass through unchanged.
 */
export async function chooseEntry(engine: Engine, choice: WeightsChoice): Promise<WeightsChoice | undefined> {
  if (choice.kind === 'seeded') return choice;
  let summary;
  try {
    summary = engine.summariseWeights(choice.bytes, choice.source);
  } catch {
    return choice; // the run reports the file's problem
  }
  const choices = entryChoices(summary, { tensors: vscode.l10n.t('tensors'), module: vscode.l10n.t('pickled module'), default: vscode.l10n.t('default') });
  if (choices.length === 0) return choice;
  const pick = await vscode.window.showQuickPick(choices, {
    placeHolder: vscode.l10n.t('{0} holds {1} state dicts: which one to use', choice.source, choices.length),
  });
  return pick ? { kind: 'file', bytes: choice.bytes, source: choice.source, entry: pick.path } : undefined;
}
