// E2E steps: the graph view's Run button (shown for the model on show) runs that model in the run panel.

/** `t` holds the driver's helpers: { page, step, check, shot, frameWithSelector, sleep, log }. */
export async function graphRunButtonSteps(t) {
  const { page, step, check, shot, frameWithSelector, sleep } = t;
  await step('graph-run-button', async () => {
    // The side graph view shows FusionModel (previous step); its Run button is visible there.
    const graph = await frameWithSelector('[data-fusion-method="concat"]', 30000);
    const button = graph.locator('[data-testid="run-model"]').first();
    const shown = await button.isVisible().catch(() => false);
    check(shown, 'the graph view shows a Run button for the model on show');
    if (!shown) return;
    // Runs already on show in the run panel, so the new one can be told apart.
    const before = new Set();
    for (const f of page.frames()) {
      for (const id of await f
        .locator('[data-testid="run-results"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')))
        .catch(() => []))
        before.add(id);
    }
    await button.click();
    // With weight files in the workspace Run Fusion Model asks which weights: take the first (seeded) entry.
    const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    if (
      await pick.waitFor({ timeout: 5000 }).then(
        () => true,
        () => false,
      )
    ) {
      await sleep(300);
      await page.keyboard.press('Enter');
    }
    const fresh = [...before].map((id) => `:not([data-run-id="${id}"])`).join('');
    const selector = `[data-testid="run-results"]${fresh} [data-model="FusionModel"]`;
    const panel = await frameWithSelector(selector, 120000).catch(() => null);
    const models = panel
      ? await panel
          .locator(`[data-testid="run-results"]${fresh} [data-testid="model-result"]`)
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-model')))
      : [];
    check(
      panel !== null && models.length === 1 && models[0] === 'FusionModel',
      `the Run button ran the model on show in the run panel: ${JSON.stringify(models)}`,
    );
    await sleep(800);
    await shot('graph-run-button');
  });
}
