import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { errorBody } from '../errors';

export interface AuthFailureLimit {
  /** Failed authentications a client may make per window before it is refused. */
  maxFailures: number;
  windowMs: number;
  /** Who the client is: its address as the runtime knows it; undefined puts it with the other unknowns. */
  clientKey: (c: Context<AppEnv>) => string | undefined;
  now: () => number;
}

/** A window per client, forgotten once it ends, so the map holds only clients that failed recently. */
interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Slows down token guessing: a client whose requests failed authentication `maxFailures` times within a window
 * gets 429 TOO_MANY_REQUESTS on /v1 until the window ends, before its token is even looked at. Only failures
 * count, so app servers and agents behind the same address as a guesser keep working until it reaches the
 * limit. Per process (per isolate on the edge): replicas each apply the limit.
 */
export function limitAuthFailures(limit: AuthFailureLimit): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, Window>();
  const current = (key: string, now: number) => {
    const window = windows.get(key);
    if (window && now - window.startedAt < limit.windowMs) return window;
    windows.delete(key);
    return undefined;
  };
  return async (c, next) => {
    const key = limit.clientKey(c) ?? 'unknown';
    const now = limit.now();
    const window = current(key, now);
    if (window && window.failures >= limit.maxFailures) {
      const retryAfter = Math.ceil((window.startedAt + limit.windowMs - now) / 1000);
      c.header('Retry-After', String(Math.max(retryAfter, 1)));
      return errorBody(
        c,
        'TOO_MANY_REQUESTS',
        `Too many failed authentications from this client; retry in ${retryAfter} s.`,
      );
    }
    await next();
    if (c.res.status !== 401) return;
    if (window) window.failures++;
    else {
      // Drop ended windows now and then, so that a scan of many addresses cannot grow the map for good.
      if (windows.size > 10_000)
        for (const [k, w] of windows) if (now - w.startedAt >= limit.windowMs) windows.delete(k);
      windows.set(key, { startedAt: now, failures: 1 });
    }
  };
}
