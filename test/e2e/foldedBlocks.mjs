// E2E steps: a model made of repeated blocks (a ViT-style stack of 12 identical encoder blocks) opens in the graph view
// with the blocks folded into one "Block ×12" box; a click unfolds it into the blocks, framed under the run's title.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = `import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        y = self.norm1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


# fusion-lens: input=1x3x32x32
class TinyViT(nn.Module):
    def __init__(self, dim=32, depth=12, heads=4, patch=8, classes=10):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        self.blocks = nn.Sequential(*[Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = self.blocks(x)
        return self.head(self.norm(x).mean(dim=1))
`;

/** `t` holds the driver's helpers: { page, wsDir, step, check, shot, openFile, palette, gotoLine, frameWithSelector, sleep, log }. */
export async function foldedBlocksSteps(t) {
  await t.step('folded-blocks', async () => {
    writeFileSync(join(t.wsDir, 'tiny_vit.py'), SOURCE);
    await t.sleep(1000);
    await t.openFile('tiny_vit.py');
    await t.page.locator('.tabs-container .tab.active', { hasText: 'tiny_vit.py' }).waitFor({ timeout: 30000 });
    await t.gotoLine(SOURCE.split('\n').findIndex((l) => l.includes('x = self.blocks(x)')));
    await t.palette('Fusion Lens: Show Fusion Graph');
    const frame = await t.frameWithSelector('[data-repeat="12"]', 90000);
    const fold = frame.locator('[data-repeat="12"]').first();
    const label = await fold.getAttribute('aria-label');
    t.check(/Block ×12/.test(label ?? ''), `the 12 encoder blocks open folded into one box: ${JSON.stringify(label)}`);
    // each block holds fusion points (attention, residual adds): the fold keeps the first one's badge, times the blocks
    const fusion = await fold.getAttribute('data-fusion-method');
    const badge =
      (await fold
        .locator('.badge')
        .first()
        .textContent()
        .catch(() => '')) ?? '';
    t.check(Boolean(fusion) && /×12$/.test(badge), `the folded box keeps the blocks' fusion points marked: ${fusion}, badge ${JSON.stringify(badge)}`);
    await t.sleep(1000);
    await t.shot('folded-blocks');
    await fold.click({ timeout: 15000 });
    const runFrame = frame.locator('[data-testid="scope-frame"]', { hasText: 'Block ×12' }).first();
    await runFrame.waitFor({ timeout: 30000 });
    const blocks = await frame.locator('[data-testid="scope-frame"]', { hasText: /blocks\.\d+/ }).count();
    t.check(
      (await frame.locator('[data-repeat]').count()) === 0 && blocks >= 1,
      `a click unfolds the run: frame "Block ×12" around ${blocks} visible block frame(s)`,
    );
    await t.sleep(1000);
    await t.shot('unfolded-blocks');
  });
}
