// e2e steps of issue 15 (execution backends): the run panel without WebGPU falls back to wasm and says why; a second
// Chromium with --enable-unsafe-webgpu (Debian's Chromium then offers SwiftShader, a software WebGPU adapter) runs a model's
// ordinary run on WebGPU with `auto`, Time 5 runs times it on WebGPU and on wasm and shows how far their outputs are apart,
// and the panel's choice "wasm" runs it again on wasm, whose outputs must agree with WebGPU's.
// Called once from driveWorkbench.mjs with its helpers: await backendSteps({ page, url, outDir, wsDir, step, check, log, shot,
// openFile, frameWithSelector, sleep }); openFile and frameWithSelector take the second browser's page as their last argument.
import { launchChromium } from './browser.mjs';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Clicks the file's "Run Fusion Model" CodeLens and takes the seeded weights if a weights pick shows. */
async function runFromLens(page) {
  const lens = page.locator('.contentWidgets .codelens-decoration', { hasText: 'Run Fusion Model' }).first();
  await lens.waitFor({ timeout: 90000 });
  await lens.locator('a', { hasText: 'Run Fusion Model' }).first().click();
  const pick = page.locator('.quick-input-list .monaco-list-row').first();
  if (
    await pick.waitFor({ timeout: 5000 }).then(
      () => true,
      () => false,
    )
  )
    await page.keyboard.press('Enter');
}

