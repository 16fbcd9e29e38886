// The state dicts a checkpoint holds, as the choices of a picker: the one read by default first, each with its tensor count.
import type { WeightsSummary } from '../../core/weights/checkpoint/checkpointSummary';

export interface EntryChoice {
  /** Dotted path of the state dict in the file (`''`: the file itself). */
  readonly path: string;
  readonly label: string;
  readonly description: string;
  readonly isDefault: boolean;
}

/** One choice per candidate state dict (best guess first, as the reader orders them); empty when there is nothing to choose. */
export function entryChoices(
  summary: Pick<WeightsSummary, 'candidates' | 'entry'>,
  words: { tensors: string; module: string; default: string },
): EntryChoice[] {
  if (summary.candidates.length < 2) return [];
  return summary.candidates.map((c) => {
    const isDefault = c.path === summary.entry;
    const parts = [`${c.tensors} ${words.tensors}`];
    if (c.kind === 'module') parts.push(words.module);
    if (isDefault) parts.push(words.default);
    return { path: c.path, label: c.path || '(file)', description: parts.join(' · '), isDefault };
  });
}
