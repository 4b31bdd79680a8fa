/**
 * The live event feed: `GET /v1/events/stream` read with fetch and a stream reader (EventSource cannot send
 * the Authorization header, and the token goes nowhere else), resumed with Last-Event-ID. While the stream
 * route answers 404 (a control plane without it), and after every break, the feed catches up by polling
 * `GET /v1/events?after=<last id>`: the poll is the reconnect path, so no event is missed between two streams.
 */

import { readEventStream } from '@kurento-fleet/client/sse';
import type { EventPage, FleetEvent } from '@kurento-fleet/client/types';
import { ApiError, api, openStream } from './api';

/** How the feed gets its events now. */
export type FeedMode = 'stream' | 'polling' | 'reconnecting';

export interface FeedHandlers {
  /** New events, oldest first, each delivered once. */
  events(events: FleetEvent[]): void;
  mode(mode: FeedMode): void;
  /** A refusal that ends the feed: the token was revoked (401) or lost its role (403). */
  failed(error: ApiError): void;
}

const POLL_MS = 2000;
/** While the stream route is missing, it is asked again after this many polls (a minute). */
const POLLS_BETWEEN_STREAM_TRIES = 30;
/** Waits after a broken stream before the next one, growing with each break in a row: a server that keeps
 * dropping streams is not hammered. */
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15_000];
const PAGE = 100;

/** Starts the feed after event `after` (an id, "0" for all); returns the function that stops it. */
export function startFeed(after: string, handlers: FeedHandlers): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  let lastId = after;

  // Ids increase; a stream resumed with Last-Event-ID and a poll may overlap, so each event goes out once.
  const deliver = (events: FleetEvent[]) => {
    const fresh = events.filter((event) => Number(event.id) > Number(lastId));
    const last = fresh.at(-1);
    if (!last) return;
    lastId = last.id;
    handlers.events(fresh);
  };

  /** Reads one stream until it ends; throws its refusal (an ApiError) or a network failure. */
  async function stream(onOpen: () => void): Promise<void> {
    const response = await openStream('/v1/events/stream', lastId, signal);
    if (!response.body) throw new ApiError(response.status, 'NO_BODY', 'The stream has no body.', '');
    onOpen();
    handlers.mode('stream');
    for await (const message of readEventStream(response.body).messages) {
      let event: FleetEvent;
      try {
        event = JSON.parse(message.data) as FleetEvent;
      } catch {
        // Not an event of ours (a proxy's injected line): skipped; the next poll fills any gap.
        continue;
      }
      deliver([event]);
    }
  }

  /** Every event after the last one delivered, page by page. */
  async function catchUp(): Promise<void> {
    for (;;) {
      const page = await api<EventPage>(
        'GET',
        `/v1/events?after=${encodeURIComponent(lastId)}&limit=${PAGE}`,
      );
      deliver(page.events);
      if (!page.nextCursor || page.events.length === 0) return;
    }
  }

  const ends = (error: unknown) =>
    error instanceof ApiError && (error.status === 401 || error.status === 403);

  async function run(): Promise<void> {
    let breaks = 0;
    while (!signal.aborted) {
      let missing = false;
      try {
        await stream(() => {
          breaks = 0;
        });
      } catch (error) {
        if (signal.aborted) return;
        if (ends(error)) return handlers.failed(error as ApiError);
        missing = error instanceof ApiError && error.status === 404;
      }
      if (signal.aborted) return;
      handlers.mode(missing ? 'polling' : 'reconnecting');
      const rounds = missing ? POLLS_BETWEEN_STREAM_TRIES : 1;
      const wait = missing ? POLL_MS : (BACKOFF_MS[Math.min(breaks, BACKOFF_MS.length - 1)] as number);
      if (!missing) breaks++;
      for (let round = 0; round < rounds && !signal.aborted; round++) {
        try {
          await catchUp();
        } catch (error) {
          if (signal.aborted) return;
          if (ends(error)) return handlers.failed(error as ApiError);
          // Unreachable for now: the next round (or the stream) tries again.
        }
        await sleep(wait, signal);
      }
    }
  }

  void run();
  return () => controller.abort();
}

/** Resolves after `ms`, or at once when the feed stops. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
