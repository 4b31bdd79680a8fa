import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { type ControlPlane, type Runtime, startControlPlane } from './support/control-plane';
import { tempDir } from './support/temp-dir';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each<Runtime>(['node', 'edge'])('GET /docs in headless Chromium (%s)', (runtime) => {
  const dir = tempDir('fleet-docs-');
  let cp: ControlPlane;

  beforeAll(async () => {
    cp = await startControlPlane(
      { FLEET_DB_PATH: join(dir.path, 'fleet.db'), FLEET_EDGE_STATE_DIR: join(dir.path, 'edge') },
      runtime,
    );
  }, 60_000);
  afterAll(async () => {
    await cp?.stop();
    dir.remove();
  });

  it('renders the API reference from this server alone, without a token', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    const problems: string[] = [];
    // Anything not served by the control plane is refused and recorded: the page must not need it.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(cp.url)) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // The page's Content-Security-Policy must not be in the renderer's way.
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });

    await page.goto(`${cp.url}/docs`);
    const title = 'Place a session on a node (sticky for its life)';
    await expect.poll(() => page.getByText(title).first().isVisible(), { timeout: 15_000 }).toBe(true);
    // Every operation of the document is on the page, not only the first group.
    const spec = (await (await fetch(`${cp.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary: string }>>;
    };
    const summaries = Object.values(spec.paths).flatMap((item) =>
      Object.values(item).map((op) => op.summary),
    );
    expect(summaries.length).toBeGreaterThanOrEqual(19);
    for (const text of [...summaries, 'kurento-fleet control plane']) {
      await expect
        .poll(() => page.getByText(text).first().isVisible(), { message: text, timeout: 5000 })
        .toBe(true);
    }
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
