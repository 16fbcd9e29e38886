// The wasm path's speed in the run panel against the Node runner, alone (no other e2e step): FusionModel.onnx opened in its
// editor, Run Fusion Model, then Time 5 runs in the panel and bench/runnerChild.ts (Node, 1 thread) alternating, pooled.
// Run through run.sh with E2E_DRIVER=test/e2e/wasmTiming.mjs and E2E_ONNX=<FusionModel.onnx to time> (the same bytes for
// every tree compared); E2E_ROUNDS (default 3) alternations of 5 warm runs each side. Prints and writes wasm-timing.json.
import { frameOf, launchChromium } from './browser.mjs';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const [url, outDir, wsDir] = process.argv.slice(2);
const onnx = process.env.E2E_ONNX;
if (!url || !outDir || !wsDir || !onnx) {
  console.error('usage: E2E_ONNX=FusionModel.onnx wasmTiming.mjs <workbenchUrl> <screenshotDir> <workspaceDir>');
  process.exit(2);
}
const rounds = Number(process.env.E2E_ROUNDS ?? 3);
const T0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
copyFileSync(onnx, join(wsDir, 'FusionModel.onnx'));
mkdirSync(outDir, { recursive: true });

const { ctx, page } = await launchChromium();

const frameWithSelector = (selector, timeout) => frameOf(page, selector, timeout);

const quickInput = page.locator('.quick-input-widget .quick-input-box input');
async function quickOpen() {
  await page.keyboard.press('Escape');
  const center = page.locator('.command-center .command-center-center').first();
  if (await center.isVisible().catch(() => false)) await center.click();
  else await page.keyboard.press('Control+p');
  await quickInput.waitFor({ state: 'visible', timeout: 15000 });
}

let rc = 0;
try {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
  await sleep(3000);
  const openFile = async (name) => {
    await quickOpen();
    const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first();
    for (let i = 0; i < 10; i++) {
      await quickInput.fill('');
      await quickInput.fill(name);
      if (
        await row.waitFor({ timeout: 3000 }).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    await page.keyboard.press('Enter');
  };
  // a Python model first: the extension activates and its commands reach the palette
  await openFile('fusion_cnn.py');
  await page.locator('.contentWidgets .codelens-decoration', { hasText: 'Run Fusion Model' }).first().waitFor({ timeout: 120000 });
  await openFile('FusionModel.onnx');
  await page.locator('.tabs-container .tab.active', { hasText: 'FusionModel.onnx' }).waitFor({ timeout: 30000 });
  await sleep(3000);
  await quickOpen();
  await quickInput.fill('>Fusion Lens: Run Fusion Model');
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: /^Fusion Lens: Run Fusion Model…?$/ }) })
    .first()
    .click();
  const frame = await frameWithSelector('[data-testid="run-results"] [data-model="FusionModel.onnx"]', 180000);
  const backend = await frame
    .locator('[data-testid="model-result"] [data-testid="backend"]')
    .first()
    .innerText({ timeout: 2000 })
    .catch(() => '(not shown)');
  await page.screenshot({ path: join(outDir, 'wasm-timing-run.png') });
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const nodeRound = () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/runnerChild.ts'), 'node', '1', '5', join(wsDir, 'FusionModel.onnx')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240000,
    });
    if (r.status !== 0) throw new Error(`runnerChild failed: ${(r.stderr || String(r.error)).slice(0, 300)}`);
    return JSON.parse(r.stdout.trim().split('\n').pop())[0].times;
  };
  const webRound = async () => {
    // generous timeouts: a panel that does not yield between runs (the tree before the backend work) holds its main thread
    await frame.locator('[data-testid="steady-state"]').evaluate((e) => e.replaceChildren(), undefined, { timeout: 300000 });
    await frame.locator('[data-testid="measure"]').dispatchEvent('click', undefined, { timeout: 300000 });
    const r = frame.locator('[data-testid="steady-state"] [data-model="FusionModel.onnx"]').first();
    await r.waitFor({ timeout: 240000 });
    return JSON.parse(await r.getAttribute('data-warm-ms'));
  };
  const web = [];
  const node = [];
  for (let i = 0; i < rounds; i++) {
    web.push(...(await webRound()));
    node.push(...nodeRound());
    log(`round ${i + 1}: webview ${web.slice(-5).map((t) => t.toFixed(0))}, node ${node.slice(-5).map((t) => t.toFixed(0))}`);
  }
  await page.screenshot({ path: join(outDir, 'wasm-timing-measured.png') });
  const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
  const result = {
    backend,
    rounds,
    webviewWarmMs: web,
    nodeWarmMs: node,
    webviewMedianMs: median(web),
    nodeMedianMs: median(node),
    ratio: median(web) / median(node),
  };
  log(
    `wasm timing (${backend}): webview median ${result.webviewMedianMs.toFixed(0)} ms, Node median ${result.nodeMedianMs.toFixed(0)} ms, ratio ${result.ratio.toFixed(3)}`,
  );
  writeFileSync(join(outDir, 'wasm-timing.json'), `${JSON.stringify(result, null, 2)}\n`);
} catch (e) {
  log('FAIL', e instanceof Error ? e.message : String(e));
  await page.screenshot({ path: join(outDir, 'wasm-timing-error.png') }).catch(() => {});
  rc = 1;
} finally {
  await ctx.close().catch(() => {});
}
process.exit(rc);
