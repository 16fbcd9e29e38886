// `fusion-lens shapes model.pth|model.safetensors`: the tensors a weights file holds (read without unpickling), as a table or JSON.
import { readFileSync } from 'node:fs';
import { summariseWeights } from '../core/weights/checkpoint/checkpointSummary';
import { readWeightsFile } from '../core/weights/readWeightsFile';
import { formatBytes } from '../core/run/memoryGuard';
import { writeOut } from './output';

/** True for the file names `shapes` treats as weights rather than Python source. */
export function isWeightsFileName(file: string): boolean {
  return /\.(pt|pth|bin|ckpt|safetensors)$/i.test(file);
}

export function weightsShapes(file: string, display: string, json: boolean, entry?: string): number {
  let s;
  try {
    s = summariseWeights(readWeightsFile(readFileSync(file), display, entry !== undefined ? { entry } : {}));
  } catch (e) {
    process.stderr.write(`fusion-lens shapes: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (json) {
    const out = {
      file: display,
      format: s.format,
      entry: s.entry,
      candidates: s.candidates,
      stripped_prefixes: s.strippedPrefixes,
      tensors: s.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, numel: t.numel, bytes: t.bytes })),
      totals: s.totals,
      others: s.others,
      warnings: s.warnings,
    };
    writeOut(`${JSON.stringify(out)}\n`);
    return 0;
  }
  const lines: string[] = [`${display}: ${s.format}${s.entry ? `, state dict '${s.entry}'` : ''}`];
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  const nameW = Math.min(60, Math.max(6, ...s.tensors.map((t) => t.name.length)));
  lines.push(`${'tensor'.padEnd(nameW)}  ${'dtype'.padEnd(8)}  ${'shape'.padEnd(20)}  ${'elements'.padStart(12)}`);
  for (const t of s.tensors) {
    lines.push(`${t.name.padEnd(nameW)}  ${t.dtype.padEnd(8)}  ${`[${t.shape.join(', ')}]`.padEnd(20)}  ${t.numel.toLocaleString('en-US').padStart(12)}`);
  }
  const dt = Object.entries(s.totals.byDtype)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  lines.push(`total: ${s.totals.count} tensors (${dt}), ${s.totals.numel.toLocaleString('en-US')} elements, ${formatBytes(s.totals.bytes)}`);
  for (const o of s.others) lines.push(`${o.key}: ${o.text}`);
  writeOut(`${lines.join('\n')}\n`);
  return 0;
}
