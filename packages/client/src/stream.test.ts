import { describe, expect, it } from 'vitest';
import { FleetClient } from './client';
import { UnauthorizedError } from './errors';

/** A fetch that answers each call with the next scripted stream (or status), and records the calls. */
function streams(script: ({ frames: string[]; end?: 'close' | 'error' | 'hang' } | { status: number })[]) {
  const calls: { url: string; lastEventId: string | null }[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(input), lastEventId: new Headers(init.headers).get('last-event-id') });
    const next = script.shift();
    if (!next) {
      // No more: a server that never answers, until the request is aborted, as with the real fetch.
      return new Promise<Response>((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    }
    if ('status' in next)
      return new Response(
        JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'no', requestId: 'r' } }),
        {
          status: next.status,
        },
      );
    const encoder = new TextEncoder();
    const frames = [...next.frames];
    // One frame a read, then the end: a connection cut (error), closed by the server, or silent until aborted.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const frame = frames.shift();
        if (frame !== undefined) controller.enqueue(encoder.encode(frame));
        else if (next.end === 'error') controller.error(new TypeError('terminated'));
        else if (next.end === 'hang')
          return new Promise<void>((resolve) =>
            init.signal?.addEventListener('abort', () => {
              controller.error(new DOMException('aborted', 'AbortError'));
              resolve();
            }),
          );
        else controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const frame = (id: number) =>
  `id: ${id}\nevent: session.placed\ndata: {"id":"${id}","type":"session.placed"}\n\n`;

async function take(client: FleetClient, count: number, options = {}) {
  const ids: string[] = [];
  for await (const event of client.streamEvents(options)) {
    ids.push(event.id);
    if (ids.length === count) break;
  }
  return ids;
}

const client = (fetch: typeof globalThis.fetch) =>
  new FleetClient({
    url: 'http://fleet.test',
    token: 't',
    fetch,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });

describe('streamEvents', () => {
  it('reconnects when the stream ends or breaks, from the last event it gave, in order, without repeats', async () => {
    const { fetch, calls } = streams([
      { frames: [': connected\nid: 4\n\n', frame(5), frame(6)] },
      { frames: [frame(7)], end: 'error' },
      { frames: [frame(8)] },
    ]);
    expect(await take(client(fetch), 4, { types: ['session.placed'] })).toEqual(['5', '6', '7', '8']);
    expect(calls.map((c) => c.lastEventId)).toEqual([null, '6', '7']);
    expect(calls[0]?.url).toBe('http://fleet.test/v1/events/stream?types=session.placed');
  });

  it('resumes from the position the stream stated when it dropped before any event', async () => {
    const { fetch, calls } = streams([
      { frames: [': connected\nid: 41\n\n'], end: 'error' },
      { frames: [frame(42)] },
    ]);
    expect(await take(client(fetch), 1)).toEqual(['42']);
    expect(calls.map((c) => c.lastEventId)).toEqual([null, '41']);
  });

  it('starts after `after`, and ends with the error when the token is refused', async () => {
    const { fetch, calls } = streams([{ status: 401 }]);
    await expect(take(client(fetch), 1, { after: 9 })).rejects.toBeInstanceOf(UnauthorizedError);
    expect(calls.map((c) => c.lastEventId)).toEqual(['9']);
  });

  it('drops a connection that brings nothing, not even a keep-alive, and makes it again', async () => {
    const { fetch, calls } = streams([
      { frames: [': connected\nid: 3\n\n'], end: 'hang' },
      { frames: [': connected\nid: 3\n\n', frame(4)] },
    ]);
    expect(await take(client(fetch), 1, { idleMs: 50 })).toEqual(['4']);
    expect(calls.map((c) => c.lastEventId)).toEqual([null, '3']);
  });

  it('ends quietly when its signal aborts, even while it waits for an answer', async () => {
    const { fetch } = streams([]);
    const abort = new AbortController();
    const following = take(client(fetch), 1, { signal: abort.signal });
    setTimeout(() => abort.abort(), 20);
    expect(await following).toEqual([]);
  });
});
