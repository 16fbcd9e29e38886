// The one way tests find ../shared (oracle, wild, timm, notes, e2e-reference): FUSION_LENS_SHARED, else the folder beside the repository.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared test-data folder: `$FUSION_LENS_SHARED` when set, else `../shared` beside the repository. */
export const sharedRoot = process.env.FUSION_LENS_SHARED ? resolve(process.env.FUSION_LENS_SHARED) : resolve(repoRoot, '..', 'shared');

let warned = false;

/** A path inside the shared folder. */
export function sharedPath(...parts) {
  return join(sharedRoot, ...parts);
}

/**
 * `false` when the shared path exists, else the reason to skip (for node:test's `skip` option). The first miss in a
 * process is printed loudly, with how to point the tests at the folder.
 */
export function sharedSkip(...parts) {
  const p = sharedPath(...parts);
  if (existsSync(p)) return false;
  if (!existsSync(sharedRoot) && !warned) {
    warned = true;
    const line = '!'.repeat(100);
    console.error(
      `${line}\n!! ../shared is missing: no folder at ${sharedRoot}.\n!! Tests that need it are SKIPPED. Set FUSION_LENS_SHARED=/path/to/shared to run them.\n${line}`,
    );
  }
  return `skipped: ${p} is not present (../shared holds the PyTorch oracle and corpora; set FUSION_LENS_SHARED to point at it)`;
}
