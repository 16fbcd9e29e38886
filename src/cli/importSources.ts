// Where the CLI's imports resolve: --python-path/--python-env, PYTHONPATH, VIRTUAL_ENV, a .venv of the working folder; .py files only, size-capped.
import * as fs from 'node:fs';
import { dirname, resolve } from 'node:path';
import { envFsFrom, findPythonEnv, importRoots, sitePackages, splitPythonPath } from '../core/interp/pythonEnv';

export const IMPORT_USAGE = `  --python-path DIR   a further folder where imports resolve (repeatable; after PYTHONPATH and the environment)
  --python-env PREFIX the Python environment whose site-packages are read (default: VIRTUAL_ENV, else a
                      .venv/venv/env with pyvenv.cfg in the working folder); nothing is ever executed`;

export interface ImportOptions {
  readonly pythonPaths: string[];
  pythonEnv: string | null;
}

export const noImportOptions = (): ImportOptions => ({ pythonPaths: [], pythonEnv: null });

/** Takes `--python-path DIR` / `--python-env PREFIX` (also `--flag=value`); returns true when the flag was one of them. */
export function takeImportFlag(o: ImportOptions, flag: string, value: () => string | null): boolean | string {
  if (flag !== '--python-path' && flag !== '--python-env') return false;
  const v = value();
  if (!v) return `${flag} needs a folder`;
  if (flag === '--python-path') o.pythonPaths.push(v);
  else o.pythonEnv = v;
  return true;
}

/** Imported Python files larger than this are not read (a generated file of that size is no model code). */
export const MAX_IMPORTED_BYTES = 4 * 1024 * 1024;

export interface ImportSources {
  readonly searchRoots: string[];
  readonly readFile: (path: string) => string | null;
  readonly isDir: (path: string) => boolean;
}

const envFs = envFsFrom(fs);

/** Search roots in Python's order (the file's folder, the working folder, PYTHONPATH, site-packages, --python-path). */
export function importSources(file: string, o: ImportOptions, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ImportSources {
  const prefix = o.pythonEnv ? resolve(o.pythonEnv) : (findPythonEnv({ virtualEnv: env.VIRTUAL_ENV ?? null, workspaceFolders: [cwd] }, envFs)?.prefix ?? null);
  const searchRoots = importRoots({
    workspaceFolders: [dirname(resolve(file)), cwd],
    pythonPath: splitPythonPath(env.PYTHONPATH, process.platform === 'win32').map((p) => resolve(cwd, p)),
    sitePackages: prefix ? sitePackages(prefix, envFs) : [],
    extraPaths: o.pythonPaths.map((p) => resolve(cwd, p)),
  });
  const readFile = (path: string): string | null => {
    if (!path.endsWith('.py')) return null;
    try {
      const st = fs.statSync(path, { throwIfNoEntry: false });
      if (!st || !st.isFile() || st.size > MAX_IMPORTED_BYTES) return null;
      return fs.readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  };
  return { searchRoots, readFile, isDir: envFs.isDir };
}
