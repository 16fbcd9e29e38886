// Resolves file paths that arrive from webviews, accepting only files inside an open workspace folder.
import * as vscode from 'vscode';
import * as path from 'node:path';

/**
 * A relative path (as the webview knows it) becomes a URI only if it stays inside a workspace
 * folder after normalisation; `..`, absolute paths and other schemes are refused.
 */
export function resolveInWorkspace(relativePath: string): vscode.Uri | null {
  if (typeof relativePath !== 'string' || relativePath.length === 0 || relativePath.length > 1024) return null;
  if (relativePath.includes('\0') || path.isAbsolute(relativePath) || /^[a-z][a-z0-9+.-]*:/i.test(relativePath)) return null;
  const normal = path.posix.normalize(relativePath.replace(/\\/g, '/'));
  if (normal.startsWith('../') || normal === '..') return null;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const candidate = vscode.Uri.joinPath(folder.uri, normal);
    if (isInside(folder.uri, candidate)) return candidate;
  }
  return null;
}

export function isInside(folder: vscode.Uri, uri: vscode.Uri): boolean {
  if (folder.scheme !== uri.scheme || folder.authority !== uri.authority) return false;
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(base);
}

export function isInWorkspace(uri: vscode.Uri): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((f) => isInside(f.uri, uri));
}

/** Workspace-relative form for display and for messages to webviews. */
export function toWorkspaceRelative(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}
