// Reads the execution settings of the run panel: `fusionLens.executionProvider` (auto | webgpu | wasm) and `fusionLens.maxThreads`.
import * as vscode from 'vscode';
import { PROVIDER_CHOICES, type ProviderChoice } from '../../core/run/backend';
import type { ExecutionChoice } from '../../protocol';

/** Anything else in settings.json falls back to the defaults (auto, 4 threads). */
export function readExecution(scope?: vscode.ConfigurationScope): ExecutionChoice {
  const c = vscode.workspace.getConfiguration('fusionLens', scope);
  const p = c.get('executionProvider');
  const t = c.get('maxThreads');
  const provider: ProviderChoice = typeof p === 'string' && (PROVIDER_CHOICES as readonly string[]).includes(p) ? (p as ProviderChoice) : 'auto';
  const maxThreads = typeof t === 'number' && Number.isInteger(t) && t >= 1 ? Math.min(t, 64) : 4;
  return { provider, maxThreads };
}
