import { silentLogger } from '@kurento-fleet/log';
import { routeConsoleToLogger } from '@kurento-fleet/log/console';
import { afterAll, beforeAll, expect } from 'vitest';
import type { KmsConnection } from '../kms-connection';
import { connectKurento, type KurentoConnectionOptions } from '../kurento-connection';
import { startWatcher, type Watcher, type WatcherUpdate } from '../watcher';

/** Short timings so that integration tests run in seconds, not minutes. */
export const FAST = { intervalMs: 200, deadlineMs: 600, cpuSampleMs: 50 } as const;

/**
 * Records every uncaught exception, unhandled rejection and process warning (e.g. MaxListenersExceeded)
 * from now on. `assertNone()` fails the test if there was any: the agent must never crash.
 */
export function crashGuard(): { assertNone(): void; dispose(): void } {
  const seen: string[] = [];
  const onError = (error: unknown) => seen.push(`uncaught: ${String((error as Error)?.stack ?? error)}`);
  const onRejection = (reason: unknown) =>
    seen.push(`unhandled rejection: ${String((reason as Error)?.stack ?? reason)}`);
  const onWarning = (warning: Error) => seen.push(`warning: ${warning.name}: ${warning.message}`);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onRejection);
  process.on('warning', onWarning);
  return {
    assertNone: () => expect(seen).toEqual([]),
    dispose: () => {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onRejection);
      process.off('warning', onWarning);
    },
  };
}

/** Polls until `predicate` holds; resolves with the time it took, rejects after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean,
  timeoutMs: number,
  what = 'condition',
): Promise<number> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - start;
}

/** A real kurento-client connection and a probe loop on it, with the updates recorded. */
export interface RealWatch {
  connection: KmsConnection;
  watcher: Watcher;
  updates: WatcherUpdate[];
  status(): string;
  stop(): Promise<void>;
}

export function watchKms(uri: string, options: KurentoConnectionOptions = {}): RealWatch {
  const connection = connectKurento(uri, { log: silentLogger, cpuSampleMs: FAST.cpuSampleMs, ...options });
  const updates: WatcherUpdate[] = [];
  const watcher = startWatcher({
    connection,
    intervalMs: FAST.intervalMs,
    deadlineMs: FAST.deadlineMs,
    onUpdate: (update) => updates.push(update),
  });
  return {
    connection,
    watcher,
    updates,
    status: () => watcher.state().status,
    stop: async () => {
      await watcher.stop();
      await connection.close();
    },
  };
}

/**
 * The file-level guard of an integration test: kurento-client's console output routed to a silent logger, and,
 * after every test of the file, proof that nothing the KMS did crashed the process or leaked listeners.
 */
export function guardAgainstCrashes(): void {
  let restoreConsole: () => void;
  const guard = crashGuard();
  beforeAll(() => {
    restoreConsole = routeConsoleToLogger(silentLogger);
  });
  afterAll(() => {
    restoreConsole();
    guard.assertNone();
    guard.dispose();
  });
}
