// Incremental analysis of the open documents: one AnalysisCache, re-analysing classes when a file they import changed.
import { createHash } from 'node:crypto';
import { AnalysisCache } from '../../core/interp/analysisCache';
import { analyzeTextCached, fileReader, type AnalyzeRequest, type EngineAnalysis } from './engineAnalyze';

/** Paths remembered per document (imports and the candidates tried while resolving them). */
const MAX_DEPENDENCIES = 512;

interface Dependencies {
  /** Digest of what each path read last time (`null` when it could not be read). */
  readonly seen: Map<string, string | null>;
  /** Bumped whenever one of them reads differently: the cache's salt, so cached classes are re-analysed. */
  generation: number;
  /** Some path was not remembered (too many): then every run counts as changed, which is slower but never stale. */
  overflow: boolean;
}

const digest = (text: string | null): string | null => (text === null ? null : createHash('sha1').update(text).digest('base64'));

export class DocumentAnalyzer {
  private readonly cache = new AnalysisCache();
  private readonly deps = new Map<string, Dependencies>();

  /** Same result as `analyzeText(req)`, reusing the previous analysis of `uri` where its text allows. */
  analyze(uri: string, req: AnalyzeRequest): EngineAnalysis {
    const read = fileReader(req);
    let deps = this.deps.get(uri);
    if (!deps) this.deps.set(uri, (deps = { seen: new Map(), generation: 0, overflow: false }));
    // Re-read what earlier runs read (the cache does not see other files): any difference invalidates.
    let changed = deps.overflow;
    for (const [path, was] of deps.seen) {
      const now = digest(read(path));
      if (now !== was) {
        deps.seen.set(path, now);
        changed = true;
      }
    }
    if (changed) deps.generation++;
    const d = deps;
    const recording = (path: string): string | null => {
      const text = read(path);
      if (d.seen.has(path) || d.seen.size < MAX_DEPENDENCIES) d.seen.set(path, digest(text));
      else d.overflow = true;
      return text;
    };
    return analyzeTextCached(req, this.cache, uri, String(deps.generation), recording);
  }

  forget(uri: string): void {
    this.cache.forget(uri);
    this.deps.delete(uri);
  }
}
