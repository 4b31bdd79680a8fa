import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  EventStreamHeadersSchema,
  EventStreamQuerySchema,
  EventStreamTextSchema,
  type FleetEvent,
} from '@kurento-fleet/contract';
import { latestEventId, listEvents } from '@kurento-fleet/db';
import { streamSSE } from 'hono/streaming';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import type { OutboxSignal } from '../outbox-signal';
import { apiRoute, bearerAuth } from '../route';

/** How an event stream learns of new events, and how it keeps an idle connection open. */
export interface StreamOptions {
  /** Commits of this process that wrote events wake its streams at once. */
  signal: OutboxSignal;
  /** How often a stream looks for events other processes wrote. */
  pollMs: number;
  /** After this long without an event, a comment line goes out, so that proxies keep the connection. */
  keepAliveMs: number;
  /**
   * Aborted when the process stops: every stream then ends at once, and its client reconnects (to another
   * replica) with its Last-Event-ID, instead of holding the shutdown until its connection is cut.
   */
  closing?: AbortSignal | undefined;
}

/** Events read at a time; a stream far behind reads page after page without waiting. */
const page = 100;

const route = apiRoute({
  method: 'get',
  path: '/v1/events/stream',
  operationId: 'streamEvents',
  tags: ['events'],
  summary: 'The events as a Server-Sent Events stream, live, resumable with Last-Event-ID',
  description:
    'Each event is sent as `id: <id>`, `event: <type>`, `data: <the event as JSON, as GET /v1/events shows it>` ' +
    'and a blank line, in id order, as soon as it is written. A client that reconnects with the last id it got ' +
    '(`Last-Event-ID`, which EventSource sends by itself, or `after` for a client that cannot set headers) gets ' +
    'every event after it, without a gap, as long as the events are kept (FLEET_EVENT_RETENTION_MS). Without ' +
    'either, the stream starts with the next event. The stream opens with its position alone (`id: <id>` and a ' +
    'blank line, no event), so that a client that reconnects before the first event resumes from there. A ' +
    'comment line (`: keepalive`) goes out after 15 s without an event, so that proxies keep the connection open.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: {
    query: EventStreamQuerySchema,
    headers: EventStreamHeadersSchema,
  },
  responses: {
    200: {
      description: 'The stream, until the client closes it',
      content: {
        'text/event-stream': {
          schema: EventStreamTextSchema,
        },
      },
    },
  },
});

/** One event in the stream's format; JSON.stringify writes no line break, so `data` is one line. */
const frame = (event: FleetEvent) =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

export function registerEventStream(app: OpenAPIHono<AppEnv>, options: StreamOptions) {
  app.openapi(route, async (c) => {
    const db = c.get('db');
    const log = c.get('log');
    const { types, after } = c.req.valid('query');
    const resumeAt = c.req.valid('header')['last-event-id'] ?? after;
    let cursor = resumeAt ?? (await latestEventId(db));
    // Behind nginx, a response is buffered unless it says not to be: every event must leave at once.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const closed = new AbortController();
      stream.onAbort(() => closed.abort());
      const ended = options.closing ? AbortSignal.any([closed.signal, options.closing]) : closed.signal;
      try {
        // At once, before any event: the stream's position as an id without data, which sets a client's
        // Last-Event-ID without an event (as EventSource reads it), so that a client that reconnects before the
        // first event resumes from here, not from a later "now".
        await stream.write(`: connected\nid: ${cursor}\n\n`);
        let lastWrite = Date.now();
        while (!ended.aborted) {
          const seen = options.signal.generation;
          const { events, nextCursor } = await listEvents(db, { after: cursor, types, limit: page });
          for (const event of events) {
            await stream.write(frame(event));
            cursor = Number(event.id);
            lastWrite = Date.now();
          }
          if (nextCursor !== null) continue;
          const idle = Date.now() - lastWrite;
          if (idle >= options.keepAliveMs) {
            await stream.write(': keepalive\n\n');
            lastWrite = Date.now();
            continue;
          }
          const wait = Math.min(options.pollMs, options.keepAliveMs - idle);
          await options.signal.wait(wait, ended, seen);
        }
      } catch (error) {
        // The client reconnects with its Last-Event-ID and misses nothing.
        if (!stream.aborted) log.warn('event stream ended', { error: String(error) });
      }
    });
  });
}
