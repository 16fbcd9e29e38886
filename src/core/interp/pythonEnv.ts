// Where `import x` looks, found without running Python: the user's environment (venv, conda, system) and its site-packages.
//
// API (pure: the file system comes in as an EnvFs, e.g. envFsFrom(require('node:fs')) in Node):
//   findPythonEnv(sources, fs)      → { prefix, source } | null  — first match wins: the Python extension's active
//                                     environment, VIRTUAL_ENV, a workspace .venv/venv/env with pyvenv.cfg, the
//                                     configured interpreter (python.defaultInterpreterPath)
//   sitePackages(prefix, fs)        → the package folders of an environment prefix, in sys.path order
//   interpreterPrefix(python)       → the prefix of an interpreter path (`.venv/bin/python` → `.venv`)
//   importRoots(parts)              → the absolute-import search roots in Python's order, duplicates removed
// Nothing here executes anything: folders are listed and `pyvenv.cfg` is looked for, that is all.

export interface EnvFs {
  isDir(path: string): boolean;
  isFile(path: string): boolean;
  /** Entry names of a folder ([] when it cannot be read). */
  listDir(path: string): string[];
}

/** An EnvFs over Node's `fs` module (passed in, so this file stays free of Node imports). */
export function envFsFrom(fs: {
  statSync(p: string, o: { throwIfNoEntry: false }): { isDirectory(): boolean; isFile(): boolean } | undefined;
  readdirSync(p: string): string[];
}): EnvFs {
  const stat = (p: string) => {
    try {
      return fs.statSync(p, { throwIfNoEntry: false }) ?? null;
    } catch {
      return null;
    }
  };
  return {
    isDir: (p) => !!stat(p)?.isDirectory(),
    isFile: (p) => !!stat(p)?.isFile(),
    listDir: (p) => {
      try {
        return fs.readdirSync(p);
      } catch {
        return [];
      }
    },
  };
}

const isWindowsPath = (p: string): boolean => /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
const sepOf = (p: string): string => (isWindowsPath(p) && !p.includes('/') ? '\\' : '/');
const trimSep = (p: string): string => (p.length > 1 ? p.replace(/[\\/]+$/, '') || p : p);

function join(base: string, ...parts: string[]): string {
  const sep = sepOf(base);
  return [trimSep(base), ...parts].join(sep);
}

function parentOf(p: string): string {
  const s = trimSep(p);
  const i = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
  if (i < 0) return '.';
  if (i === 0) return s[0];
  return s.slice(0, i);
}

function baseName(p: string): string {
  const s = trimSep(p);
  return s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
}

/** `python3.12` folders of `dir`, newest first. */
function pythonVersionDirs(dir: string, fs: EnvFs): string[] {
  const found = fs.listDir(dir).filter((n) => /^python3\.\d+t?$/.test(n));
  const minor = (n: string) => Number(/\.(\d+)/.exec(n)![1]);
  return found.sort((a, b) => minor(b) - minor(a));
}

/**
 * Package folders of an environment prefix in the order Python puts them on sys.path:
 * `lib/python3.X/site-packages` (venv, conda, python.org builds; also lib64), `Lib/site-packages` (Windows),
 * and Debian/Ubuntu's `local/lib/python3.X/dist-packages`, `lib/python3/dist-packages`, `lib/python3.X/dist-packages`.
 */
export function sitePackages(prefix: string, fs: EnvFs): string[] {
  const out: string[] = [];
  const add = (p: string) => {
    if (!out.includes(p) && fs.isDir(p)) out.push(p);
  };
  for (const lib of ['lib', 'lib64']) for (const v of pythonVersionDirs(join(prefix, lib), fs)) add(join(prefix, lib, v, 'site-packages'));
  add(join(prefix, 'Lib', 'site-packages'));
  for (const v of pythonVersionDirs(join(prefix, 'local', 'lib'), fs)) add(join(prefix, 'local', 'lib', v, 'dist-packages'));
  add(join(prefix, 'lib', 'python3', 'dist-packages'));
  for (const v of pythonVersionDirs(join(prefix, 'lib'), fs)) add(join(prefix, 'lib', v, 'dist-packages'));
  return out;
}

