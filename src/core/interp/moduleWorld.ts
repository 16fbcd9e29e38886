// Imported modules kept between analyses: a library (timm) is parsed and executed once and reused until one of its files changes.
//
// API:
//   worldFor(opts)        → the ModuleWorld for these search roots (a few are kept, least recently used dropped)
//   world.interpreter(o, version?, retryIncomplete?)
//                         → an Interpreter ready for one analysis of o.file: per-analysis state fresh, modules loaded
//                           by earlier analyses kept unless their file's version changed (or a module they imported
//                           did, or they imported the analysed file itself, which always runs again); with
//                           retryIncomplete, modules whose top level the import budget cut run again too
// Like a long-running Python process that re-runs the user's script: library state the script changes stays changed.
import { Interpreter, type InterpOptions } from './interpreter';
import { dirname, forgetFileChecks, moduleImporters, packageRoot } from './imports';

/** How a file's version is told without reading it all (mtime and size), or its text when that is all there is. */
export type FileVersion = (path: string) => string | null;

export class ModuleWorld {
  private ip: Interpreter | null = null;
  /** The version of each loaded module's file when it was loaded. */
  private readonly versions = new Map<string, string | null>();

  /**
   * An interpreter for one analysis; `version` tells whether an imported file changed (default: its text).
   * `retryIncomplete`: a module cut by the import budget is dropped, like a module whose import raised in Python, so
   * it is imported again; false keeps it (a second run within the same document analysis does not pay the import twice).
   */
  interpreter(opts: InterpOptions, version?: FileVersion, retryIncomplete = true): Interpreter {
    const ver: FileVersion = version ?? ((p) => opts.readFile?.(p) ?? null);
    if (!this.ip) {
      this.ip = new Interpreter(opts);
      return this.ip;
    }
    const ip = this.ip;
    ip.beginAnalysis(opts);
    forgetFileChecks(ip);
    // Changed files, and the analysed file (it runs again), invalidate themselves and every module that imported them.
    // So do the modules of the analysed file's own package or folder: it runs again, and whatever it does to their
    // state (a registry it registers into) must start afresh as in a new Python process. Installed libraries stay.
    const stale = new Set<string>([opts.file]);
    if (retryIncomplete) {
      for (const f of ip.incompleteModules) stale.add(f);
      ip.incompleteModules.clear();
    }
    const own = ownRoots(ip, opts);
    for (const file of ip.modulesByFile.keys()) {
      if (file === opts.file || file.startsWith('<')) continue;
      if (own.has(rootOf(file, opts.searchRoots, own))) {
        stale.add(file);
        continue;
      }
      const was = this.versions.get(file);
      if (was === undefined) this.versions.set(file, ver(file));
      else if (ver(file) !== was) stale.add(file);
    }
    const importers = moduleImporters(ip);
    const todo = [...stale];
    while (todo.length) {
      const f = todo.pop()!;
      for (const by of importers.get(f) ?? []) {
        if (stale.has(by)) continue;
        stale.add(by);
        todo.push(by);
      }
    }
    for (const f of stale) {
      ip.modulesByFile.delete(f);
      this.versions.delete(f);
      importers.delete(f);
    }
    return ip;
  }

  /** Records the versions of modules loaded during the analysis that just ran (call after it). */
  settle(version: FileVersion): void {
    if (!this.ip) return;
    for (const file of this.ip.modulesByFile.keys()) {
      if (file === this.ip.opts.file || file.startsWith('<') || this.versions.has(file) || this.ip.incompleteModules.has(file)) continue;
      this.versions.set(file, version(file));
    }
  }

  /** Ends the analysis that just ran: only loaded library modules stay reachable from the world (Interpreter.endAnalysis). */
  release(): void {
    this.ip?.endAnalysis();
  }

  get loadedModules(): number {
    return this.ip ? this.ip.modulesByFile.size : 0;
  }
}

/** The folders whose modules belong with the analysed file: its package root and its folder. */
function ownRoots(ip: Interpreter, opts: InterpOptions): Set<string> {
  return new Set([packageRoot(ip, opts.file), dirname(opts.file)]);
}

/** The deepest search root (or own folder) a module file lies below: where it was found. */
function rootOf(file: string, roots: readonly string[], own: ReadonlySet<string>): string {
  let best = '';
  for (const r of [...roots, ...own]) {
    const base = r.replace(/[\\/]+$/, '');
    if (base.length > best.length && (file.startsWith(`${base}/`) || file.startsWith(`${base}\\`))) best = base;
  }
  return best;
}

const worlds = new Map<string, ModuleWorld>();
const MAX_WORLDS = 4;

/** The world for a set of search roots (analyses with other roots resolve imports differently). */
export function worldFor(opts: Pick<InterpOptions, 'searchRoots'>): ModuleWorld {
  const key = opts.searchRoots.join('\u0000');
  let w = worlds.get(key);
  if (w) worlds.delete(key);
  else {
    w = new ModuleWorld();
    while (worlds.size >= MAX_WORLDS) worlds.delete(worlds.keys().next().value as string);
  }
  worlds.set(key, w);
  return w;
}

/** Drops every kept world (tests that want a clean start). */
export function forgetWorlds(): void {
  worlds.clear();
}
