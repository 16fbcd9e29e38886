// The folders where the user's imports resolve: PYTHONPATH, the site-packages of their Python environment, fusionLens.pythonPaths.
//
// The environment is found without running Python (src/core/interp/pythonEnv.ts): the Python extension's active
// environment when that extension is installed, else VIRTUAL_ENV, else a workspace .venv/venv/env with pyvenv.cfg,
// else `python.defaultInterpreterPath`. Workspace folders come first and are not part of this list.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { envFsFrom, findPythonEnv, importRoots, sitePackages, splitPythonPath, type PythonEnv } from '../../core/interp/pythonEnv';

/** The part of the Python extension's API used here (`environments`, API version 1). */
interface PythonExtensionApi {
  readonly environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { readonly path: string } | undefined;
    resolveEnvironment(
      env: { readonly path: string } | string,
    ): Promise<{ readonly executable?: { readonly sysPrefix?: string; readonly uri?: vscode.Uri } } | undefined>;
    readonly onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

const envFs = envFsFrom(fs);

export interface ImportEnvironment {
  readonly roots: readonly string[];
  readonly env: PythonEnv | null;
}

export class PythonEnvironment implements vscode.Disposable {
  private cached: Promise<ImportEnvironment> | null = null;
  private readonly subs: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the roots may have changed (settings, the Python extension's active environment). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subs.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fusionLens.pythonPaths') || e.affectsConfiguration('python.defaultInterpreterPath')) this.reset();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
    );
    // A virtual environment created (or removed) in the workspace after start is picked up.
    const venvs = vscode.workspace.createFileSystemWatcher('**/{.venv,venv,env}/pyvenv.cfg');
    this.subs.push(
      venvs,
      venvs.onDidCreate(() => this.reset()),
      venvs.onDidDelete(() => this.reset()),
    );
  }

  private reset(): void {
    this.cached = null;
    this.changed.fire();
  }

  /** The import roots after the workspace folders (computed once, again after a change). */
  roots(): Promise<ImportEnvironment> {
    this.cached ??= this.compute().catch((e: unknown) => {
      this.log.warn(`Python environment: ${e instanceof Error ? e.message : String(e)}`);
      return { roots: [], env: null };
    });
    return this.cached;
  }

  private async compute(): Promise<ImportEnvironment> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const fromExtension = await this.pythonExtensionEnv(resource);
    const configured = vscode.workspace.getConfiguration('python', resource).get<string>('defaultInterpreterPath');
    const defaultInterpreterPath = typeof configured === 'string' ? substituteFolder(configured, folders[0]) : null;
    const env = findPythonEnv(
      { pythonExtension: fromExtension, virtualEnv: process.env.VIRTUAL_ENV ?? null, workspaceFolders: folders, defaultInterpreterPath },
      envFs,
    );
    const extra = vscode.workspace.getConfiguration('fusionLens', resource).get<unknown>('pythonPaths');
    const extraPaths = Array.isArray(extra)
      ? extra.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => absolute(substituteFolder(p, folders[0]), folders[0]))
      : [];
    const roots = importRoots({
      pythonPath: splitPythonPath(process.env.PYTHONPATH, process.platform === 'win32').map((p) => absolute(p, folders[0])),
      sitePackages: env ? sitePackages(env.prefix, envFs) : [],
      extraPaths,
    }).filter((r) => !folders.includes(r));
    this.log.info(
      `imports: ${env ? `environment ${env.prefix} (from ${env.source})` : 'no Python environment found'}; roots after the workspace: ${roots.join(', ') || '(none)'}`,
    );
    return { roots, env };
  }

  /** The Python extension's active environment (its sys.prefix), when the extension is installed; never throws. */
  private async pythonExtensionEnv(resource: vscode.Uri | undefined): Promise<string | null> {
    const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
    if (!ext) return null;
    try {
      const api = ext.isActive ? ext.exports : await withTimeout(Promise.resolve(ext.activate()), 5000);
      const envs = api?.environments;
      if (!envs) return null;
      if (envs.onDidChangeActiveEnvironmentPath && !this.subs.some((s) => (s as { fromPython?: boolean }).fromPython)) {
        const sub = envs.onDidChangeActiveEnvironmentPath(() => this.reset()) as vscode.Disposable & { fromPython?: boolean };
        sub.fromPython = true;
        this.subs.push(sub);
      }
      const active = envs.getActiveEnvironmentPath(resource);
      if (!active?.path) return null;
      const resolved = await withTimeout(envs.resolveEnvironment(active), 5000);
      return resolved?.executable?.sysPrefix || resolved?.executable?.uri?.fsPath || active.path;
    } catch (e) {
      this.log.warn(`Python extension API: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}

function substituteFolder(p: string, folder: string | undefined): string {
  return folder ? p.replace(/\$\{workspaceFolder\}/g, folder) : p;
}

function absolute(p: string, folder: string | undefined): string {
  return path.isAbsolute(p) || !folder ? p : path.resolve(folder, p);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);
}
