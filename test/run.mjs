// The project's test command: lint and type check, then unit and oracle tests under node:test, then the end-to-end run in a real VS Code.
// `--unit` stops after the node:test stage (no VS Code); FUSION_LENS_SKIP_E2E=1 does the same. A file filter
// (`node test/run.mjs protocol`) runs only the matching tests and skips the lint and the type check.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const unitOnly = process.argv.includes('--unit') || process.env.FUSION_LENS_SKIP_E2E === '1';
const filter = process.argv.slice(2).filter((a) => !a.startsWith('--'));

if (filter.length === 0) {
  run('npx', ['eslint', '--max-warnings', '0', '.']);
  // The type check (tsx runs tests without one): Node code, then the webview and browser-side test code.
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('npx', ['tsc', '-p', 'webview/tsconfig.json', '--noEmit']);
}
run('node', ['esbuild.mjs']);
const files = [...findTests('test/unit'), ...findTests('test/oracle')].filter((f) => filter.every((s) => f.includes(s)));
run('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
if (!unitOnly && filter.length === 0 && existsSync('test/e2e/run.sh')) run('bash', ['test/e2e/run.sh']);
