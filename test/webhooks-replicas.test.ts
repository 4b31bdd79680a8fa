import type { Assignment, CreatedWebhook, EventPage } from '@kurento-fleet/contract';
import { startWebhookReceiver, type WebhookReceiver } from '@kurento-fleet/processes';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from './support/control-plane';
import { addUpNodes } from './support/fleet';
import { type Sqld, startSqld } from './support/sqld';
import { tempDir } from './support/temp-dir';

/**
 * Two control-plane processes on one database (one SQLite file; one libSQL server, as replicas on several
 * machines), both writing events and both delivering them: the receiver gets one webhook's events one at a
 * time, in id order, each accepted once, whichever process writes or delivers. The receiver refuses every
 * seventh request, so that the lease is handed back again and again and taken by either process.
 */

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe.each(['sqlite', 'libsql'] as const)('two replicas on one %s database', (variant) => {
  it('deliver one webhook’s events one at a time, in order, each once', async () => {
    const dir = tempDir('fleet-replicas-');
    stops.push(async () => dir.remove());
    let sqld: Sqld | undefined;
    if (variant === 'libsql') {
      sqld = await startSqld(dir.path);
      stops.push(() => (sqld as Sqld).stop());
    }
    const env = {
      ...(sqld ? { FLEET_DB_URL: sqld.url } : { FLEET_DB_PATH: `${dir.path}/fleet.db` }),
      FLEET_HEARTBEAT_TIMEOUT_MS: '600000',
      FLEET_OUTBOX_POLL_MS: '20',
      FLEET_WEBHOOK_BACKOFF_MS: '5',
      FLEET_WEBHOOK_MAX_BACKOFF_MS: '20',
    };
    const replicas: ControlPlane[] = await Promise.all([startControlPlane(env), startControlPlane(env)]);
    for (const cp of replicas) stops.push(() => cp.stop());
    const receiver: WebhookReceiver = await startWebhookReceiver();
    stops.push(() => receiver.close());
    let inFlight = 0;
    let most = 0;
    let answered = 0;
    receiver.answer = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Long enough that the other replica's wake-ups fall inside an attempt.
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      return ++answered % 7 === 0 ? 500 : 200;
    };
    const [one, two] = replicas as [ControlPlane, ControlPlane];
    const { body: created } = await one.request<CreatedWebhook>('POST', '/v1/webhooks', {
      url: receiver.url,
    });
    await addUpNodes(one, { a: 1, b: 1 });
    // Both processes write, 4 requests at a time each, so both wake their dispatchers again and again.
    const total = 200;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = next++; i < total; i = next++)
          await [one, two][worker % 2]!.request<Assignment>('POST', '/v1/sessions', { sessionId: `s${i}` });
      }),
    );
    const { body } = await one.request<EventPage>(
      'GET',
      `/v1/events?after=${created.webhook.delivery.afterEventId}&limit=1000`,
    );
    const expected = body.events.map((e: { id: string }) => e.id);
    expect(expected).toHaveLength(total + 2);
    const accepted = () =>
      receiver.received.filter((d) => d.status === 200).map((d) => JSON.parse(d.body).id);
    await receiver.waitFor(() => accepted().length >= expected.length, 60_000, 'every event');
    // A little longer: nothing more may come (no event accepted twice).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(accepted()).toEqual(expected);
    // Every request, refused ones included, goes to the same event or the next: never back, never ahead.
    const ids = receiver.received.map((d) => Number(JSON.parse(d.body).id));
    expect(
      ids.every(
        (id, i) =>
          i === 0 || id === ids[i - 1] || id === Number(expected[expected.indexOf(String(ids[i - 1])) + 1]),
      ),
    ).toBe(true);
    expect(most).toBe(1);
    // Both processes delivered: each logged some of the refusals it met.
    const refusals = replicas.map(
      (cp) => cp.logs.filter((line) => line.message === 'webhook delivery failed').length,
    );
    expect(
      refusals.every((count) => count > 0),
      `refusals met by each process: ${refusals}`,
    ).toBe(true);
  }, 120_000);
});
