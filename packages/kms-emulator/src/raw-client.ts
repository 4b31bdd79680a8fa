import type { JsonObject, RpcResponse } from '@kurento-fleet/kurento-protocol';
import { WebSocket } from 'ws';

/** An onEvent value: the emitter, the event type and its data. */
export interface RawEvent {
  object: string;
  type: string;
  data: JsonObject;
}

/**
 * A bare JSON-RPC client over one WebSocket, for tests and benchmarks that need to see (or control) the exact
 * messages: no session handling, no retries, ids counted from 0.
 */
export interface RawKmsClient {
  readonly socket: WebSocket;
  /** Every message received so far, parsed, in arrival order. */
  readonly messages: readonly JsonObject[];
  /** Sends `{"jsonrpc":"2.0","method","params"?,"id"}` with the next id and resolves with its response. */
  request(method: string, params?: JsonObject, timeoutMs?: number): Promise<RpcResponse>;
  /** Sends a frame as is: a string verbatim, anything else as JSON. */
  send(message: unknown): void;
  /** The first message, received or still to come, that matches. */
  waitFor(predicate: (message: JsonObject) => boolean, timeoutMs?: number): Promise<JsonObject>;
  /** The onEvent values received so far, optionally of one type. */
  events(type?: string): RawEvent[];
  /** The first onEvent of a type (received or still to come) that matches. */
  waitForEvent(type: string, predicate?: (event: RawEvent) => boolean, timeoutMs?: number): Promise<RawEvent>;
  /** Resolves when the socket has closed, with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5000;

function eventOf(message: JsonObject): RawEvent | undefined {
  if (message.method !== 'onEvent') return undefined;
  const value = (message.params as { value?: RawEvent } | undefined)?.value;
  return value;
}

/** Opens a raw client on `url` (e.g. `ws://127.0.0.1:8888/kurento`). */
export function connectRawClient(url: string): Promise<RawKmsClient> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const messages: JsonObject[] = [];
  const waiters = new Set<{ predicate: (m: JsonObject) => boolean; resolve: (m: JsonObject) => void }>();
  let nextId = 0;

  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as JsonObject;
    messages.push(message);
    for (const waiter of waiters) {
      if (waiter.predicate(message)) {
        waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });

  const waitFor = (predicate: (m: JsonObject) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS) => {
    const found = messages.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<JsonObject>((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (m: JsonObject) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  const client: RawKmsClient = {
    socket,
    messages,
    request: (method, params, timeoutMs) => {
      const id = nextId++;
      const request: JsonObject = { jsonrpc: '2.0', method, id };
      if (params !== undefined) request.params = params;
      socket.send(JSON.stringify(request));
      return waitFor(
        (m) => m.id === id && m.method === undefined,
        timeoutMs,
      ) as unknown as Promise<RpcResponse>;
    },
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    waitFor,
    events: (type) =>
      messages.flatMap((m) => {
        const event = eventOf(m);
        return event && (type === undefined || event.type === type) ? [event] : [];
      }),
    waitForEvent: async (type, predicate = () => true, timeoutMs) => {
      const message = await waitFor((m) => {
        const event = eventOf(m);
        return event !== undefined && event.type === type && predicate(event);
      }, timeoutMs);
      return eventOf(message) as RawEvent;
    },
    closed,
    close: async () => {
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      await closed;
    },
  };

  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    // Before open an error means the connection failed; after it, `closed` reports the outcome.
    socket.on('error', (error) => reject(error));
  });
}
