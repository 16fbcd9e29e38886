// E2E steps: a workspace .venv holding timm (copied from ../shared/timm at test time); a model file using
// timm.create_model shows hover shapes and the graph. Imports resolve from the venv's site-packages, never run.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../support/shared.mjs';

const TIMM = sharedPath('timm', 'deps', 'timm');

/**
 * Screen box of `word` on the first editor line containing `lineText`, measured on the rendered characters (a DOM Range
 * over the word's text): a token span may hold neighbours too, and an inlay hint after the code makes any estimate from
 * the line's width and length wrong.
 */
async function wordBox(page, lineText, word) {
  // The editor re-renders its lines (file just opened, a CodeLens or inlay hint arriving): measure again if one went away.
  for (let attempt = 1; ; attempt++) {
    try {
      return await measureWord(page, lineText, word);
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function measureWord(page, lineText, word) {
  const line = page.locator('.editor-instance .view-line', { hasText: lineText }).first();
  await line.waitFor({ timeout: 30000 });
  await line.scrollIntoViewIfNeeded({ timeout: 5000 });
  const box = await line.evaluate((el, w) => {
    const walker = document.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = (n.textContent ?? '').search(new RegExp(`\\b${w}\\b`));
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + w.length);
      const b = r.getBoundingClientRect();
      return { x: b.x, y: b.y, width: b.width, height: b.height };
    }
    return null;
  }, word);
  if (!box) throw new Error(`no '${word}' on the line '${lineText}'`);
  return box;
}

/** One hover, as a person makes it (mouse away, then onto the word): the hover's text, or '' when none shows within `ms`. */
async function hoverOnce(t, lineText, word, ms = 6000) {
  const box = await wordBox(t.page, lineText, word);
  await t.page.mouse.move(5, 5);
  await t.sleep(300);
  await t.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = t.page.locator('.monaco-hover:visible').first();
  return hover.waitFor({ timeout: ms }).then(
    () => hover.innerText(),
    () => '',
  );
}

/** Opens a file by its absolute path with Quick Open (files below .venv are not in its index of the workspace). */
async function openPath(t, path, name) {
  await t.page.keyboard.press('Escape');
  const center = t.page.locator('.command-center .command-center-center').first();
  if (await center.isVisible().catch(() => false)) await center.click();
  else await t.page.keyboard.press('Control+p');
  const input = t.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(path);
  await t.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: 15000 });
  await t.page.keyboard.press('Enter');
}

/**
 * `t` holds the driver's helpers: { page, wsDir, step, check, shot, openFile, hoverText, palette, gotoLine, frameWithText, sleep, log }.
 */
export async function timmWorkspaceSteps(t) {
  if (!existsSync(join(TIMM, '__init__.py'))) {
    t.log(`skipping the timm steps: timm sources not found at ${TIMM} (set FUSION_LENS_SHARED)`);
    return;
  }
  const source = [
    'import torch',
    'import torch.nn as nn',
    'import timm',
    '',
    '',
    '# fusion-lens: input=1x3x224x224',
    'class TimmClassifier(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    "        self.backbone = timm.create_model('resnet18', num_classes=10)",
    '',
    '    def forward(self, x):',
    '        logits = self.backbone(x)',
    '        return logits',
    '',
  ];
  await t.step('timm-venv', async () => {
    // A virtual environment as `python -m venv .venv && pip install timm` leaves it (only what the analysis reads).
    const site = join(t.wsDir, '.venv', 'lib', 'python3.11', 'site-packages');
    mkdirSync(site, { recursive: true });
    cpSync(TIMM, join(site, 'timm'), { recursive: true, filter: (p) => !p.includes('__pycache__') });
    writeFileSync(join(t.wsDir, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n');
    writeFileSync(join(t.wsDir, 'timm_classifier.py'), source.join('\n'));
    await t.sleep(1500);
    await t.openFile('timm_classifier.py');
    await t.page.locator('.tabs-container .tab.active', { hasText: 'timm_classifier.py' }).waitFor({ timeout: 30000 });
    // The first analysis imports timm (seconds): a hover meanwhile says so or shows the shape, never nothing.
    const early = await hoverOnce(t, 'logits = self.backbone(x)', 'logits');
    t.check(
      /analysing this file|\[1, 10\]/.test(early),
      `a hover during the first analysis says it is analysing (or shows the shape): ${JSON.stringify(early.slice(0, 160))}`,
    );
    await t.shot('timm-hover-during-first-analysis');
    const lens = t.page.locator('.contentWidgets .codelens-decoration', { hasText: /params/ }).first();
    await lens.waitFor({ timeout: 120000 });
    const text = await lens.innerText();
    // resnet18 with a 10-class head: 11,181,642 parameters.
    t.check(/11[.,]2\s*M|11,181,642|11\.18/.test(text), `CodeLens of a model built by timm.create_model('resnet18') from the .venv: ${JSON.stringify(text)}`);
    await t.shot('timm-model-open');
  });

  await t.step('timm-hover', async () => {
    // Once the analysis is there, the first hover shows the shape (no retry).
    const hover = await hoverOnce(t, 'logits = self.backbone(x)', 'logits');
    t.check(
      /\[B, 10\]/.test(hover) && /\[1, 10\]/.test(hover),
      `first hover on logits after the analysis shows the timm model's output [B, 10] · [1, 10]: ${JSON.stringify(hover.slice(0, 160))}`,
    );
    await t.shot('timm-hover');
    await t.page.mouse.move(5, 5);
  });

  await t.step('timm-graph', async () => {
    await t.gotoLine(source.indexOf('        logits = self.backbone(x)'));
    await t.palette('Fusion Lens: Show Fusion Graph');
    const { text } = await t.frameWithText(/layer4/, 90000, true);
    t.check(/layer4/.test(text) && /fc/.test(text), 'the graph view shows the timm ResNet (layer1…layer4, fc)');
    await t.sleep(1500);
    await t.shot('timm-graph');
  });

  await t.step('timm-library-hover', async () => {
    // A file of the installed library, opened from the .venv: analysed like any file (its classes need arguments, so
    // no model), and a hover on its code answers without an error.
    const file = join(t.wsDir, '.venv', 'lib', 'python3.11', 'site-packages', 'timm', 'models', 'resnet.py');
    await openPath(t, file, 'resnet.py');
    await t.page.locator('.tabs-container .tab.active', { hasText: 'resnet.py' }).waitFor({ timeout: 30000 });
    await t.gotoLine(
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('x = self.conv1(x)')),
    );
    await t.sleep(4000);
    const hover = await hoverOnce(t, 'x = self.conv1(x)', 'conv1', 4000);
    const errors = await t.page.locator('.notifications-toasts .notification-toast', { hasText: /Fusion Lens|analysis/i }).allInnerTexts();
    t.check(
      errors.length === 0 && !/error|failed/i.test(hover),
      `hover in timm's resnet.py from the .venv gives no error: hover ${JSON.stringify(hover.slice(0, 120))}, notifications ${JSON.stringify(errors)}`,
    );
    await t.shot('timm-library-file-hover');
    await t.page.mouse.move(5, 5);
  });
}