/**
 * The prefix of an interpreter given by path: `ENV/bin/python3` → `ENV`, `ENV\Scripts\python.exe` → `ENV`,
 * `C:\Python312\python.exe` → `C:\Python312`. A folder is taken as the prefix itself.
 */
export function interpreterPrefix(python: string, fs?: EnvFs): string {
  if (fs?.isDir(python)) return trimSep(python);
  const dir = parentOf(python);
  const b = baseName(dir).toLowerCase();
  return b === 'bin' || b === 'scripts' ? parentOf(dir) : dir;
}

export type EnvSource = 'python-extension' | 'VIRTUAL_ENV' | 'workspace' | 'setting' | 'cli';

export interface EnvSources {
  /** The Python extension's active environment: its sys.prefix, its folder or its interpreter path. */
  readonly pythonExtension?: string | null;
  /** The VIRTUAL_ENV variable of the process. */
  readonly virtualEnv?: string | null;
  readonly workspaceFolders?: readonly string[];
  /** `python.defaultInterpreterPath` (`${workspaceFolder}` already substituted); the bare default `python` is ignored. */
  readonly defaultInterpreterPath?: string | null;
}

export interface PythonEnv {
  readonly prefix: string;
  readonly source: EnvSource;
}

/** A workspace `.venv`, `venv` or `env` folder holding `pyvenv.cfg`. */
export function findWorkspaceEnv(folders: readonly string[], fs: EnvFs): string | null {
  for (const f of folders) {
    for (const name of ['.venv', 'venv', 'env']) {
      const p = join(f, name);
      if (fs.isFile(join(p, 'pyvenv.cfg'))) return p;
    }
  }
  return null;
}

const isPathLike = (p: string): boolean => p.includes('/') || p.includes('\\');

/** The user's environment, first match wins (see the file header). */
export function findPythonEnv(src: EnvSources, fs: EnvFs): PythonEnv | null {
  if (src.pythonExtension) return { prefix: interpreterPrefix(src.pythonExtension, fs), source: 'python-extension' };
  if (src.virtualEnv) return { prefix: trimSep(src.virtualEnv), source: 'VIRTUAL_ENV' };
  const ws = findWorkspaceEnv(src.workspaceFolders ?? [], fs);
  if (ws) return { prefix: ws, source: 'workspace' };
  const d = src.defaultInterpreterPath;
  if (d && isPathLike(d)) return { prefix: interpreterPrefix(d, fs), source: 'setting' };
  return null;
}

export interface RootParts {
  readonly workspaceFolders?: readonly string[];
  /** PYTHONPATH entries. */
  readonly pythonPath?: readonly string[];
  /** site-packages of the environment (sitePackages(prefix)). */
  readonly sitePackages?: readonly string[];
  /** `fusionLens.pythonPaths` / `--python-path` folders. */
  readonly extraPaths?: readonly string[];
}

/**
 * Absolute-import roots after the importing file's own package root and folder (which the interpreter adds per
 * file): workspace folders, PYTHONPATH, the environment's site-packages, then extra paths. Duplicates keep their
 * first place.
 */
export function importRoots(parts: RootParts): string[] {
  const all = [...(parts.workspaceFolders ?? []), ...(parts.pythonPath ?? []), ...(parts.sitePackages ?? []), ...(parts.extraPaths ?? [])];
  const out: string[] = [];
  for (const p of all
    .map((x) => x.trim())
    .filter(Boolean)
    .map(trimSep))
    if (!out.includes(p)) out.push(p);
  return out;
}

/** PYTHONPATH split with the platform's separator (`;` when the value looks like Windows paths). */
export function splitPythonPath(value: string | undefined | null, windows = false): string[] {
  if (!value) return [];
  const sep = windows || /(^|;)[A-Za-z]:[\\/]/.test(value) ? ';' : ':';
  return value
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean);
}
