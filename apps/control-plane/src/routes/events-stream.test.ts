import { readEventStream, type SseMessage } from '@kurento-fleet/client/sse';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, expectError, type Harness, placeMany } from '../testing/harness';

/**
 * GET /v1/events/stream on both runtimes: the frames, resumption with Last-Event-ID (or `after`) without a gap,
 * the types filter, the keep-alive comment, and what it refuses. The test reads the body as a browser's fetch
 * does (the SDK's reader of the format), frame by frame, while it writes events.
 */

interface OpenStream {
  response: Response;
  next(): Promise<SseMessage>;
  comments: string[];
  position(): string;
  close(): Promise<void>;
}

const open: OpenStream[] = [];
afterEach(async () => {
  for (const stream of open.splice(0)) await stream.close();
});

async function connect(h: Harness, query = '', headers: Record<string, string> = {}): Promise<OpenStream> {
  const response = await h.call('GET', `/v1/events/stream${query}`, { headers });
  expect(response.status).toBe(200);
  const comments: string[] = [];
  const reader = readEventStream(response.body!, { onComment: (text) => comments.push(text) });
  const stream: OpenStream = {
    response,
    comments,
    position: () => reader.lastEventId,
    async next() {
      const { value, done } = await withTimeout(reader.messages.next(), 10_000, 'the next event');
      if (done) throw new Error('the stream ended');
      return value;
    },
    close: () => reader.close(),
  };
  open.push(stream);
  return stream;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const allEvents = async (h: Harness) =>
  (await h.json('GET', '/v1/events?after=0&limit=1000')).body.events as any[];

describe('GET /v1/events/stream', () => {
  it('sends each new event as id/event/data, as GET /v1/events shows it, starting from now', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 }); // before the stream: not sent
    const stream = await connect(h);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toMatch(/no-cache|no-store/);
    await placeMany(h, 2);
    const first = await stream.next();
    const second = await stream.next();
    const [, placed0, placed1] = await allEvents(h);
    expect(first).toEqual({
      event: 'session.placed',
      data: JSON.stringify(placed0),
      lastEventId: placed0.id,
    });
    expect(second).toEqual({
      event: 'session.placed',
      data: JSON.stringify(placed1),
      lastEventId: placed1.id,
    });
  });

  it('states its position before any event, so a client that reconnects then resumes from there', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    const idle = await connect(h);
    // The opening block carries the position (the node.up) and no event: reading goes on, nothing comes.
    idle.next().catch(() => {});
    await withTimeout(
      (async () => {
        while (idle.position() === '') await new Promise((resolve) => setTimeout(resolve, 10));
      })(),
      10_000,
      'the position',
    );
    expect(idle.position()).toBe('1');
    await idle.close();
    await placeMany(h, 1); // while no stream is open
    const resumed = await connect(h, '', { 'last-event-id': idle.position() });
    expect((await resumed.next()).lastEventId).toBe('2');
  });

  it('resumes after Last-Event-ID (or `after`) without a gap or a repeat, the header first', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    const live = await connect(h);
    await placeMany(h, 3, 'x');
    const seen = [await live.next(), await live.next()];
    await live.close();
    await placeMany(h, 2, 'y'); // missed while disconnected
    const byHeader = await connect(h, '?after=1', { 'last-event-id': seen.at(-1)!.lastEventId });
    const byQuery = await connect(h, `?after=${seen.at(-1)!.lastEventId}`);
    const all = (await allEvents(h)).map((e) => e.id);
    const after = all.slice(all.indexOf(seen.at(-1)!.lastEventId) + 1);
    for (const stream of [byHeader, byQuery]) {
      const got: string[] = [];
      for (const _ of after) got.push((await stream.next()).lastEventId);
      expect(got).toEqual(after);
    }
    expect([...seen.map((m) => m.lastEventId), ...after]).toEqual(all.slice(1));
  });

  it('sends only the types asked for', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    const stream = await connect(h, '?types=node.down,session.moved');
    await placeMany(h, 2);
    await h.heartbeat('a', tokens.a!, { connected: false });
    await h.json('POST', '/v1/sessions', { body: { sessionId: 's0' } });
    expect([(await stream.next()).event, (await stream.next()).event]).toEqual([
      'node.down',
      'session.moved',
    ]);
  });

  it('writes a comment line when nothing happens, so that proxies keep it open', async () => {
    const h = await createHarness({ env: { FLEET_STREAM_KEEPALIVE_MS: '200' } });
    const stream = await connect(h);
    await withTimeout(
      (async () => {
        stream.next().catch(() => {});
        while (!stream.comments.includes('keepalive'))
          await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      10_000,
      'a keep-alive comment',
    );
    expect(stream.comments[0]).toBe('connected');
  });

  it('refuses a bad position or type with 400, and non-admins with 403', async () => {
    const h = await createHarness();
    await expectError(
      await h.call('GET', '/v1/events/stream', { headers: { 'last-event-id': 'abc' } }),
      400,
      'BAD_REQUEST',
      'last-event-id',
    );
    await expectError(await h.call('GET', '/v1/events/stream?after=-1'), 400, 'BAD_REQUEST', 'after');
    await expectError(await h.call('GET', '/v1/events/stream?types=node.gone'), 400, 'BAD_REQUEST', 'types');
    const app = await h.appToken();
    await expectError(await h.call('GET', '/v1/events/stream', { token: app }), 403, 'FORBIDDEN');
  });
});
