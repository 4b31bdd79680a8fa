import { verifyWebhookSignature } from '@kurento-fleet/client';
import type {
  Assignment,
  CreatedWebhook,
  DeliveryList,
  EventPage,
  WebhookList,
} from '@kurento-fleet/contract';
import { startWebhookReceiver, type WebhookReceiver } from '@kurento-fleet/processes';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, type Runtime, startControlPlane } from './support/control-plane';
import { addUpNodes, placeInOrder } from './support/fleet';
import { freePort } from './support/processes';
import { tempDir } from './support/temp-dir';
import { quickWebhookEnv } from './support/webhook-settings';

/**
 * Webhook delivery by the real control plane process, on both runtimes (Node + SQLite file; `start:edge`:
 * workerd + D1), to a real receiver: a receiver that is down, then up, across a restart; a SIGKILL in the middle
 * of a burst; retries with growing delays. Short retry settings (FLEET_WEBHOOK_*) keep each test in seconds.
 */

const running: ControlPlane[] = [];
const receivers: WebhookReceiver[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  for (const cp of running.splice(0)) await cp.kill();
  for (const receiver of receivers.splice(0)) await receiver.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

async function receiver(port?: number) {
  const started = await startWebhookReceiver({ port });
  receivers.push(started);
  return started;
}

/** Outbox ids after `after`, oldest first, as the control plane holds them. */
async function outboxAfter(cp: ControlPlane, after: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = String(after);
  while (cursor !== null) {
    const { body }: { body: { events: { id: string }[]; nextCursor: string | null } } =
      await cp.request<EventPage>('GET', `/v1/events?after=${cursor}&limit=1000`);
    ids.push(...body.events.map((e) => e.id));
    cursor = body.nextCursor;
  }
  return ids;
}

/** Event ids in the order they first arrived: at least once means repeats may come, never a step back. */
function firstArrivals(r: WebhookReceiver): string[] {
  const seen = new Set<string>();
  for (const delivery of r.received) if (delivery.status === 200) seen.add(JSON.parse(delivery.body).id);
  return [...seen];
}

describe.each(['node', 'edge'] as Runtime[])('webhooks on the %s runtime', (runtime) => {
  const dir = () => {
    const made = tempDir('fleet-webhooks-');
    dirs.push(made);
    return made.path;
  };
  const start = async (path: string, extra: Record<string, string> = {}) => {
    const cp = await startControlPlane({ ...quickWebhookEnv(path), ...extra }, runtime);
    running.push(cp);
    return cp;
  };

  it('delivers right after the write, with the poll and the cron a minute away (a wake-up; waitUntil)', async () => {
    const r = await receiver();
    const cp = await start(dir(), { FLEET_OUTBOX_POLL_MS: '60000', FLEET_HEARTBEAT_INTERVAL_MS: '60000' });
    await cp.request<CreatedWebhook>('POST', '/v1/webhooks', { url: r.url, types: ['session.placed'] });
    await addUpNodes(cp, { a: 1 });
    const written = Date.now();
    await placeInOrder(cp, ['now']);
    await r.waitFor((received) => received.length === 1, 10_000, 'the delivery');
    expect(r.received[0]!.at - written).toBeLessThan(3000);
  }, 60_000);

  it('a receiver that is down, then up, gets every event once the control plane restarts', async () => {
    const path = dir();
    const port = await freePort();
    let cp = await start(path);
    const { body: created } = await cp.request<CreatedWebhook>('POST', '/v1/webhooks', {
      url: `http://127.0.0.1:${port}/hook`,
    });
    const after = Number(created.webhook.delivery.afterEventId);
    await addUpNodes(cp, { a: 1, b: 1 });
    await placeInOrder(cp, ['r1', 'r2', 'r3', 'r4']);
    // Nothing listens: the first event is retried, the others wait behind it.
    const failing = async () =>
      (await cp.request<WebhookList>('GET', '/v1/webhooks')).body.webhooks[0]?.delivery.failures ?? 0;
    const deadline = Date.now() + 20_000;
    while ((await failing()) < 2) {
      if (Date.now() > deadline) throw new Error('no failed attempt was recorded');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const expected = await outboxAfter(cp, after);
    expect(expected).toHaveLength(6);
    expect(await cp.stop()).toBe(0);

    const r = await receiver(port);
    cp = await start(path);
    await r.waitFor(
      (received) => received.filter((d) => d.status === 200).length >= 6,
      30_000,
      'every event',
    );
    expect(firstArrivals(r)).toEqual(expected);
    for (const delivery of r.received)
      expect(await verifyWebhookSignature(created.secret, delivery.headers, delivery.body)).toBe(true);
    const { body } = await cp.request<DeliveryList>('GET', `/v1/webhooks/${created.webhook.id}/deliveries`);
    expect(body.deliveries.map((d: { eventId: string; status: string }) => [d.eventId, d.status])).toEqual(
      [...expected].reverse().map((id) => [id, 'delivered']),
    );
    expect(body.deliveries.at(-1)?.attempts).toBeGreaterThan(1);
  }, 120_000);

  it('loses no delivery across a SIGKILL in the middle of a burst: every event arrives, in order', async () => {
    const path = dir();
    const r = await receiver();
    const first = await start(path);
    const { body: created } = await first.request<CreatedWebhook>('POST', '/v1/webhooks', { url: r.url });
    const after = Number(created.webhook.delivery.afterEventId);
    await addUpNodes(first, { a: 1, b: 2 });
    let killed = false;
    let next = 0;
    const worker = async () => {
      while (!killed && next < 2000) {
        const sessionId = `burst-${next++}`;
        await first.request<Assignment>('POST', '/v1/sessions', { sessionId }).catch(() => {});
        if (!killed && r.received.length >= 40) {
          killed = true;
          await first.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(killed).toBe(true);
    const arrivedBeforeKill = r.received.length;

    const second = await start(path);
    const expected = await outboxAfter(second, after);
    expect(expected.length).toBeGreaterThan(arrivedBeforeKill);
    await r.waitFor(
      () => firstArrivals(r).length >= expected.length,
      60_000,
      `all ${expected.length} events (${arrivedBeforeKill} arrived before the kill)`,
    );
    expect(firstArrivals(r)).toEqual(expected);
  }, 120_000);

  it('retries a receiver that answers 500 with growing delays, then delivers', async () => {
    const path = dir();
    const r = await receiver();
    let answered = 0;
    r.answer = () => (++answered <= 4 ? 500 : 200);
    const cp = await start(path, { FLEET_WEBHOOK_BACKOFF_MS: '300', FLEET_WEBHOOK_MAX_BACKOFF_MS: '60000' });
    const { body: created } = await cp.request<CreatedWebhook>('POST', '/v1/webhooks', {
      url: r.url,
      types: ['node.up'],
    });
    await addUpNodes(cp, { a: 1 });
    await r.waitFor((received) => received.length >= 5, 30_000, 'four refusals and a delivery');
    const ids = new Set(r.received.map((d) => JSON.parse(d.body).id));
    expect(ids.size).toBe(1);
    const gaps = r.received.slice(1).map((d, i) => d.at - r.received[i]!.at);
    // 300, 600, 1200, 2400 ms, each a little later (the wake-up, the edge's cron every 200 ms), never earlier.
    gaps.forEach((gap, i) => {
      expect(gap, `gap ${i}: ${gaps}`).toBeGreaterThanOrEqual(300 * 2 ** i - 20);
      expect(gap, `gap ${i}: ${gaps}`).toBeLessThan(300 * 2 ** i + 2000);
    });
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    const { body } = await cp.request<DeliveryList>('GET', `/v1/webhooks/${created.webhook.id}/deliveries`);
    expect(body.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 5, lastStatus: 200 });
  }, 120_000);
});