export async function backendSteps({ page, url, outDir, wsDir, step, check, log, shot, openFile, frameWithSelector, sleep }) {
  // A small subclass of FusionModel: SwiftShader runs shaders on the CPU, so the 4×3×256×256 input would take minutes a run.
  writeFileSync(
    join(wsDir, 'gpu_small.py'),
    ['from fusion_cnn import FusionModel', '', '', '# fusion-lens: input=1x3x32x32', 'class SmallFusionGpu(FusionModel):', '    pass', ''].join('\n'),
  );
  await step('backend-fallback-without-webgpu', async () => {
    // This Chromium runs without --enable-unsafe-webgpu: no adapter, so `auto` runs every model on wasm and says why.
    // Earlier steps may have closed the run panel (they end by closing every editor): then run the small model here.
    const selector = '[data-testid="model-result"] [data-testid="backend"]';
    const shown = await frameWithSelector(selector, 5000).then(
      () => true,
      () => false,
    );
    if (!shown) {
      await openFile('gpu_small.py');
      await runFromLens(page);
    }
    const frame = await frameWithSelector(selector, 120000);
    const backends = await frame.locator('[data-testid="backend"]').allInnerTexts();
    const reasons = await frame.locator('[data-testid="fallback-reason"]').allInnerTexts();
    check(
      backends.length > 0 && backends.every((b) => /^wasm, \d+ threads?$/.test(b)),
      `without WebGPU the run panel ran on wasm: ${JSON.stringify(backends)}`,
    );
    check(reasons.length === backends.length && reasons.every((r) => /WebGPU unavailable/.test(r)), `and says why: ${JSON.stringify(reasons[0] ?? '')}`);
    await shot('backend-fallback-wasm');
  });

  let profile = null;
  let ctx = null;
  try {
    // Debian's Chromium: --enable-unsafe-webgpu alone gives the SwiftShader adapter (Vulkan, software), even headless
    // with --disable-gpu; tested on a plain page first (test/e2e/backendHarness.ts).
    const gpu = await launchChromium('chromium-webgpu-', ['--enable-unsafe-webgpu']);
    ({ profile, ctx } = gpu);
    const gpuPage = gpu.page;
    const gpuShot = async (name) => {
      await gpuPage.screenshot({ path: join(outDir, `webgpu-${name}.png`) });
      log('screenshot', join(outDir, `webgpu-${name}.png`));
    };

    /** The card of SmallFusionGpu in the newest run: backend kind and text, fallback reason, layer rows, output preview values. */
    const cardFacts = async (card) => ({
      kind: await card.locator('[data-testid="backend"]').getAttribute('data-backend'),
      text: await card.locator('[data-testid="backend"]').innerText(),
      reason: await card
        .locator('[data-testid="fallback-reason"]')
        .innerText({ timeout: 1000 })
        .catch(() => ''),
      preview: JSON.parse((await card.locator('[data-testid="output-preview"]').first().getAttribute('data-values')) ?? '[]'),
    });
    let gpuRun = null;

    await step('backend-webgpu-auto', async () => {
      // `auto` with an adapter: the ordinary run (per-layer summaries computed in the graph, in float32) runs on WebGPU.
      await gpuPage.goto(url);
      await gpuPage.locator('.monaco-workbench').waitFor({ timeout: 90000 });
      await openFile('gpu_small.py', gpuPage);
      await gpuPage.locator('.tabs-container .tab.active', { hasText: 'gpu_small.py' }).waitFor({ timeout: 30000 });
      await runFromLens(gpuPage);
      const frame = await frameWithSelector('[data-testid="model-result"][data-model="SmallFusionGpu"]', 240000, gpuPage);
      const card = frame.locator('[data-testid="model-result"][data-model="SmallFusionGpu"]');
      gpuRun = await cardFacts(card);
      const layers = await frame.locator('[data-testid="layer-stats"] tr[data-node]').count();
      check(
        gpuRun.kind === 'webgpu' && /swiftshader/i.test(gpuRun.text) && gpuRun.reason === '' && layers > 0,
        `auto with an adapter: the ordinary Run Fusion Model ran on ${JSON.stringify(gpuRun.text)}, ${layers} layer rows, no fallback${gpuRun.reason ? ` (${gpuRun.reason.slice(0, 160)})` : ''}`,
      );
      const first = await card.locator('[data-testid="run-ms"]').innerText();
      const create = await card.locator('[data-testid="create-ms"]').innerText();
      log(`WebGPU ordinary run: session ${create}, first run ${first}`);
      await sleep(500);
      await gpuShot('auto-webgpu');
    });

    await step('backend-webgpu-vs-wasm', async () => {
      // Time 5 runs times the model alone (summaries off) on each backend: WebGPU (SwiftShader) and wasm, and compares them.
      const frame = await frameWithSelector('[data-testid="measure"]', 30000, gpuPage);
      await frame.locator('[data-testid="measure"]').dispatchEvent('click');
      const diff = frame.locator('[data-testid="backend-diff"][data-diff-model="SmallFusionGpu"]');
      await diff.waitFor({ timeout: 300000 });
      const rows = await frame
        .locator('[data-testid="steady-state"] [data-model="SmallFusionGpu"]')
        .evaluateAll((els) =>
          els.map((e) => ({ backend: e.getAttribute('data-backend'), median: Number(e.getAttribute('data-median-ms')), text: e.textContent })),
        );
      const maxAbs = Number(await diff.getAttribute('data-max-abs-diff'));
      const within = (await diff.getAttribute('data-within')) === 'true';
      check(
        rows.some((r) => r.backend === 'webgpu') && rows.some((r) => r.backend === 'wasm'),
        `Time 5 runs timed each backend: ${rows.map((r) => `${r.backend} ${r.median.toFixed(0)} ms`).join(', ')}`,
      );
      check(within && Number.isFinite(maxAbs), `WebGPU and wasm outputs agree: ${await diff.innerText()}`);
      const warm = await frame.locator('[data-testid="model-result"][data-model="SmallFusionGpu"] [data-testid="warm-median"]').innerText();
      check(/\d+ ms/.test(warm), `the model card shows the warm median of its backend: ${warm}`);
      writeFileSync(join(outDir, 'backend-timing.json'), `${JSON.stringify({ rows, maxAbsDiff: maxAbs, within }, null, 2)}\n`);
      await sleep(500);
      await gpuShot('time-5-runs');
    });

    await step('backend-wasm-choice-agrees', async () => {
      // The panel's backend choice "wasm" (the setting's values): the same ordinary run on wasm; its outputs agree with
      // the WebGPU run's within the pair's tolerance (src/core/run/backend.ts: 1e-3 × max(1, max |wasm|)).
      const frame = await frameWithSelector('[data-testid="execution-provider"]', 30000, gpuPage);
      await frame.locator('[data-testid="execution-provider"]').evaluate((el) => {
        el.value = 'wasm';
        el.dispatchEvent(new Event('change'));
      });
      const before = await frame.locator('[data-testid="run-results"]').first().getAttribute('data-run-id');
      await frame.locator('[data-testid="rerun"]').dispatchEvent('click');
      const card = frame.locator(`[data-testid="run-results"]:not([data-run-id="${before}"]) [data-testid="model-result"][data-model="SmallFusionGpu"]`);
      await card.waitFor({ timeout: 240000 });
      const wasmRun = await cardFacts(card);
      const a = gpuRun?.preview ?? [];
      const b = wasmRun.preview;
      const maxAbs = a.length === b.length && a.length > 0 ? Math.max(...a.map((v, i) => Math.abs(v - b[i]))) : NaN;
      const scale = Math.max(1, ...b.map(Math.abs));
      check(wasmRun.kind === 'wasm' && /^wasm/.test(wasmRun.text), `backend choice "wasm": the model ran on ${JSON.stringify(wasmRun.text)}`);
      check(
        maxAbs <= 1e-3 * scale,
        `the ordinary run's outputs on WebGPU and on wasm agree: max |a − b| ${maxAbs.toExponential(2)} over ${a.length} previewed values (tolerance ${(1e-3 * scale).toExponential(1)})`,
      );
      writeFileSync(
        join(outDir, 'backend-ordinary-run.json'),
        `${JSON.stringify({ webgpu: gpuRun, wasm: wasmRun, maxAbs, tolerance: 1e-3 * scale }, null, 2)}\n`,
      );
      await sleep(500);
      await gpuShot('choice-wasm');
    });
  } finally {
    await ctx?.close().catch(() => {});
    if (profile) rmSync(profile, { recursive: true, force: true });
  }
}
