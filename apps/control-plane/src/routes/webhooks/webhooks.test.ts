import { verifyWebhookSignature } from '@kurento-fleet/client/webhook-signature';
import { startWebhookReceiver, type WebhookReceiver } from '@kurento-fleet/processes';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, expectError, type Harness, placeMany } from '../../testing/harness';

/**
 * Webhooks on both runtimes, delivered to a real HTTP receiver on loopback: what a delivery carries, the order,
 * retries and their backoff, the end of the retry window, and the delivery log. Deliveries run when the test
 * says (h.deliver(): one pass of the dispatcher, as the Workers cron makes it), at the test clock's time.
 */

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});

async function receiver() {
  const started = await startWebhookReceiver();
  receivers.push(started);
  return started;
}

async function addWebhook(h: Harness, body: Record<string, unknown>) {
  const { status, body: created } = await h.json('POST', '/v1/webhooks', { body });
  expect(status, JSON.stringify(created)).toBe(201);
  return created as { webhook: { id: string } & Record<string, any>; secret: string };
}

const allEvents = async (h: Harness) =>
  (await h.json('GET', '/v1/events?after=0&limit=1000')).body.events as any[];
const deliveries = async (h: Harness, id: string) =>
  (await h.json('GET', `/v1/webhooks/${id}/deliveries`)).body.deliveries as any[];
const receivedIds = (r: WebhookReceiver) => r.received.map((d) => JSON.parse(d.body).id as string);

