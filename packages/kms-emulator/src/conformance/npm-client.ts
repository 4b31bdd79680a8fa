import type { EventEmitter } from 'node:events';
import { vi } from 'vitest';

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
