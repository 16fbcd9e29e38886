// The fuzz corpus: the project's model files (whole and cut into one-class snippets) and its .onnx/.safetensors fixtures.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../support/pythonWasm';

export interface SourceSeed {
  readonly name: string;
  readonly text: string;
}

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, ext));
    else if (name.endsWith(ext)) out.push(p);
  }
  return out;
}

/** One snippet per top-level class: the file's header (imports, constants) followed by that class alone. */
export function classSnippets(text: string): string[] {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('class '));
  if (first < 0) return [];
  const header = lines.slice(0, first).join('\n');
  const out: string[] = [];
  for (let i = first; i < lines.length; i++) {
    if (!lines[i]!.startsWith('class ')) continue;
    let j = i + 1;
    while (j < lines.length && !/^\S/.test(lines[j]!)) j++;
    out.push(`${header}\n${lines.slice(i, j).join('\n')}\n`);
  }
  return out;
}

/** examples/*.py and test/fixtures/models/**\/*.py; `small` keeps only the one-class snippets (fast cases). */
export function sourceSeeds(small: boolean): SourceSeed[] {
  const files = [...filesUnder(join(repoRoot, 'examples'), '.py'), ...filesUnder(join(repoRoot, 'test/fixtures/models'), '.py')];
  const out: SourceSeed[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const name = relative(repoRoot, f);
    if (!small) out.push({ name, text });
    classSnippets(text).forEach((s, i) => out.push({ name: `${name}#${i}`, text: s }));
  }
  return out;
}

export interface BinarySeed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The smallest `count` fixtures of a kind (small seeds keep a case in the millisecond range). */
export function binarySeeds(ext: '.onnx' | '.safetensors' | '.pt', count: number): BinarySeed[] {
  const dir = join(repoRoot, ext === '.onnx' ? 'test/fixtures/onnx' : ext === '.pt' ? 'test/fixtures/checkpoints' : 'test/fixtures/io');
  const files = ext === '.pt' ? filesUnder(dir, '').filter((p) => /\.(pt|pth|bin)$/.test(p) && !p.includes('/oracle/')) : filesUnder(dir, ext);
  return files
    .map((p) => ({ p, size: statSync(p).size }))
    .sort((a, b) => a.size - b.size || a.p.localeCompare(b.p))
    .slice(0, count)
    .map(({ p }) => ({ name: relative(repoRoot, p), bytes: new Uint8Array(readFileSync(p)) }));
}
