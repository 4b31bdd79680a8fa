import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import type { PageState, Scenario } from './page/protocol';

export type { PageState, Scenario };

/** A browser tab running one call of the tutorial application. */
export interface CallPage {
  readonly page: Page;
  /** Errors the page threw or logged. */
  readonly problems: readonly string[];
  /** The page's state with fresh inbound media counts. */
  read(): Promise<PageState>;
  /** Polls the state until `predicate` holds; rejects with the last state after `timeoutMs`. */
  waitFor(predicate: (state: PageState) => boolean, timeoutMs: number): Promise<PageState>;
  close(): Promise<void>;
}

interface TestHook {
  kurentoTest: { run(scenario: Scenario): Promise<void>; read(): Promise<PageState> };
}

/** Opens the application's page in a new tab and starts `scenario` (the page offers, the application answers). */
export async function openCallPage(browser: Browser, appUrl: string, scenario: Scenario): Promise<CallPage> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(appUrl);
  await page.waitForFunction(() => 'kurentoTest' in globalThis);
  await page.evaluate((s) => (globalThis as unknown as TestHook).kurentoTest.run(s), scenario);
  const read = () => page.evaluate(() => (globalThis as unknown as TestHook).kurentoTest.read());
  return {
    page,
    problems,
    read,
    async waitFor(predicate, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      let state = await read();
      while (!predicate(state)) {
        if (state.error !== undefined || performance.now() > deadline) {
          throw new Error(`page state not reached: ${JSON.stringify(state)} ${problems.join('; ')}`);
        }
        await sleep(100);
        state = await read();
      }
      return state;
    },
    close: () => page.close(),
  };
}
