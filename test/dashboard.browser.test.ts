import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Assignment,
  CreatedToken,
  EventPage,
  FailureOutcome,
  Node,
  PlacementPreview,
} from '@kurento-fleet/contract';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { type ControlPlane, repoRoot, startControlPlane, testAdminToken } from './support/control-plane';
import { addUpNodes, placeInOrder } from './support/fleet';
import { tempDir } from './support/temp-dir';

/** The page refreshes every 2 s: waits span a refresh or two (vitest's default gives up after 1 s). */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 5000, interval: 50 });

const screenshotPath = join(repoRoot, 'test-output/dashboard.png');

/** Everything that went wrong in the page, and every request it made. */
function watch(page: Page) {
  const problems: string[] = [];
  const requests: { url: string; authorization: string | undefined }[] = [];
  page.on('console', (message) => {
    // A control plane without the stream route answers it 404; the feed then polls (see missingStream).
    if (message.location().url.endsWith('/v1/events/stream') && /status of 404/.test(message.text())) return;
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Aborted by the page itself: a reload cuts the requests in flight, sign-out stops the feed's.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('request', (request) =>
    requests.push({ url: request.url(), authorization: request.headers().authorization }),
  );
  return { problems, requests };
}

const row = (page: Page, id: string) => page.locator(`#nodes tbody tr[data-node="${id}"]`);

/** A time as the page shows it: the browser's own locale and time zone. */
const pageTime = (page: Page, iso: string) =>
  page.evaluate((at) => new Date(at).toLocaleTimeString([], { hour12: false }), iso);

describe('the dashboard in headless Chromium', () => {
  const dir = tempDir('fleet-dashboard-');
  let cp: ControlPlane;
  let browser: Browser;

  beforeAll(async () => {
    // A long heartbeat timeout: the nodes must stay up for the whole test without an agent.
    [cp, browser] = await Promise.all([
      startControlPlane({ FLEET_DB_PATH: join(dir.path, 'fleet.db'), FLEET_HEARTBEAT_TIMEOUT_MS: '600000' }),
      launchChromium(),
    ]);
    const agents = await addUpNodes(cp, { a: 5, b: 1, c: 1 });
    const load = { a: [42.5, 512_000, 5], b: [12, 204_800, 1], c: [91, 1_572_864, 1] } as const;
    for (const [id, [usedCpuPercent, usedMemoryKiB, pipelines]] of Object.entries(load)) {
      const kms = { version: '7.3.0', cpuCount: 4, usedCpuPercent, usedMemoryKiB, pipelines };
      const answer = await cp.request(
        'POST',
        `/v1/nodes/${id}/heartbeat`,
        { connected: true, kms },
        agents[id],
      );
      expect(answer.status).toBe(200);
    }
    await placeInOrder(cp, ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
  });

  afterAll(async () => {
    await browser?.close();
    await cp?.stop();
    dir.remove();
  });

  it('signs in, changes a weight, drains a node, shows the chart, and signs out', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const { problems, requests } = watch(page);

    await page.goto(cp.url);
    await eventually(() => page.isVisible('#sign-in')).toBe(true);
    expect(await page.isVisible('#dashboard')).toBe(false);
    expect(await page.locator('#nodes tbody tr').count()).toBe(0);
    expect(await page.content()).not.toContain('ws://127.0.0.1:9/');

    // A wrong token is refused with the API's message and stays on the sign-in form.
    await page.getByLabel('Admin token').fill('kf_not_a_real_token_0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.textContent('#sign-in-error')).toContain('invalid or has been revoked');
    expect(await page.isVisible('#dashboard')).toBe(false);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    // The browser logs the refused request itself; that one is expected.
    const refused = problems.findIndex((p) => p.includes('status of 401'));
    expect(refused).toBeGreaterThanOrEqual(0);
    problems.splice(refused, 1);

    await page.getByLabel('Admin token').fill(testAdminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.locator('#nodes tbody tr').count()).toBe(3);
    for (const id of ['a', 'b', 'c']) {
      expect(await row(page, id).locator('.badge.health-up').textContent()).toBe('up');
      expect(await row(page, id).locator('.badge.state-active').textContent()).toBe('active');
    }
    expect(await page.getByRole('spinbutton', { name: 'Weight of a' }).inputValue()).toBe('5');
    expect(await row(page, 'a').locator('th').textContent()).toBe('aws://127.0.0.1:9/a');
    const cells = await row(page, 'a').locator('td').allTextContents();
    // CPU as the guard reads it: 42.5 % of one core over 4 cores.
    expect(cells[2]).toBe('in rotation');
    expect(cells.slice(4, 9)).toEqual([
      '5 / ∞',
      ' 10.6 %',
      '500 MiB',
      '5',
      expect.stringMatching(/^\d+ s ago$/),
    ]);
    expect(await row(page, 'c').locator('td').nth(6).textContent()).toBe('1.5 GiB');

    // Change b's weight through the table; the API has it, and so does a reloaded page.
    await page.getByRole('spinbutton', { name: 'Weight of b' }).fill('3');
    await page.getByRole('button', { name: 'Save weight of b' }).click();
    await eventually(() => page.textContent('#notice')).toBe('Weight of b set to 3.');
    expect((await cp.request<Node>('GET', '/v1/nodes/b')).body.weight).toBe(3);
    await page.reload();
    await eventually(() => page.locator('#nodes tbody tr').count()).toBe(3);
    await eventually(() => page.getByRole('spinbutton', { name: 'Weight of b' }).inputValue()).toBe('3');

    // Drain a: the page shows it at once, and the API agrees.
    await page.getByRole('button', { name: 'Drain a' }).click();
    await eventually(() => row(page, 'a').locator('.badge.state-draining').count()).toBe(1);
    expect((await cp.request<Node>('GET', '/v1/nodes/a')).body.state).toBe('draining');
    expect(await row(page, 'a').locator('td.actions button').allTextContents()).toEqual([
      'Enable',
      'Disable',
    ]);

    // The chart: one group of bars per node; 5 of 7 placements went to a, which is now out of the rotation
    // (weight share 0), and b has 3 of the 4 eligible weight units.
    const groups = page.locator('#chart svg g.bar-group');
    await eventually(() => groups.count()).toBe(3);
    for (const id of ['a', 'b', 'c']) {
      const group = page.locator(`#chart svg g.bar-group[data-node="${id}"]`);
      expect(await group.locator('rect.bar-placed').count()).toBe(1);
      expect(await group.locator('rect.bar-weight').count()).toBe(1);
    }
    await eventually(() => page.locator('#chart .bar-value').allTextContents()).toEqual([
      '71 %',
      'not eligible',
      '14 %',
      '75 %',
      '14 %',
      '25 %',
    ]);
    expect(await page.textContent('#chart figcaption')).toContain('last 7 placements');
    // The feed: three nodes up, seven sessions placed, newest first.
    await eventually(() => page.locator('#events li').count()).toBe(10);
    expect(await page.locator('#events li .badge').allTextContents()).toEqual([
      ...Array(7).fill('session.placed'),
      ...Array(3).fill('node.up'),
    ]);
    // The next placements: a is draining, so b and c share them 3:1.
    await eventually(() => page.locator('#picks li').allTextContents()).toEqual(
      (await cp.request<PlacementPreview>('GET', '/v1/placements/preview?count=10')).body.nodeIds,
    );
    expect(await row(page, 'a').locator('td.rotation').textContent()).toBe('draining5 sessions left');

    mkdirSync(join(repoRoot, 'test-output'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });

    // Sign-out forgets the token and every figure.
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.isVisible('#sign-in')).toBe(true);
    expect(await page.locator('#nodes tbody tr').count()).toBe(0);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);

    // The token went only to this control plane's /v1 API, and only in the Authorization header.
    const withToken = requests.filter((r) => r.authorization === `Bearer ${testAdminToken}`);
    expect(withToken.length).toBeGreaterThan(0);
    for (const request of withToken) expect(request.url.startsWith(`${cp.url}/v1/`)).toBe(true);
    for (const request of requests) {
      expect(request.url.startsWith(cp.url)).toBe(true);
      expect(request.url).not.toContain(testAdminToken);
    }
    expect(await page.evaluate<number>('localStorage.length + document.cookie.length')).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows an API refusal, and returns to the sign-in form when the token is revoked', async () => {
    const created = await cp.request<CreatedToken>('POST', '/v1/tokens', {
      role: 'admin',
      name: 'dashboard test',
    });
    const page = await browser.newPage();
    const { problems } = watch(page);
    await page.goto(cp.url);
    await page.getByLabel('Admin token').fill(created.body.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.locator('#nodes tbody tr').count()).toBe(3);

    // c disappears behind the page's back, just after a refresh: saving its weight meets the API's 404.
    const weight = page.getByRole('spinbutton', { name: 'Weight of c' });
    await weight.fill('2');
    await page.waitForResponse((response) => response.url().endsWith('/v1/nodes'));
    expect((await cp.request('DELETE', '/v1/nodes/c?force=true')).status).toBe(204);
    await page.getByRole('button', { name: 'Save weight of c' }).click();
    await eventually(() => page.textContent('#alert-text')).toMatch(
      /^Could not set the weight of c: .*\(NOT_FOUND, request .+\)$/,
    );
    expect(await page.isVisible('#alert')).toBe(true);
    await eventually(() => page.locator('#nodes tbody tr').count()).toBe(2);
    // c's placement still counts, under the removed nodes, so the placement bars add up to the whole.
    await eventually(() => page.locator('#chart g.bar-group.removed .bar-label').textContent()).toBe(
      'removed nodes',
    );

    // A revoked token: the next refresh gets a 401 and the page goes back to the sign-in form.
    expect((await cp.request('DELETE', `/v1/tokens/${created.body.id}`)).status).toBe(204);
    await eventually(() => page.isVisible('#sign-in')).toBe(true);
    expect(await page.textContent('#sign-in-error')).toContain('Signed out: ');
    expect(await page.locator('#nodes tbody tr').count()).toBe(0);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    expect(problems.filter((p) => !/status of (404|401)/.test(p))).toEqual([]);
    await page.close();
  });
});

