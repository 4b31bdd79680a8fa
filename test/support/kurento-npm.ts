// A tiny local stand-in for the @kurento-fleet/kurento wrapper (being built on another branch): the real npm
// kurento-client, guarded, and callback calls as promises.
import type { EventEmitter } from 'node:events';
import kurentoClient, { type Callback, type KurentoClient, type KurentoClientOptions } from 'kurento-client';

/**
 * A real npm kurento-client on `url`. With the reconnect-ws override, a refused (re)connection emits an
 * unguarded 'error' that would crash the test process without the listener.
 */
export function openNpmClient(url: string, options?: KurentoClientOptions): KurentoClient {
  const client = kurentoClient(url, options);
  client._re.on('error', () => {});
  return client;
}

/** A node-style call as a promise, with a deadline: kurento-client's own promises do not reject on errors. */
export function call<T>(invoke: (callback: Callback<T>) => unknown, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    invoke((error, result) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    });
  });
}

/** Resolves with the arguments of the next `event`, or rejects after `timeoutMs`. */
export function nextEvent(emitter: EventEmitter, event: string, timeoutMs: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}