describe('POST/GET/DELETE /v1/webhooks', () => {
  it('creates a webhook, shows its secret once, lists it without, and deletes it', async () => {
    const h = await createHarness();
    const created = await addWebhook(h, {
      url: 'https://app.example.com/hook?k=1',
      types: ['session.placed', 'node.down', 'session.placed'],
      description: 'rooms',
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.webhook).toEqual({
      id: expect.stringMatching(/^wh_[0-9a-f]{16}$/),
      url: 'https://app.example.com/hook?k=1',
      types: ['node.down', 'session.placed'],
      description: 'rooms',
      createdAt: new Date(h.clock.ms).toISOString(),
      delivery: { afterEventId: '0', failures: 0, retryAt: null },
    });
    const listed = await h.json('GET', '/v1/webhooks');
    expect(listed).toEqual({ status: 200, body: { webhooks: [created.webhook] } });
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);
    expect((await h.call('DELETE', `/v1/webhooks/${created.webhook.id}`)).status).toBe(204);
    await expectError(await h.call('DELETE', `/v1/webhooks/${created.webhook.id}`), 404, 'NOT_FOUND', 'wh_');
    expect((await h.json('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
  });

  it.each([
    ['ftp', { url: 'ftp://example.com/x' }, 'url'],
    ['not a URL', { url: 'not a url' }, 'url'],
    ['no host', { url: 'http://' }, 'url'],
    ['a URL over 2048 characters', { url: `https://example.com/${'x'.repeat(2048)}` }, 'url'],
    ['no types', { url: 'https://example.com/', types: [] }, 'types'],
    ['an unknown type', { url: 'https://example.com/', types: ['node.exploded'] }, 'types'],
    ['an empty description', { url: 'https://example.com/', description: '' }, 'description'],
    ['a secret of its own', { url: 'https://example.com/', secret: 'mine' }, 'secret'],
    ['no url', {}, 'url'],
  ])('refuses %s with 400 naming the field, changing nothing', async (_, body, field) => {
    const h = await createHarness();
    const before = await h.snapshot();
    await expectError(await h.call('POST', '/v1/webhooks', { body }), 400, 'BAD_REQUEST', field);
    expect(await h.snapshot()).toEqual(before);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    const h = await createHarness();
    await expectError(await h.call('GET', '/v1/webhooks/nope/deliveries'), 400, 'BAD_REQUEST', 'id');
    await expectError(await h.call('GET', '/v1/webhooks/wh_0123456789abcdef/deliveries'), 404, 'NOT_FOUND');
    await expectError(await h.call('DELETE', '/v1/webhooks/wh_0123456789abcdef'), 404, 'NOT_FOUND');
  });

  it('is for admins only', async () => {
    const h = await createHarness();
    const app = await h.appToken();
    const body = { url: 'https://example.com/' };
    await expectError(await h.call('POST', '/v1/webhooks', { body, token: app }), 403, 'FORBIDDEN');
    await expectError(await h.call('GET', '/v1/webhooks', { token: app }), 403, 'FORBIDDEN');
  });
});

describe('delivery', () => {
  it('POSTs each event from the webhook’s creation on, in order, signed, as GET /v1/events shows it', async () => {
    const h = await createHarness();
    const r = await receiver();
    await h.addUpNodes({ a: 1 }); // node.up, before the webhook: not delivered
    const { webhook, secret } = await addWebhook(h, { url: r.url });
    await placeMany(h, 3, 'room-');
    await h.call('DELETE', '/v1/sessions/room-1');
    await h.deliver();

    const expected = (await allEvents(h)).filter((e) => Number(e.id) > 1);
    expect(expected.map((e) => e.type)).toEqual([
      'session.placed',
      'session.placed',
      'session.placed',
      'session.released',
    ]);
    expect(r.received.map((d) => JSON.parse(d.body))).toEqual(expected);
    for (const delivery of r.received) {
      const event = JSON.parse(delivery.body);
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['x-fleet-event']).toBe(event.type);
      expect(delivery.headers['x-fleet-delivery']).toBe(event.id);
      expect(Math.abs(Number(delivery.headers['x-fleet-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(delivery.headers['x-fleet-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(await verifyWebhookSignature(secret, delivery.headers, delivery.body)).toBe(true);
      expect(await verifyWebhookSignature(`${secret}x`, delivery.headers, delivery.body)).toBe(false);
    }
    const log = await deliveries(h, webhook.id);
    expect(log.map((d) => [d.eventId, d.type, d.status, d.attempts, d.lastStatus, d.lastError])).toEqual(
      expected.reverse().map((e) => [e.id, e.type, 'delivered', 1, 200, null]),
    );
    expect(log[0].deliveredAt).toBe(new Date(h.clock.ms).toISOString());
    // Nothing twice: a second pass finds nothing left.
    await h.deliver();
    expect(r.received).toHaveLength(4);
    expect((await h.json('GET', '/v1/webhooks')).body.webhooks[0].delivery).toEqual({
      afterEventId: expected[0].id,
      failures: 0,
      retryAt: null,
    });
  });

  it('delivers only the types asked for', async () => {
    const h = await createHarness();
    const r = await receiver();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    await addWebhook(h, { url: r.url, types: ['node.down', 'session.moved'] });
    await placeMany(h, 2);
    await h.heartbeat('a', tokens.a!, { connected: false });
    await h.json('POST', '/v1/sessions', { body: { sessionId: 's0' } });
    await h.deliver();
    expect(r.received.map((d) => d.headers['x-fleet-event'])).toEqual(['node.down', 'session.moved']);
    expect(JSON.parse(r.received[0]!.body).data.sessions).toEqual(['s0']);
  });

  it('retries a refused event after a backoff that doubles, holding the later events back, in order', async () => {
    const h = await createHarness({
      env: { FLEET_WEBHOOK_BACKOFF_MS: '1000', FLEET_WEBHOOK_MAX_BACKOFF_MS: '3000' },
    });
    const r = await receiver();
    await h.addUpNodes({ a: 1 });
    const { webhook } = await addWebhook(h, { url: r.url });
    await placeMany(h, 2);
    r.answer = () => 500;
    const retryAts: (string | null)[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await h.deliver();
      await h.deliver(); // inside the backoff: no attempt
      const { delivery } = (await h.json('GET', '/v1/webhooks')).body.webhooks[0];
      expect(delivery.failures).toBe(attempt);
      retryAts.push(delivery.retryAt);
      h.clock.advance(new Date(delivery.retryAt).getTime() - h.clock.ms);
    }
    expect(r.received).toHaveLength(4);
    const first = new Date(retryAts[0]!).getTime() - 1000;
    expect(retryAts.map((at) => new Date(at!).getTime() - first)).toEqual([1000, 3000, 6000, 9000]);
    const [head] = await deliveries(h, webhook.id);
    expect(head).toMatchObject({
      status: 'retrying',
      attempts: 4,
      lastStatus: 500,
      lastError: 'HTTP 500: not now',
    });
    // Only ever the first event while it fails; then both, in order.
    expect(new Set(receivedIds(r)).size).toBe(1);
    r.answer = () => 204;
    await h.deliver();
    const ids = receivedIds(r);
    expect(ids.slice(4)).toEqual([ids[0], String(Number(ids[0]) + 1)]);
    expect((await deliveries(h, webhook.id)).map((d) => [d.status, d.attempts, d.lastStatus])).toEqual([
      ['delivered', 1, 204],
      ['delivered', 5, 204],
    ]);
    expect((await h.json('GET', '/v1/webhooks')).body.webhooks[0].delivery).toMatchObject({
      failures: 0,
      retryAt: null,
    });
  });

  it('fails an event at the end of its window, with the later ones whose window ended too', async () => {
    const h = await createHarness({ env: { FLEET_WEBHOOK_RETRY_WINDOW_MS: '60000' } });
    const r = await receiver();
    r.answer = () => 503;
    const { a: token } = await h.addUpNodes({ a: 1 });
    const { webhook } = await addWebhook(h, { url: r.url, types: ['session.placed'] });
    await placeMany(h, 2, 'early-');
    h.clock.advance(30_000);
    await h.heartbeat('a', token!);
    await placeMany(h, 1, 'late-');
    await h.deliver();
    h.clock.advance(30_001); // the early events' window has ended, the late one's has not
    await h.deliver();
    const log = await deliveries(h, webhook.id);
    expect(log.map((d) => [d.status, d.attempts, d.lastStatus])).toEqual([
      ['failed', 0, null],
      ['failed', 2, 503],
    ]);
    expect(log[0].lastError).toMatch(/^not attempted: held behind event \d+, which failed/);
    // The late event is next, after the backoff; its receiver is back.
    r.answer = () => 200;
    h.clock.advance(60_000);
    await h.deliver();
    const late = (await allEvents(h)).at(-1);
    expect(receivedIds(r).at(-1)).toBe(late.id);
    expect((await deliveries(h, webhook.id))[0]).toMatchObject({ eventId: late.id, status: 'delivered' });
  });

  it('records why an attempt failed: a receiver that is not there, or one that does not answer in time', async () => {
    const h = await createHarness({ env: { FLEET_WEBHOOK_TIMEOUT_MS: '300' } });
    const down = await receiver();
    await down.close();
    const silent = await receiver();
    silent.answer = () => null;
    await h.addUpNodes({ a: 1 });
    const refused = await addWebhook(h, { url: down.url });
    const timedOut = await addWebhook(h, { url: silent.url });
    await placeMany(h, 1);
    await h.deliver();
    const [a] = await deliveries(h, refused.webhook.id);
    expect(a).toMatchObject({ status: 'retrying', attempts: 1, lastStatus: null });
    expect(a.lastError).toMatch(new RegExp(`^cannot reach http://127.0.0.1:${down.port}: `));
    const [b] = await deliveries(h, timedOut.webhook.id);
    expect(b).toMatchObject({ status: 'retrying', lastStatus: null, lastError: 'no answer within 300 ms' });
  });

  it('stops at once for a deleted webhook, and its log goes with it', async () => {
    const h = await createHarness();
    const r = await receiver();
    await h.addUpNodes({ a: 1 });
    const { webhook } = await addWebhook(h, { url: r.url });
    await placeMany(h, 1);
    await h.deliver();
    expect(r.received).toHaveLength(1);
    await h.call('DELETE', `/v1/webhooks/${webhook.id}`);
    await placeMany(h, 1, 'after-');
    await h.deliver();
    expect(r.received).toHaveLength(1);
    expect((await h.snapshot()).webhook_deliveries).toEqual([]);
  });
});

describe('retention of the outbox', () => {
  it('drops old events only once every webhook is past them, and moves webhooks past types they skip', async () => {
    const h = await createHarness({ env: { FLEET_EVENT_RETENTION_MS: '60000' } });
    const failing = await receiver();
    failing.answer = () => 500;
    const rare = await receiver();
    const all = await addWebhook(h, { url: failing.url });
    const drains = await addWebhook(h, { url: rare.url, types: ['node.drained'] });
    await h.addUpNodes({ a: 1 });
    await placeMany(h, 2);
    await h.deliver(); // the first event is refused: the webhook stays before it
    h.clock.advance(61_000);
    await h.sweep(); // writes the node's timeout (node.down); on Workers the cron also retries, refused again
    const kept = await allEvents(h);
    expect(kept.map((e) => e.type)).toEqual(['node.up', 'session.placed', 'session.placed', 'node.down']);
    const webhooks = async () => (await h.json('GET', '/v1/webhooks')).body.webhooks as any[];
    // The webhook of a type that never came is past them all; the failing one is still at the start.
    expect((await webhooks()).map((w) => [w.id, w.delivery.afterEventId])).toEqual([
      [all.webhook.id, '0'],
      [drains.webhook.id, kept.at(-1).id],
    ]);

    failing.answer = () => 200;
    h.clock.advance(5000); // past the backoff
    await h.deliver();
    const accepted = failing.received.filter((d) => d.status === 200).map((d) => JSON.parse(d.body).id);
    expect(accepted).toEqual(kept.map((e) => e.id));
    h.clock.advance(61_000);
    await h.sweep();
    // Every webhook is past them and they are older than the retention: gone, with the finished log entries.
    expect(await allEvents(h)).toEqual([]);
    expect(await deliveries(h, all.webhook.id)).toEqual([]);
  });

  it('drops events older than the retention when no webhook waits for them', async () => {
    const h = await createHarness({ env: { FLEET_EVENT_RETENTION_MS: '60000' } });
    await h.addUpNodes({ a: 1 });
    await placeMany(h, 3);
    h.clock.advance(30_000);
    await h.sweep();
    expect(await allEvents(h)).toHaveLength(5); // and the timeout
    h.clock.advance(31_000);
    await h.sweep();
    expect((await allEvents(h)).map((e) => e.type)).toEqual(['node.down']);
  });
});
