// One entry point for weight files: .safetensors, or torch.save checkpoints (.pt/.pth/.bin, zip or legacy) read without unpickling.
import { readCheckpoint, type Checkpoint } from './checkpoint/readCheckpoint';
import { looksLikeTorchFile } from './checkpoint/readTorchFile';
import { readSafetensors, type SafetensorsFile } from './readSafetensors';

export type WeightsFile = (SafetensorsFile & { readonly format: 'safetensors' }) | Checkpoint;

export interface ReadWeightsOptions {
  /** For checkpoints: the path of the state dict to read when the file holds several (`model`, `ema`). */
  readonly entry?: string;
}

/** File name extensions offered as weights (both formats are recognised by content, not by name). */
export const WEIGHTS_EXTENSIONS: readonly string[] = ['safetensors', 'pt', 'pth', 'bin', 'ckpt'];

/** Reads `bytes` by content: a safetensors header, a zip archive or a legacy torch pickle. */
export function readWeightsFile(bytes: Uint8Array, source = 'weights file', options: ReadWeightsOptions = {}): WeightsFile {
  if (looksLikeTorchFile(bytes)) return readCheckpoint(bytes, source, { entry: options.entry });
  return { ...readSafetensors(bytes, source), format: 'safetensors' };
}

/** One line saying what was read: format, entry, prefixes, count. */
export function describeWeights(w: WeightsFile, source: string): string {
  if (w.format === 'safetensors') return `${source} (safetensors, ${w.tensors.size} tensors)`;
  const parts = [`${w.format === 'torch-zip' ? 'torch zip' : 'legacy torch'} checkpoint`];
  if (w.entry.path) parts.push(`state dict '${w.entry.path}'`);
  if (w.entry.kind === 'module') parts.push('from a pickled module');
  if (w.strippedPrefixes.length) parts.push(`prefix ${w.strippedPrefixes.join('')} stripped`);
  parts.push(`${w.tensors.size} tensors`);
  return `${source} (${parts.join(', ')})`;
}
