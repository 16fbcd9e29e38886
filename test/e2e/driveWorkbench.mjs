// Drives code-server in Chromium as a person would: hover, inlay hints, Run Fusion Model, graph view, .onnx editor.
// Usage: node test/e2e/driveWorkbench.mjs <workbenchUrl> <screenshotDir> <workspaceDir>
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { launchChromium, frameOf } from './browser.mjs';
import { backendSteps } from './backendSteps.mjs';
import { timmWorkspaceSteps } from './timmWorkspace.mjs';
import { foldedBlocksSteps } from './foldedBlocks.mjs';
import { checkpointSteps } from './checkpointSteps.mjs';
import { graphRunButtonSteps } from './graphRunButton.mjs';

const [url, outDir, wsDir] = process.argv.slice(2);
if (!url || !outDir || !wsDir) {
  console.error('usage: driveWorkbench.mjs <workbenchUrl> <screenshotDir> <workspaceDir>');
  process.exit(2);
}
const T0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

// Lines of the example the checks refer to, read from the file itself (0-based).
const source = readFileSync(join(wsDir, 'fusion_cnn.py'), 'utf8').split('\n');
const lineOf = (re, from = 0) => source.findIndex((l, i) => i >= from && re.test(l));
const fusionClassLine = lineOf(/^class FusionModel\b/);
const catLine = lineOf(/torch\.cat\(/, fusionClassLine);
if (fusionClassLine < 0 || catLine < 0) throw new Error('fusion_cnn.py no longer has FusionModel with a torch.cat fusion');

let failures = 0;
/** FusionModel's run time in the panel's ordinary run (fresh session, per-layer summaries computed), for the timing report. */
let tappedRunMs = NaN;
const results = [];
const check = (ok, what) => {
  log(ok ? 'PASS' : 'FAIL', what);
  results.push(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

mkdirSync(outDir, { recursive: true });
const { profile, ctx, page } = await launchChromium();
page.on('pageerror', (e) => log('pageerror:', e.message.slice(0, 300)));
page.on('console', (m) => {
  if (m.type() === 'error' && !/Failed to load resource|favicon|ERR_BLOCKED|workbench.*contrib/i.test(m.text())) log('console.error:', m.text().slice(0, 300));
});
let shotNo = 0;
const shot = async (name) => {
  const p = join(outDir, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: p });
  log('screenshot', p);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs one step; a failure is recorded with a screenshot and the next step still runs. */
async function step(name, fn) {
  // E2E_ONLY=<regex> runs only the steps whose name matches (quicker runs while working on one area)
  if (process.env.E2E_ONLY && name !== 'workbench' && !new RegExp(process.env.E2E_ONLY).test(name)) return log(`--- ${name} (skipped: E2E_ONLY)`);
  log(`--- ${name}`);
  try {
    await fn();
  } catch (e) {
    check(false, `${name}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    await shot(`${name}-error`).catch(() => {});
  }
}

const quickInputOf = (p) => p.locator('.quick-input-widget .quick-input-box input');
const quickInput = quickInputOf(page);
/**
 * Opens Quick Open from the title bar's command center: a key press would go to a focused webview
 * (run panel, .onnx editor) instead of the workbench. `p`: another workbench page (step modules' second browser).
 */
async function quickOpen(p = page) {
  await p.keyboard.press('Escape');
  const center = p.locator('.command-center .command-center-center').first();
  if (await center.isVisible().catch(() => false)) await center.click();
  else await p.keyboard.press('Control+p');
  await quickInputOf(p).waitFor({ state: 'visible', timeout: 15000 });
}

async function palette(command) {
  await quickOpen();
  await quickInput.fill(`>${command}`);
  // The row whose label is exactly the command (… allowed): 'Run Fusion Model' must not pick 'Run Fusion Model on Image…'.
  const exact = new RegExp(`^${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}…?$`);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
  await row.waitFor({ timeout: 15000 });
  await row.click();
}

/** Opens a workspace file with Quick Open (the Explorer may be hidden behind the Fusion Lens view). */
async function openFile(name, p = page) {
  await quickOpen(p);
  const input = quickInputOf(p);
  // A file created a moment ago reaches Quick Open's index a little later: type the name again until it shows.
  // Enter picks the focused row: wait until the filtered list has put the file there (not a stale 'recently opened' row).
  const row = p.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first();
  for (let i = 0; i < 10; i++) {
    await input.fill('');
    await input.fill(name);
    if (
      await row.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      )
    )
      break;
  }
  await row.waitFor({ timeout: 3000 });
  await p.keyboard.press('Enter');
}

/** The 0-based line of the cursor, read from the status bar ("Ln 62, Col 9"). */
async function cursorLine() {
  const text = await page
    .locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ })
    .first()
    .innerText();
  return Number(/Ln (\d+)/.exec(text)[1]) - 1;
}

/** Puts the cursor on a line with Ctrl+G. */
async function gotoLine(line0) {
  await quickOpen();
  await quickInput.fill(`:${line0 + 1}`);
  await page.keyboard.press('Enter');
  await sleep(300);
}

/** The body text of the first frame (webview documents included) whose text matches `re`. */
async function frameWithText(re, timeout = 60000, content = false) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      // textContent also covers SVG labels, which innerText leaves out.
      const text = await f.evaluate((c) => (c ? document.body?.textContent : document.body?.innerText) ?? '', content).catch(() => '');
      if (re.test(text)) return { frame: f, text };
    }
    await sleep(500);
  }
  throw new Error(`no frame shows ${re}`);
}

/** The first frame holding an element that matches `selector` (webviews are nested iframes); `p`: another page. */
function frameWithSelector(selector, timeout = 60000, p = page) {
  return frameOf(p, selector, timeout);
}

/** Hovers `word` on the editor line containing `lineText` until a hover matching `re` shows. */
async function hoverText(lineText, word, re) {
  const line = page.locator('.editor-instance .view-line', { hasText: lineText }).first();
  await line.scrollIntoViewIfNeeded();
  const span = line.locator('span', { hasText: new RegExp(`^${word}$`) }).first();
  let box = (await span.count()) > 0 ? await span.boundingBox() : null;
  if (!box) {
    // The word may share a span with neighbours: aim at its offset inside the line instead.
    const lb = await line.boundingBox();
    const full = await line.innerText();
    const charW = lb.width / Math.max(full.length, 1);
    box = { x: lb.x + full.indexOf(word) * charW, y: lb.y, width: word.length * charW, height: lb.height };
  }
  const hover = page.locator('.monaco-hover:visible');
  for (let i = 0; i < 8; i++) {
    await page.mouse.move(5, 5);
    await sleep(200);
    await page.mouse.move(box.x + Math.min(box.width / 2, 12), box.y + box.height / 2);
    try {
      await hover.filter({ hasText: re }).first().waitFor({ timeout: 4000 });
      return await hover.filter({ hasText: re }).first().innerText();
    } catch {
      log(`hover on ${word} not there yet (${i + 1})`);
    }
  }
  throw new Error(
    `no hover matching ${re} on ${word}; last: ${JSON.stringify(
      await hover
        .first()
        .innerText()
        .catch(() => ''),
    )}`,
  );
}

try {
  await step('workbench', async () => {
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'fusion_cnn.py' }).waitFor({ timeout: 90000 });
    await shot('workbench');
  });

  await step('open-model', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'fusion_cnn.py' }).click();
    await page.locator('.editor-instance .view-line', { hasText: 'class FusionModel' }).waitFor({ timeout: 30000 });
    // The CodeLens appears once the extension has activated and analysed the file.
    const lens = page.locator('.contentWidgets .codelens-decoration', { hasText: 'Run Fusion Model' }).first();
    await lens.waitFor({ timeout: 90000 });
    check(true, 'CodeLens "▶ Run Fusion Model" shown above the model classes');
    const lenses = await page.locator('.contentWidgets .codelens-decoration').allInnerTexts();
    const fusionLens = lenses.find((t) => /params/.test(t) && /FLOPs/.test(t));
    check(!!fusionLens, `CodeLens shows params and FLOPs: ${JSON.stringify(lenses.slice(0, 3))}`);
    await shot('model-open-codelens');
  });

  await step('set-input-shape', async () => {
    // A symbolic input spec, so shapes read both ways: [B, 64, H, W] · [4, 64, 256, 256].
    await gotoLine(fusionClassLine + 2);
    await palette('Fusion Lens: Set Input Shape');
    await quickInput.waitFor({ state: 'visible', timeout: 10000 });
    await quickInput.fill('Bx3xHxW');
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .view-line', { hasText: 'fusion-lens: input=Bx3xHxW' }).waitFor({ timeout: 15000 });
    check(true, 'Set Input Shape… rewrote the FusionModel input comment to Bx3xHxW');
    await page.keyboard.press('Control+s');
    await sleep(1500);
  });

  await step('hover', async () => {
    const text = await hoverText('feat2_down = F.interpolate', 'feat2_down', /\[B, 128, H\/4, W\/4\]/);
    check(
      /\[B, 128, H\/4, W\/4\]/.test(text) && /\[4, 128, 64, 64\]/.test(text),
      `hover on feat2_down shows symbolic and concrete shape: ${JSON.stringify(text)}`,
    );
    await sleep(600); // let the hover finish fading in before the picture
    await shot('hover-shape');
    const cls = await hoverText('class FusionModel', 'FusionModel', /params/);
    check(/→/.test(cls) && /concat/i.test(cls), `hover on the class shows input → output and the concat fusion: ${JSON.stringify(cls.slice(0, 300))}`);
    await sleep(600);
    await shot('hover-class');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  await step('inlay-hint', async () => {
    const line = page.locator('.editor-instance .view-line', { hasText: 'fused = torch.cat' }).first();
    await line.scrollIntoViewIfNeeded();
    // Editor text uses non-breaking spaces.
    const text = (await line.innerText()).replace(/\u00a0/g, ' ');
    check(/\[B, 448, H\/4, W\/4\]/.test(text), `inlay hint at the end of the cat line: ${JSON.stringify(text)}`);
    await shot('inlay-hints');
  });

  await step('typing-stale', async () => {
    // Break FusionModel while typing: hovers keep the last good analysis, marked stale; undo brings it back.
    const line = page.locator('.editor-instance .view-line', { hasText: 'x = self.fusion(fused)' }).first();
    await line.click();
    await page.keyboard.press('End');
    // A dangling operator is a syntax error (a bracket would be auto-closed into valid code).
    await page.keyboard.type(' +');
    await sleep(1500);
    const stale = await hoverText('feat2_down = F.interpolate', 'feat2_down', /stale/);
    check(
      /stale/.test(stale) && /\[4, 128, 64, 64\]/.test(stale),
      `while the class does not parse, the hover shows the last good shape marked stale: ${JSON.stringify(stale.slice(0, 160))}`,
    );
    await sleep(600);
    await shot('stale-hover');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await line.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+s');
    await sleep(1500);
    const fresh = await hoverText('feat2_down = F.interpolate', 'feat2_down', /\[4, 128, 64, 64\]/);
    check(!/stale/.test(fresh), 'after undo the hover is fresh again');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  await step('quick-fix', async () => {
    // A Linear that no longer fits: the error sits on the call, and the quick fix writes the in_features that fits.
    const fcLine = lineOf(/self\.fc = nn\.Linear\(256 \* 8 \* 8/, fusionClassLine);
    const callLine = lineOf(/return self\.fc\(x\)/, fusionClassLine);
    await gotoLine(fcLine);
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('self.fc = nn.Linear(256 * 4 * 4, num_classes');
    await page.keyboard.press('Control+s');
    await page
      .locator('.statusbar-item', { hasText: /^\s*1\s/ })
      .first()
      .waitFor({ timeout: 15000 })
      .catch(() => {});
    await sleep(1500);
    await gotoLine(callLine);
    await page.keyboard.press('End');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Set in_features to 16384' }).first();
    await fix.waitFor({ timeout: 15000 });
    await shot('quick-fix');
    await page.keyboard.press('Enter'); // the fix is the focused (only) action
    const fixed = page.locator('.editor-instance .view-line', { hasText: 'nn.Linear(16384, num_classes)' });
    const ok = await fixed
      .first()
      .waitFor({ timeout: 10000 })
      .then(
        () => true,
        () => false,
      );
    check(ok, 'the quick fix "Set in_features to 16384" rewrote the Linear of FusionModel');
    await page.keyboard.press('Control+s');
    await sleep(1000);
  });

  await step('run-fusion-model', async () => {
    await palette('Fusion Lens: Run Fusion Model');
    // Quick pick of the file's models, all picked: accept it.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'BaselineModel' }).first().waitFor({ timeout: 15000 });
    await shot('run-pick-models');
    await page.keyboard.press('Enter');
    const frame = await frameWithSelector('[data-testid="cosine"], [data-testid="run-error"]', 180000);
    const text = await frame.evaluate(() => document.body.innerText);
    check(/BaselineModel/.test(text) && /FusionModel/.test(text), 'run panel lists BaselineModel and FusionModel');
    const cosine = await frame
      .locator('[data-testid="cosine"]')
      .first()
      .innerText()
      .catch(() => '');
    const diff = await frame
      .locator('[data-testid="max-abs-diff"]')
      .first()
      .innerText()
      .catch(() => '');
    check(/\d/.test(cosine) && /\d/.test(diff), `run panel compares the outputs on the same input: cosine ${cosine}, max |a − b| ${diff}`);
    log('run panel text:', JSON.stringify(text.slice(0, 800)));
    await sleep(1000);
    await shot('run-panel');
    // Run again with another seed from the panel: the host lowers the models again and sends a new run.
    await frame.locator('[data-testid="seed"] input').fill('3');
    await frame.locator('[data-testid="rerun"]').click();
    const rerun = await frame
      .locator('[data-testid="run-inputs"]', { hasText: 'seed 3' })
      .waitFor({ timeout: 60000 })
      .then(
        () => true,
        () => false,
      );
    await frame.locator('[data-testid="cosine"]').first().waitFor({ timeout: 120000 });
    const cosine3 = await frame.locator('[data-testid="cosine"]').first().innerText();
    check(rerun && /\d/.test(cosine3) && cosine3 !== cosine, `Run again with seed 3 compares new outputs: cosine ${cosine3}`);
    tappedRunMs = Number(
      await frame
        .locator('[data-model="FusionModel"] [data-testid="run-ms"]')
        .first()
        .innerText()
        .then(
          (t) => t.replace(/[^\d.]/g, ''),
          () => 'NaN',
        ),
    );
  });

  await step('graph-view', async () => {
    // Back to the code (the run panel had the focus).
    await page.locator('.tabs-container .tab', { hasText: 'fusion_cnn.py' }).first().click();
    await gotoLine(catLine);
    await palette('Fusion Lens: Show Fusion Graph');
    // Widen the side bar so the graph's labels are readable in the screenshots.
    const side = await page.locator('.part.sidebar').boundingBox();
    if (side) {
      const x = side.x + side.width - 1;
      const y = side.y + side.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + 260, y, { steps: 8 });
      await page.mouse.up();
    }
    const frame = await frameWithSelector('[data-fusion-method="concat"]', 60000);
    const label = await frame.locator('[data-fusion-method="concat"]').first().textContent();
    check(true, `graph view shows the concat fusion node (${JSON.stringify(label)})`);
    await sleep(1500);
    await shot('graph-view');
    // Put the cursor elsewhere, click the fusion node, and the editor must move to the torch.cat line.
    await gotoLine(fusionClassLine);
    await sleep(300);
    const before = await cursorLine();
    const node = frame.locator('[data-fusion-method="concat"]').first();
    await node.click({ timeout: 15000 });
    await sleep(1000);
    const after = await cursorLine();
    check(
      before !== catLine && after === catLine,
      `clicking the fusion node moved the cursor from line ${before + 1} to ${after + 1} (torch.cat is line ${catLine + 1})`,
    );
    await shot('graph-node-clicked');
    // The other way round: the cursor on a line of forward highlights that line's nodes in the graph.
    const convLine = lineOf(/feat1 = torch\.relu\(self\.conv1/, fusionClassLine);
    await gotoLine(convLine);
    const lit = frame.locator(`.highlight[data-line="${convLine}"]`);
    const ok = await lit
      .first()
      .waitFor({ timeout: 10000 })
      .then(
        () => true,
        () => false,
      );
    check(ok, `moving the cursor to line ${convLine + 1} highlights ${await lit.count()} node(s) of that line in the graph`);
    await shot('graph-cursor-highlight');
  });
  await graphRunButtonSteps({ page, step, check, shot, frameWithSelector, sleep, log });

  await step('onnx-editor', async () => {
    // An ONNX file exported by PyTorch (test fixture), opened from the Explorer in the read-only custom editor.
    await openFile('example_fpn_segmenter.onnx');
    const { text } = await frameWithText(/example_fpn_segmenter\.onnx[\s\S]*\bAdd\b/, 60000, true);
    check(/Conv/.test(text) && /\bAdd\b/.test(text), 'the .onnx custom editor shows the decoded FPN graph with Conv and Add nodes');
    await sleep(1500);
    await shot('onnx-editor');
    await palette('Fusion Lens: Run Fusion Model');
    const run = await frameWithText(/example_fpn_segmenter[\s\S]*(mean|std)/i, 120000);
    check(/example_fpn_segmenter/.test(run.text), `Run on the .onnx editor shows its outputs: ${JSON.stringify(run.text.slice(0, 300))}`);
    await shot('onnx-run');
  });

  await step('export-onnx', async () => {
    await openFile('fusion_cnn.py');
    await gotoLine(fusionClassLine);
    await palette('Fusion Lens: Export Model to ONNX');
    // The simple save dialog proposes <Class>.onnx next to the model file: accept it.
    await quickInput.waitFor({ state: 'visible', timeout: 15000 });
    await sleep(500);
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 30000;
    while (!existsSync(join(wsDir, 'FusionModel.onnx')) && Date.now() < deadline) await sleep(500);
    check(existsSync(join(wsDir, 'FusionModel.onnx')), 'Export Model to ONNX… wrote FusionModel.onnx');
    await openFile('FusionModel.onnx');
    // The editor's own frame: its title is the file name (the FPN editor also has Concat nodes).
    const { text } = await frameWithText(/FusionModel\.onnx[\s\S]*Concat/, 60000, true);
    check(/Conv/.test(text) && /Concat/.test(text), 'the exported FusionModel.onnx opens with its Conv and Concat nodes');
    await sleep(1000);
    await shot('exported-onnx');
    // The exported file against the Python model it came from, same seed: the outputs must agree.
    await palette('Fusion Lens: Compare ONNX Model With');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'fusion_cnn.py' }).filter({ hasText: 'FusionModel' }).first();
    await row.waitFor({ timeout: 30000 });
    // Clicking the row ticks it; go on once the counter says one is selected.
    await row.locator('.label-name').first().click();
    await page.locator('.quick-input-count', { hasText: '1' }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    const cmp = await frameWithText(/FusionModel\.onnx[\s\S]*FusionModel \(fusion_cnn\.py\)[\s\S]*cosine similarity\s+FusionModel\.onnx/, 120000);
    const cells = await cmp.frame.locator('[data-testid="cosine"], [data-testid="max-abs-diff"]').allInnerTexts();
    const [diffText, cosText] = [
      await cmp.frame.locator('[data-testid="max-abs-diff"]').first().innerText(),
      await cmp.frame.locator('[data-testid="cosine"]').first().innerText(),
    ];
    check(
      Number(diffText) < 1e-4 && Math.abs(Number(cosText) - 1) < 1e-4,
      `exported FusionModel.onnx vs the Python FusionModel on one input: max |a − b| ${diffText}, cosine ${cosText} (${cells.length / 2} comparison)`,
    );
    await shot('compare-onnx-python');
  });
  await step('steady-state-timing', async () => {
    // Issue 4: the webview runner against the Node runner at one thread, like with like: the same FusionModel.onnx
    // bytes (run from its .onnx editor, so the panel holds that model alone), model outputs only, warm runs of one
    // session. Other work shares this machine, so the two sides alternate (webview, Node, webview, Node) and the
    // warm runs of both rounds are pooled. Times are printed, never asserted.
    const frame = await frameWithSelector('[data-testid="measure"]', 30000);
    const before = await frame
      .locator('[data-testid="run-results"]')
      .first()
      .getAttribute('data-run-id')
      .catch(() => null);
    await page.locator('.tabs-container .tab', { hasText: 'FusionModel.onnx' }).first().click();
    await sleep(500);
    await palette('Fusion Lens: Run Fusion Model');
    await frame.locator(`[data-testid="run-results"]:not([data-run-id="${before}"]) [data-model="FusionModel.onnx"]`).first().waitFor({ timeout: 120000 });
    const models = await frame.locator('[data-testid="model-result"]').count();
    if (models !== 1) throw new Error(`the panel holds ${models} models, not FusionModel.onnx alone`);
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const nodeRound = (mode) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/runnerChild.ts'), mode, '1', '5', join(wsDir, 'FusionModel.onnx')], {
        cwd: root,
        encoding: 'utf8',
        timeout: 240000,
      });
      if (r.status !== 0) throw new Error(`runnerChild ${mode} failed: ${(r.stderr || String(r.error)).slice(0, 300)}`);
      return JSON.parse(r.stdout.trim().split('\n').pop())[0].times;
    };
    const webRound = async () => {
      await frame.locator('[data-testid="steady-state"]').evaluate((e) => e.replaceChildren());
      // a DOM click event: the panel's main thread is busy in wasm for the whole measurement, and a pointer click waits on it
      await frame.locator('[data-testid="measure"]').dispatchEvent('click');
      const row = frame.locator('[data-testid="steady-state"] [data-model="FusionModel.onnx"]');
      await row.waitFor({ timeout: 180000 });
      return { warm: JSON.parse(await row.getAttribute('data-warm-ms')), cold: Number(await row.getAttribute('data-cold-ms')) };
    };
    const web = [];
    const node = [];
    const colds = [];
    for (let round = 0; round < 2; round++) {
      const w = await webRound();
      web.push(...w.warm);
      colds.push(w.cold);
      node.push(...nodeRound('node'));
    }
    const nodeWasmBuild = nodeRound('webview');
    const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
    const min = (xs) => Math.min(...xs);
    const fmt = (xs) => xs.map((t) => t.toFixed(0)).join(', ');
    const ratio = median(web) / median(node);
    const report = [
      'FusionModel 4×3×256×256, FusionModel.onnx (same bytes), 1 thread, model outputs only, warm runs of one session, 2 alternating rounds × 5:',
      `  webview (Chromium, onnxruntime-web/wasm)    median ${median(web).toFixed(0)} ms, min ${min(web).toFixed(0)} ms  [${fmt(web)}]; cold first run of a session ${fmt(colds)} ms`,
      `  Node runner (onnxruntime-web node build)    median ${median(node).toFixed(0)} ms, min ${min(node).toFixed(0)} ms  [${fmt(node)}]`,
      `  Node, webview build (onnxruntime-web/wasm)  median ${median(nodeWasmBuild).toFixed(0)} ms  [${fmt(nodeWasmBuild)}]`,
      `  ratio webview / Node: median ${ratio.toFixed(2)}, min ${(min(web) / min(node)).toFixed(2)}   (issue 4 target ≤ 1.10; printed, not asserted)`,
      `  ordinary panel run of FusionModel earlier (fresh session, first run, per-layer summaries computed in the graph): ${Number.isFinite(tappedRunMs) ? tappedRunMs.toFixed(0) : '?'} ms`,
    ].join('\n');
    log(report);
    writeFileSync(join(outDir, 'runner-timing.txt'), `${report}\n`);
    writeFileSync(
      join(outDir, 'runner-timing.json'),
      JSON.stringify(
        {
          webviewWarmMs: web,
          webviewColdMs: colds,
          nodeWarmMs: node,
          nodeWebviewBuildWarmMs: nodeWasmBuild,
          webviewMedianMs: median(web),
          nodeMedianMs: median(node),
          ratio,
          tappedRunMs,
        },
        null,
        2,
      ),
    );
    check(
      Number.isFinite(ratio),
      `steady-state FusionModel.onnx at 1 thread: webview median ${median(web).toFixed(0)} ms vs Node median ${median(node).toFixed(0)} ms, ratio ${ratio.toFixed(2)} (printed, not asserted)`,
    );
  });

  await step('run-on-image', async () => {
    // A workspace image as the input of both models, then a .safetensors checkpoint as the weights of one model.
    await openFile('fusion_cnn.py');
    await palette('Fusion Lens: Run Fusion Model on Image');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'sample.png' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'BaselineModel' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    const frame = await frameWithSelector('[data-testid="run-inputs"]:has-text("(image)")', 120000);
    await frame.locator('[data-testid="cosine"]').first().waitFor({ timeout: 120000 });
    const inputs = await frame.locator('[data-testid="run-inputs"]').innerText();
    check(/\[4, 3, 256, 256\] \(image\)/.test(inputs), `the picked image fed both models: ${JSON.stringify(inputs)}`);
    await shot('run-on-image');
  });

  await step('run-with-safetensors', async () => {
    // Added only now, so the earlier runs were not asked to choose weights.
    // The checkpoint was saved from AttentionFusionNet(width=8): a small file of the workspace imports the
    // example and fixes that argument (imports between workspace files resolve without running Python).
    copyFileSync(
      fileURLToPath(new URL('../fixtures/weights/example_attention_fusion.safetensors', import.meta.url)),
      join(wsDir, 'example_attention_fusion.safetensors'),
    );
    writeFileSync(
      join(wsDir, 'attention_w8.py'),
      [
        'from unet_fpn import AttentionFusionNet',
        '',
        '',
        '# fusion-lens: input=2x3x40x40',
        'class AttentionFusionNetW8(AttentionFusionNet):',
        '    def __init__(self):',
        '        super().__init__(width=8)',
        '',
      ].join('\n'),
    );
    await openFile('attention_w8.py');
    await page.locator('.tabs-container .tab.active', { hasText: 'attention_w8.py' }).waitFor({ timeout: 30000 });
    // The CodeLens runs that model alone; then the checkpoint is picked as its weights.
    const lens = page.locator('.contentWidgets .codelens-decoration', { hasText: 'Run Fusion Model' }).first();
    await lens.waitFor({ timeout: 30000 });
    await lens.locator('a', { hasText: 'Run Fusion Model' }).first().click();
    const weights = page.locator('.quick-input-list .monaco-list-row', { hasText: 'example_attention_fusion.safetensors' }).first();
    await weights.waitFor({ timeout: 15000 });
    await weights.click();
    const frame = await frameWithSelector('[data-testid="run-results"]:has-text("AttentionFusionNetW8")', 120000);
    const text = await frame.locator('[data-testid="run-results"]').innerText();
    check(
      /AttentionFusionNetW8/.test(text) && /output\.0/.test(text) && !/error/i.test(text),
      `AttentionFusionNetW8 ran with the weights of example_attention_fusion.safetensors: ${JSON.stringify(text.slice(0, 200))}`,
    );
    await shot('run-with-safetensors');
  });

  await foldedBlocksSteps({ page, wsDir, step, check, shot, openFile, palette, gotoLine, frameWithSelector, sleep, log });
  await checkpointSteps({ page, wsDir, step, check, shot, openFile, palette, gotoLine, frameWithSelector, sleep, log });
  // Issue 15: backend fallback here (no WebGPU), then WebGPU in a second Chromium with --enable-unsafe-webgpu.
  await backendSteps({ page, url, outDir, wsDir, step, check, log, shot, openFile, frameWithSelector, sleep });
  await timmWorkspaceSteps({ page, wsDir, step, check, shot, openFile, hoverText, palette, gotoLine, frameWithText, sleep, log });
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
}
log('summary:\n' + results.join('\n'));
log(failures ? `FAILED (${failures})` : 'ALL PASSED');
process.exit(failures ? 1 : 0);
