// Runs the @vscode/test-electron suite: downloads VS Code (needs internet), installs nothing, loads the extension from the repo.
// Usage: npm run test:electron   (builds first; VSCODE_VERSION overrides the VS Code version, default 1.100.3)
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// A scratch workspace with the examples, so the suite may edit files freely.
const ws = mkdtempSync(join(tmpdir(), 'fusion-lens-electron-'));
for (const f of readdirSync(join(root, 'examples'))) if (f.endsWith('.py')) cpSync(join(root, 'examples', f), join(ws, f));

try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test/electron/suite/index.cjs'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error('electron tests failed:', e instanceof Error ? e.message : e);
  process.exit(1);
}
