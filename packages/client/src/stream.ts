import { backoffDelay } from '@kurento-fleet/kurento';
import { apiError, FleetApiError } from './errors';
import { readEventStream, type SseReader } from './sse';
import { requestUrl, type TransportConfig } from './transport';
import type { EventType, FleetEvent } from './types';

/** What {@link FleetClient.streamEvents} follows. */
export interface StreamEventsOptions {
  /** Start after this event id (a stored position); absent: from the next event on. */
  after?: number | string;
  types?: EventType[];
  /** Ends the stream: the iteration then finishes without an error. */
  signal?: AbortSignal;
  /**
   * A connection that brings nothing for this long (not even the server's keep-alive comment, every 15 s) is
   * dropped and made again: a peer gone without a word (a NAT's timeout, a cable) never closes it. Default 45 s.
   */
  idleMs?: number;
}

/**
 * The events of `GET /v1/events/stream`, as they happen, for as long as the caller iterates: the connection is
 * made again whenever it drops (a restart, a proxy's timeout), after a backoff while the control plane is
 * unreachable, and resumes from the last position the stream gave, so no event is missed or repeated. An
 * error answer that retrying cannot fix (401, 403, 400) ends the iteration with that error.
 */
export async function* followEvents(
  config: TransportConfig,
  options: StreamEventsOptions = {},
): AsyncGenerator<FleetEvent, void, undefined> {
  const { signal } = options;
  let position = options.after === undefined ? undefined : String(options.after);
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retry = { initialMs: config.retry.initialDelayMs, maxMs: config.retry.maxDelayMs };
  for (let failures = 0; !signal?.aborted; ) {
    let stream: SseReader | undefined;
    // This connection's own end: the caller's signal, or the watchdog when nothing arrives.
    const connection = new AbortController();
    const forward = () => connection.abort();
    signal?.addEventListener('abort', forward, { once: true });
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => connection.abort(), options.idleMs ?? 45_000);
    };
    alive();
    try {
      const url = requestUrl(config.baseUrl, {
        path: '/v1/events/stream',
        query: { types: options.types?.join(',') },
      });
      const response = await config.fetch(url, {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${config.token}`,
          ...(position === undefined ? {} : { 'last-event-id': position }),
        },
        signal: connection.signal,
      });
      if (!response.ok || !response.body) {
        const text = await response.text().catch(() => '');
        throw apiError(response.status, parse(text), response.headers);
      }
      stream = readEventStream(response.body, { lastEventId: position ?? '', onComment: alive });
      for await (const message of stream.messages) {
        alive();
        failures = 0;
        position = message.lastEventId;
        yield JSON.parse(message.data) as FleetEvent;
      }
    } catch (error) {
      if (signal?.aborted) return;
      const status = error instanceof FleetApiError ? error.status : undefined;
      if (status !== undefined && status < 500 && status !== 429) throw error;
    } finally {
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', forward);
      // The stream states its position before any event: a reconnection resumes from there, even so.
      if (stream && stream.lastEventId !== '') position = stream.lastEventId;
    }
    // Dropped, or ended by the server (a replica stopping): again at once the first time, then backing off.
    if (failures > 0) await sleep(backoffDelay(failures, retry, config.random));
    failures += 1;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
