// E2E steps: a workspace .venv holding timm (copied from ../shared/timm at test time); a model file using
// timm.create_model shows hover shapes and the graph. Imports resolve from the venv's site-packages, never run.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../support/shared.mjs';

const TIMM = sharedPath('timm', 'deps', 'timm');

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
    const lens = t.page.locator('.contentWidgets .codelens-decoration', { hasText: /params/ }).first();
    await lens.waitFor({ timeout: 120000 });
    const text = await lens.innerText();
    // resnet18 with a 10-class head: 11,181,642 parameters.
    t.check(/11[.,]2\s*M|11,181,642|11\.18/.test(text), `CodeLens of a model built by timm.create_model('resnet18') from the .venv: ${JSON.stringify(text)}`);
    await t.shot('timm-model-open');
  });

  // The hover on `logits` is checked at the engine level (test/unit/extension/timmHover.test.ts): in the workbench it
  // did not appear for this file (CodeLens, inlay hint and graph do), an open defect of the timm work.

  await t.step('timm-graph', async () => {
    await t.gotoLine(source.indexOf('        logits = self.backbone(x)'));
    await t.palette('Fusion Lens: Show Fusion Graph');
    const { text } = await t.frameWithText(/layer4/, 90000, true);
    t.check(/layer4/.test(text) && /fc/.test(text), 'the graph view shows the timm ResNet (layer1…layer4, fc)');
    await t.sleep(1500);
    await t.shot('timm-graph');
  });
}
