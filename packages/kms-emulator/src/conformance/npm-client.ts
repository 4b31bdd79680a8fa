import type { EventEmitter } from 'node:events';
import kurentoClient, { type Callback, type KurentoClient, type KurentoClientOptions } from 'kurento-client';
import { vi } from 'vitest';

/**
 * A real npm kurento-client on `url`. The reconnect-ws override emits 'error' unguarded, so a refused
 * (re)connection would crash the test process without the listener (§0).
 */
export function openNpmClient(url: string, options?: KurentoClientOptions): KurentoClient {
  const client = kurentoClient(url, options);
  client._re.on('error', () => {});
  return client;
}

/**
 * Calls a node-style client method as a promise. The client's own promises resolve `undefined` on server
 * errors and some never settle (§8), so tests use callbacks, with a timeout.
 */
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

/** Records console.error/warn/trace (the client reports failures there) without printing them. */
export function captureConsoleErrors(): {
  calls: () => Array<{ method: string; args: unknown[] }>;
  restore(): void;
} {
  const spies = (['error', 'warn', 'trace'] as const).map((method) => ({
    method,
    spy: vi.spyOn(console, method).mockImplementation(() => {}),
  }));
  return {
    calls: () => spies.flatMap(({ method, spy }) => spy.mock.calls.map((args) => ({ method, args }))),
    restore: () => {
      for (const { spy } of spies) spy.mockRestore();
    },
  };
}
