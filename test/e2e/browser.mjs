// The headless Chromium every e2e driver uses (Debian's, flags from ../shared/e2e-reference), and the wait for a webview
// frame holding a selector. Shared by driveWorkbench.mjs, backendSteps.mjs (a second browser with WebGPU) and wasmTiming.mjs.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

/** A persistent Chromium context in a fresh profile folder; `extraArgs` adds flags (`--enable-unsafe-webgpu`). */
export async function launchChromium(profilePrefix = 'chromium-profile-', extraArgs = []) {
  const profile = mkdtempSync(join(process.env.TMPDIR || tmpdir(), profilePrefix));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      ...extraArgs,
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  return { profile, ctx, page };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The first frame of `page` (webviews are nested frames) where `selector` matches, polled until `timeout` ms. */
export async function frameOf(page, selector, timeout = 60000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      if (
        (await f
          .locator(selector)
          .count()
          .catch(() => 0)) > 0
      )
        return f;
    }
    await sleep(500);
  }
  throw new Error(`no frame has ${selector}`);
}
