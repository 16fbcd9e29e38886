// E2E steps: a ResNet-style model and a torch.save checkpoint trained with num_classes=1000 and without one layer
// (test/fixtures/checkpoints): Check Checkpoint Against Model… puts the mismatches at the declaring lines, the quick fix
// changes the num_classes default, and Run Fusion Model then runs with the checkpoint (the missing layer seeded).
import { copyFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const FIXTURES = fileURLToPath(new URL('../fixtures/checkpoints/', import.meta.url));

/**
 * `t` holds the driver's helpers: { page, wsDir, step, check, shot, openFile, palette, gotoLine, frameWithSelector, sleep, log }.
 */
export async function checkpointSteps(t) {
  const source = readFileSync(join(FIXTURES, 'ckpt_resnet.py'), 'utf8').split('\n');
  const lineOf = (needle) => source.findIndex((l) => l.includes(needle));
  const fcLine = lineOf('self.fc = nn.Linear');
  const refineLine = lineOf('self.refine = nn.Conv2d');
  const problems = async () => {
    await t.palette('View: Focus Problems (Errors, Warnings, Infos)');
    const panel = t.page.locator('.markers-panel');
    await panel.waitFor({ timeout: 15000 });
    return panel.innerText();
  };

  await t.step('checkpoint-diagnostics', async () => {
    copyFileSync(join(FIXTURES, 'ckpt_resnet.py'), join(t.wsDir, 'ckpt_resnet.py'));
    copyFileSync(join(FIXTURES, 'resnet_1000.pth'), join(t.wsDir, 'resnet_1000.pth'));
    await t.sleep(1500);
    await t.openFile('ckpt_resnet.py');
    await t.page.locator('.tabs-container .tab.active', { hasText: 'ckpt_resnet.py' }).waitFor({ timeout: 30000 });
    await t.page
      .locator('.contentWidgets .codelens-decoration', { hasText: /params/ })
      .first()
      .waitFor({ timeout: 60000 });
    await t.gotoLine(fcLine);
    await t.palette('Fusion Lens: Check Checkpoint Against Model');
    const row = t.page.locator('.quick-input-list .monaco-list-row', { hasText: 'resnet_1000.pth' }).first();
    await row.waitFor({ timeout: 15000 });
    await row.click();
    // The diagnostics sit on the declaring statements (1-based lines in the Problems panel).
    let text = '';
    for (let i = 0; i < 20 && !/trained with num_classes=1000/.test(text); i++) {
      await t.sleep(500);
      text = await problems();
    }
    t.check(
      text.includes('fc.weight: the checkpoint has [1000, 8], the model [10, 8] — trained with num_classes=1000') && text.includes(`[Ln ${fcLine + 1}, Col`),
      `checkpoint diagnostic at self.fc (line ${fcLine + 1}): ${JSON.stringify(text.slice(0, 400))}`,
    );
    t.check(
      text.includes('not in the checkpoint: refine.weight, refine.bias') && text.includes(`[Ln ${refineLine + 1}, Col`),
      `missing-layer diagnostic at self.refine (line ${refineLine + 1})`,
    );
    await t.shot('checkpoint-diagnostics');
  });

  await t.step('checkpoint-quick-fix', async () => {
    await t.openFile('ckpt_resnet.py');
    await t.gotoLine(fcLine);
    await t.page.keyboard.press('End');
    await t.page.keyboard.press('Control+.');
    const fix = t.page.locator('.action-widget .monaco-list-row', { hasText: 'Change the default num_classes = 10 to 1000' }).first();
    await fix.waitFor({ timeout: 15000 });
    await t.shot('checkpoint-quick-fix');
    await t.page.keyboard.press('Enter'); // the fix is the focused (only) action
    const fixed = t.page.locator('.editor-instance .view-line', { hasText: 'num_classes: int = 1000' });
    t.check(
      await fixed
        .first()
        .waitFor({ timeout: 10000 })
        .then(
          () => true,
          () => false,
        ),
      'the quick fix set the num_classes default to 1000',
    );
    await t.page.keyboard.press('Control+s');
    // Re-checked on edit: only the missing layer is left.
    let text = '';
    for (let i = 0; i < 20; i++) {
      await t.sleep(500);
      text = await problems();
      if (!/fc\.weight/.test(text) && /refine\.weight/.test(text)) break;
    }
    t.check(
      !/fc\.weight/.test(text) && /not in the checkpoint: refine\.weight/.test(text),
      `after the fix only the missing layer is reported: ${JSON.stringify(text.slice(0, 300))}`,
    );
  });

  await t.step('checkpoint-run', async () => {
    await t.openFile('ckpt_resnet.py');
    await t.gotoLine(fcLine);
    await t.palette('Fusion Lens: Run Fusion Model');
    const row = t.page.locator('.quick-input-list .monaco-list-row', { hasText: 'resnet_1000.pth' }).first();
    await row.waitFor({ timeout: 15000 });
    await row.click();
    const frame = await t.frameWithSelector('[data-testid="model-weights"]:has-text("resnet_1000.pth")', 120000);
    const weights = await frame.locator('[data-testid="model-weights"]').first().innerText();
    const results = await frame.locator('[data-testid="run-results"]').innerText();
    t.check(
      /resnet_1000\.pth \(torch zip checkpoint, state dict 'model', 32 tensors; 2 missing seeded\)/.test(weights) &&
        /TinyResNet/.test(results) &&
        /\[1, 1000\]/.test(results),
      `TinyResNet ran with the checkpoint: ${JSON.stringify(weights)}; outputs ${JSON.stringify(results.slice(0, 160))}`,
    );
    await t.shot('checkpoint-run');
  });

  await t.step('checkpoint-viewer', async () => {
    // The .pth opens in the read-only checkpoint viewer: the state-dict tree, totals, other entries, the model it fits.
    await t.openFile('resnet_1000.pth');
    const frame = await t.frameWithSelector('[data-testid="ckpt-totals"]', 60000);
    const totals = await frame.locator('[data-testid="ckpt-totals"]').innerText();
    const fits = await frame.locator('[data-testid="ckpt-fits"]').innerText();
    const others = await frame.locator('[data-testid="ckpt-others"]').innerText();
    const rows = await frame.locator('[data-testid="ckpt-tensor"]').count();
    t.check(
      /32 tensors/.test(totals) && rows === 32 && /epoch\s+90/.test(others),
      `checkpoint viewer: ${JSON.stringify(totals)}, ${rows} tensor rows, others ${JSON.stringify(others)}`,
    );
    // it fits no model (refine is missing): the closest is named, with why
    t.check(
      /Closest: TinyResNet \(ckpt_resnet\.py\) — 32 \/ 34 parameters and buffers match; not in the checkpoint: refine\.weight, refine\.bias/.test(fits),
      `checkpoint viewer names the closest model and why it does not fit: ${JSON.stringify(fits)}`,
    );
    await t.shot('checkpoint-viewer');
  });

  await t.step('checkpoint-compare-entry', async () => {
    // Compare Checkpoints: epoch 10 (which holds 'model' and 'ema') against epoch 50; the user picks the EMA state dict.
    for (const f of ['resnet_e10.pth', 'resnet_e50.pth']) copyFileSync(join(FIXTURES, f), join(t.wsDir, f));
    await t.sleep(1500);
    await t.openFile('ckpt_resnet.py');
    await t.gotoLine(fcLine);
    await t.palette('Fusion Lens: Compare Checkpoints of a Model');
    const pickRow = async (text) => {
      const row = t.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
      await row.waitFor({ timeout: 15000 });
      return row;
    };
    await (await pickRow('resnet_e10.pth')).click();
    // the entry picker: each state dict with its tensor count, the default marked
    const ema = await pickRow(/^ema/);
    const entries = await t.page.locator('.quick-input-list').innerText();
    t.check(/model\s*34 tensors · default/.test(entries) && /ema\s*34 tensors/.test(entries), `entry picker lists model and ema: ${JSON.stringify(entries)}`);
    await t.shot('checkpoint-pick-entry');
    await ema.click();
    await (await pickRow('resnet_e50.pth')).click();
    const frame = await t.frameWithSelector('[data-testid="weight-change"]', 120000);
    const weights = await frame.locator('[data-testid="model-weights"]').allInnerTexts();
    t.check(
      weights.some((w) => /resnet_e10\.pth \(torch zip checkpoint, state dict 'ema', 34 tensors\)/.test(w)) &&
        weights.some((w) => /resnet_e50\.pth \(torch zip checkpoint, state dict 'model', 34 tensors\)/.test(w)),
      `the run says which state dict each side used: ${JSON.stringify(weights)}`,
    );
    const table = await frame.locator('[data-testid="weight-change"]').innerText();
    t.check(
      /^fc\.(weight|bias)/m.test(table.split('\n').slice(1).join('\n')),
      `largest weight change is the classifier: ${JSON.stringify(table.slice(0, 200))}`,
    );
    await t.shot('checkpoint-compare');
  });

  await t.step('checkpoint-change-on-graph', async () => {
    // The weight-change table's "Show on graph": the graph view colours each layer by its change, with a legend and
    // the node card listing the layer's parameters.
    const panel = await t.frameWithSelector('[data-testid="show-weight-change-on-graph"]', 30000);
    await panel.locator('[data-testid="show-weight-change-on-graph"]').first().click();
    const graph = await t.frameWithSelector('[data-testid="weight-legend"]', 30000);
    const legend = await graph.locator('[data-testid="weight-legend"]').innerText();
    const badges = graph.locator('[data-testid="weight-badge"]');
    await badges.first().waitFor({ timeout: 15000 });
    const values = await badges.evaluateAll((els) =>
      els.map((e) => ({ value: Number(e.getAttribute('data-value')), label: e.closest('[data-item]')?.getAttribute('aria-label') ?? '' })),
    );
    values.sort((a, b) => b.value - a.value);
    const stem = values.find((v) => /^Conv2d stem\b/.test(v.label) || / stem\b/.test(v.label));
    t.log(`weight badges: ${JSON.stringify(values.map((v) => [v.label.slice(0, 30), v.value.toFixed(3)]))}`);
    t.check(
      /Weight change: resnet_e10\.pth → resnet_e50\.pth/.test(legend) &&
        values.length >= 5 &&
        /Linear/.test(values[0].label) &&
        (!stem || stem.value < values[0].value / 5),
      `graph shows the change per layer, the classifier most: legend ${JSON.stringify(legend)}; top ${JSON.stringify(values[0])}`,
    );
    await graph
      .locator('[data-testid="weight-badge"]')
      .first()
      .evaluate(() => undefined);
    const fcNode = graph
      .locator('[data-testid="graph-node"]', { has: graph.locator('[data-testid="weight-badge"]') })
      .filter({ hasText: 'Linear' })
      .first();
    await fcNode.click();
    const card = await graph.locator('[data-testid="card-weights"]').innerText({ timeout: 10000 });
    t.check(/fc\.weight/.test(card) && /fc\.bias/.test(card), `node card lists the layer's parameter changes: ${JSON.stringify(card)}`);
    await t.shot('checkpoint-change-on-graph');
  });

  await t.step('checkpoint-viewer-graph', async () => {
    // A checkpoint that fits a workspace model: the viewer shows that model's graph with the checkpoint's tensors on it.
    await t.openFile('resnet_e50.pth');
    const frame = await t.frameWithSelector('[data-testid="ckpt-fit"]:has-text("resnet_e50") , [data-testid="ckpt-graph"] [data-testid="weight-badge"]', 60000);
    const fits = await frame.locator('[data-testid="ckpt-fits"]').innerText();
    t.check(
      /TinyResNet \(ckpt_resnet\.py\) — 34 \/ 34 parameters and buffers match/.test(fits),
      `viewer: the model it fits, with counts: ${JSON.stringify(fits)}`,
    );
    const badges = frame.locator('[data-testid="ckpt-graph"] [data-testid="weight-badge"]');
    await badges.first().waitFor({ timeout: 30000 });
    const legend = await frame.locator('[data-testid="weight-legend"]').innerText();
    const n = await badges.count();
    t.check(n >= 5 && /Weights: resnet_e50\.pth 'model'/.test(legend), `viewer graph carries the weights: ${n} badges, legend ${JSON.stringify(legend)}`);
    // the box may sit outside the stage's visible part: focus it and press Enter, as a keyboard user does
    await frame.locator('[data-testid="ckpt-graph"] [data-testid="graph-node"]', { hasText: 'Linear' }).first().press('Enter');
    const card = await frame.locator('[data-testid="card-weights"]').innerText({ timeout: 10000 });
    t.check(
      /fc\.weight/.test(card) && /\[1000, 8\]/.test(card) && /float32/.test(card) && /mean/.test(card),
      `node card: the checkpoint tensor's shape, dtype and figures: ${JSON.stringify(card.slice(0, 300))}`,
    );
    await t.shot('checkpoint-viewer-graph');
  });

  await t.step('checkpoint-viewer-entry', async () => {
    // A file with model and ema: the viewer reads another state dict when asked, and the graph shows its weights.
    await t.openFile('resnet_e10.pth');
    const frame = await t.frameWithSelector('[data-testid="ckpt-entry"]', 60000);
    await frame.locator('[data-testid="ckpt-entry"]', { hasText: 'ema' }).first().click();
    await frame.locator('[data-testid="ckpt-format"]', { hasText: "'ema'" }).waitFor({ timeout: 15000 });
    await frame.locator('[data-testid="weight-legend"]', { hasText: "'ema'" }).waitFor({ timeout: 15000 });
    const format = await frame.locator('[data-testid="ckpt-format"]').innerText();
    const entries = await frame.locator('[data-testid="ckpt-entries"]').innerText();
    t.check(
      /State dict: 'ema'/.test(format) && /model — 34 tensors/.test(entries),
      `viewer switched to the ema state dict: ${JSON.stringify(format)}; others ${JSON.stringify(entries)}`,
    );
    await t.shot('checkpoint-viewer-entry');
    // leave the workbench as the next steps expect it: no editor of ours left open (a CodeLens or graph of
    // TinyResNet beside their files would be read as theirs)
    await t.palette('View: Close All Editor Groups');
  });
}
