// Typed reading of the `fusionLens.*` settings, with the defaults of package.json as fallbacks.
import * as vscode from 'vscode';

export interface FusionLensSettings {
  readonly defaultInput: string;
  /** True when the user set `defaultInput` (it then outranks specs inferred from example calls and layers). */
  readonly defaultInputSet: boolean;
  readonly dimensions: Readonly<Record<string, number>>;
  readonly batch: number;
  readonly seed: number;
  readonly memoryLimitMB: number;
  readonly inlayHints: boolean;
}

function positiveInt(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
}

/** Only integer-valued entries with identifier names survive; anything else in settings.json is ignored. */
function dimensionMap(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, n] of Object.entries(v as Record<string, unknown>)) {
      if (/^[A-Za-z_]\w*$/.test(k) && typeof n === 'number' && Number.isInteger(n) && n > 0) out[k] = n;
    }
  }
  return out;
}

export function readSettings(scope?: vscode.ConfigurationScope): FusionLensSettings {
  const c = vscode.workspace.getConfiguration('fusionLens', scope);
  const batch = Math.max(1, positiveInt(c.get('batch'), 4));
  const dims = dimensionMap(c.get('dimensions'));
  if (dims.B === undefined) dims.B = batch;
  const input = c.get('defaultInput');
  const inspected = c.inspect('defaultInput');
  const defaultInputSet = [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].some(
    (v) => typeof v === 'string' && v.trim() !== '',
  );
  return {
    defaultInput: typeof input === 'string' && input.trim() !== '' ? input.trim() : 'Bx3xHxW',
    defaultInputSet,
    dimensions: dims,
    batch,
    seed: positiveInt(c.get('seed'), 0),
    memoryLimitMB: Math.max(16, positiveInt(c.get('memoryLimitMB'), 1024)),
    inlayHints: c.get('inlayHints.enabled') !== false,
  };
}
