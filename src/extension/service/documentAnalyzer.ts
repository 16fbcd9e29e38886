// Incremental analysis of the open documents: one AnalysisCache, re-analysing classes when a file they import changed.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AnalysisCache } from '../../core/interp/analysisCache';
import { analyzeTextCached, fileReader, type AnalyzeRequest, type EngineAnalysis } from './engineAnalyze';

/** Paths remembered per document (imports and the candidates tried while resolving them). */
const MAX_DEPENDENCIES = 8192;

interface Dependencies {
  /** Version of what each path read last time (`null` when it could not be read): see fileVersion. */
  readonly seen: Map<string, string | null>;
  /** Bumped whenever one of them reads differently: the cache's salt, so cached classes are re-analysed. */
  generation: number;
  /** Some path was not remembered (too many): then every run counts as changed, which is slower but never stale. */
  overflow: boolean;
}

const digest = (text: string | null): string | null => (text === null ? null : createHash('sha1').update(text).digest('base64'));

/**
 * A file's version without reading it: the digest of an open document's text, else the file's mtime and size
 * (an installed library has hundreds of files, checked at every keystroke).
 */
export function fileVersion(req: AnalyzeRequest): (path: string) => string | null {
  return (path) => {
    const abs = resolve(path);
    const open = req.openTexts[abs];
    if (open !== undefined) return `open:${digest(open)}`;
    try {
      const st = statSync(abs, { throwIfNoEntry: false });
      if (!st || !st.isFile()) return null;
      return `disk:${st.mtimeMs}:${st.size}`;
    } catch {
      return null;
    }
  };
}

export class DocumentAnalyzer {
  private readonly cache = new AnalysisCache();
  private readonly deps = new Map<string, Dependencies>();

  /** Same result as `analyzeText(req)`, reusing the previous analysis of `uri` where its text allows. */
  analyze(uri: string, req: AnalyzeRequest): EngineAnalysis {
    const read = fileReader(req);
    const version = fileVersion(req);
    let deps = this.deps.get(uri);
    if (!deps) this.deps.set(uri, (deps = { seen: new Map(), generation: 0, overflow: false }));
    // Re-read what earlier runs read (the cache does not see other files): any difference invalidates.
    let changed = deps.overflow;
    for (const [path, was] of deps.seen) {
      const now = version(path);
      if (now !== was) {
        deps.seen.set(path, now);
        changed = true;
      }
    }
    if (changed) deps.generation++;
    const d = deps;
    const recording = (path: string): string | null => {
      const text = read(path);
      if (d.seen.has(path) || d.seen.size < MAX_DEPENDENCIES) d.seen.set(path, version(path));
      else d.overflow = true;
      return text;
    };
    return analyzeTextCached(req, this.cache, uri, String(deps.generation), recording, version);
  }

  forget(uri: string): void {
    this.cache.forget(uri);
    this.deps.delete(uri);
  }
}