describe('the dashboard shows the placement policy at work, and a live event feed', () => {
  const dir = tempDir('fleet-dashboard-policy-');
  let cp: ControlPlane;
  let browser: Browser;
  let agents: Record<string, string>;
  let appToken: string;
  const kms = (perCore: number) => ({
    version: '7.3.0',
    cpuCount: 2,
    usedCpuPercent: 2 * perCore,
    usedMemoryKiB: 1024,
    pipelines: 0,
  });
  const report = async (id: string, perCore: number) =>
    expect(
      (
        await cp.request(
          'POST',
          `/v1/nodes/${id}/heartbeat`,
          { connected: true, kms: kms(perCore) },
          agents[id],
        )
      ).status,
    ).toBe(200);

  beforeAll(async () => {
    // Ramps of ten minutes and ejections as long: every state this test makes lasts until its end.
    [cp, browser] = await Promise.all([
      startControlPlane({
        FLEET_DB_PATH: join(dir.path, 'fleet.db'),
        FLEET_HEARTBEAT_TIMEOUT_MS: '600000',
        FLEET_SLOW_START_MS: '600000',
        FLEET_EJECTION_MS: '600000',
        FLEET_MAX_CPU_PERCENT: '80',
      }),
      launchChromium(),
    ]);
    agents = await addUpNodes(cp, { a: 10, b: 2, c: 1, d: 1 });
    for (const id of ['a', 'b', 'c', 'd']) await report(id, 10);
    appToken = (await cp.request<CreatedToken>('POST', '/v1/tokens', { role: 'app', name: 'app' })).body
      .token;
  });

  afterAll(async () => {
    await browser?.close();
    await cp?.stop();
    dir.remove();
  });

  async function signIn(page: Page) {
    await page.goto(cp.url);
    await page.getByLabel('Admin token').fill(testAdminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.locator('#nodes tbody tr').count()).toBe(4);
  }
  const rotation = (page: Page, id: string) => row(page, id).locator('td.rotation').textContent();
  const preview = async () =>
    (await cp.request<PlacementPreview>('GET', '/v1/placements/preview?count=10')).body.nodeIds;

  it('shows ramps, the next placements, the CPU guard, an ejection and its reason, and a drain to its end', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    const { problems } = watch(page);
    await signIn(page);

    // Slow start: a and b came up just now and ramp from a tenth of their weight; c and d have weight 1.
    await eventually(() => rotation(page, 'a')).toBe('ramping1 / 10slow start over 600 s');
    expect(await rotation(page, 'b')).toBe('ramping1 / 2slow start over 600 s');
    expect(await rotation(page, 'c')).toBe('in rotation');
    expect(await row(page, 'a').locator('td.rotation meter').getAttribute('value')).toBe('1');
    await eventually(() => page.locator('#picks li').allTextContents()).toEqual(await preview());
    expect(await page.textContent('#picks-caption')).toContain(
      'CPU guard at 80 % per core · slow start over 600 s',
    );
    // The stream route is another branch's; until it is there the feed polls.
    expect(['live', 'polling every 2 s']).toContain(await page.textContent('#feed-status'));

    // The CPU guard: c reports 95 % of its cores.
    await report('c', 95);
    await eventually(() => rotation(page, 'c')).toBe('CPU guard95.0 % ≥ 80 %');
    expect(await row(page, 'c').locator('td').nth(5).textContent()).toBe(' 95.0 %');

    // An application cannot reach d's KMS: d is ejected, with the reason it gave, and the feed says so at once.
    const reason = 'connect ECONNREFUSED 127.0.0.1:9';
    const failure = await cp.request<FailureOutcome>('POST', '/v1/nodes/d/failures', { reason }, appToken);
    expect(failure.status).toBe(202);
    const until = await pageTime(page, String(failure.body.ejectedUntil));
    await eventually(() => rotation(page, 'd')).toBe(`ejecteduntil ${until}${reason}`);
    await eventually(() => page.locator('#events li').first().textContent()).toContain('node.ejected');
    expect(await page.locator('#events li').first().textContent()).toContain(reason);
    await eventually(() => page.locator('#picks li').allTextContents()).toEqual(await preview());
    expect(await page.locator('#picks li').allTextContents()).not.toContain('d');

    // A drain, from three sessions to none: the progress, then the end the node.drained event marks.
    for (const sessionId of ['r1', 'r2', 'r3']) {
      const placed = await cp.request<Assignment>(
        'POST',
        '/v1/sessions',
        { sessionId, nodeId: 'b' },
        appToken,
      );
      expect(placed.status).toBe(201);
    }
    await page.getByRole('button', { name: 'Drain b' }).click();
    await eventually(() => rotation(page, 'b')).toBe('draining3 sessions left');
    for (const sessionId of ['r1', 'r2'])
      expect((await cp.request('DELETE', `/v1/sessions/${sessionId}`, undefined, appToken)).status).toBe(204);
    await eventually(() => rotation(page, 'b')).toBe('draining1 session left of 3');
    expect(await row(page, 'b').locator('td.rotation progress').getAttribute('value')).toBe('2');
    expect((await cp.request('DELETE', '/v1/sessions/r3', undefined, appToken)).status).toBe(204);
    const { events } = (await cp.request<EventPage>('GET', '/v1/events?types=node.drained')).body;
    expect(events).toHaveLength(1);
    await eventually(() => rotation(page, 'b')).toBe(
      `drainedat ${await pageTime(page, events[0]?.at ?? '')}`,
    );
    await eventually(() => page.locator('#events li').first().textContent()).toContain('node.drained');

    mkdirSync(join(repoRoot, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-output/dashboard-policy.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('follows the real event stream live, with fetch and the token', async () => {
    const page = await browser.newPage();
    const { problems } = watch(page);
    const streams: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/events/stream')) streams.push(request.headers().authorization);
    });
    await signIn(page);
    await eventually(() => page.textContent('#feed-status')).toBe('live');
    expect(streams[0]).toBe(`Bearer ${testAdminToken}`);
    expect(
      (await cp.request<Assignment>('POST', '/v1/sessions', { sessionId: 'live-one' }, appToken)).status,
    ).toBe(201);
    // Sooner than the 2 s poll would bring it (the feed is live: no poll runs), so the stream carried it.
    await expect
      .poll(() => page.locator('#events li').first().textContent(), { timeout: 1500, interval: 50 })
      .toContain('live-one');
    expect(await page.textContent('#feed-status')).toBe('live');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reads the event stream with fetch and the token, and resumes with Last-Event-ID after a break', async () => {
    const page = await browser.newPage();
    const { problems } = watch(page);
    // A stand-in for the stream route that breaks on purpose (the real one ends only with its server): it
    // carries the API's own events as text/event-stream, and a body that ends is a break, after which the page
    // catches up and reconnects with the last id it got.
    const streams: { authorization: string | undefined; lastEventId: string | undefined }[] = [];
    await page.route('**/v1/events/stream', async (route) => {
      const headers = route.request().headers();
      streams.push({ authorization: headers.authorization, lastEventId: headers['last-event-id'] });
      let body = ': keep-alive\r\n\r\n';
      if (streams.length === 1) {
        // A real event, made while the stream is open, and carried by it.
        expect(
          (await cp.request<Assignment>('POST', '/v1/sessions', { sessionId: 'streamed' }, appToken)).status,
        ).toBe(201);
        const after = (await cp.request<EventPage>('GET', `/v1/events?after=${headers['last-event-id']}`))
          .body.events;
        body += after
          .map(
            (e: { id: string; type: string }) =>
              `id: ${e.id}\r\nevent: ${e.type}\r\ndata: ${JSON.stringify(e)}\r\n\r\n`,
          )
          .join(': keep-alive\r\n\r\n');
      }
      await route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body });
    });
    await signIn(page);
    await eventually(() => streams.length).toBeGreaterThanOrEqual(2);
    const newest = (await cp.request<EventPage>('GET', '/v1/events?limit=1')).body.events[0];
    expect(newest).toMatchObject({ type: 'session.placed', sessionId: 'streamed' });
    expect(streams[0]?.authorization).toBe(`Bearer ${testAdminToken}`);
    expect(streams[1]).toEqual({ authorization: `Bearer ${testAdminToken}`, lastEventId: newest?.id });
    await eventually(() => page.locator('#events li').first().textContent()).toContain('streamed');
    // Delivered by the stream and seen again by the catch-up poll: shown once.
    expect(await page.locator('#events li', { hasText: 'streamed' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});
