/**
 * Waiting for another connection's write lock without blocking: the one retry policy of every driver that can
 * meet SQLITE_BUSY (better-sqlite3 with busy_timeout 0, see ./group-commit; a libSQL server, see ./libsql). A
 * BUSY answer means the statement or batch did nothing, so trying it again later is always safe.
 */
export interface BusyRetry {
  /** Give up (and throw the BUSY error) after this long. */
  timeoutMs: number;
  /** The first wait; each next one doubles, up to maxDelayMs, with jitter. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** SQLite's own busy handler sleeps 1, 2, 5, 10 … 100 ms; the same range, doubling, with jitter. */
export const defaultBusyRetry: BusyRetry = { timeoutMs: 10_000, initialDelayMs: 2, maxDelayMs: 100 };

/** SQLITE_BUSY and its extended codes (BUSY_SNAPSHOT, BUSY_RECOVERY…), whichever driver raised it. */
export function isBusy(error: unknown): boolean {
  return /^SQLITE_BUSY/.test(String((error as { code?: unknown })?.code ?? ''));
}

/**
 * The wait before attempt number `attempt` + 1 (1 for the first retry): doubling, capped, and jittered between
 * half and 1.5 times, so that processes that met the same lock do not retry in lockstep.
 */
export function retryDelayMs(attempt: number, policy: BusyRetry = defaultBusyRetry): number {
  const delay = Math.min(policy.initialDelayMs * 2 ** Math.min(attempt - 1, 20), policy.maxDelayMs);
  return delay * (0.5 + Math.random());
}

/** Runs `attempt` until it does not fail with BUSY, waiting between tries; past the timeout, throws the BUSY. */
export async function whileBusy<T>(
  attempt: () => T | Promise<T>,
  policy: BusyRetry = defaultBusyRetry,
): Promise<T> {
  const deadline = Date.now() + policy.timeoutMs;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = retryDelayMs(tries, policy);
      if (!isBusy(error) || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
