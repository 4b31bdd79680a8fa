export interface AuthFailureLimit {
  /** Failed authentications a client may make per window before its failures get 429. */
  maxFailures: number;
  windowMs: number;
}

/** Counts a client's failed authentications. */
export interface AuthFailureLimiter {
  /**
   * Records a failure of `client`; returns the seconds it should wait when it is past the limit (then the
   * failure is answered 429 TOO_MANY_REQUESTS with `Retry-After`), else undefined (an ordinary 401).
   */
  fail(client: string, now: number): number | undefined;
}

/** A window per client, forgotten once it ends, so the map holds only clients that failed recently. */
interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Slows down token guessing per client: past `maxFailures` failed authentications within a window, a client's
 * further failures are answered 429 until the window ends. It is consulted only once a token has been found
 * invalid: a valid token is never refused, so a guesser behind the same address (a NAT, a reverse proxy not
 * configured as trusted) cannot lock out the admin, the apps or the agents. The price: the limit does not stop
 * a guesser who ignores the 429s from learning that a guess was right, so a token must be unguessable by
 * itself (stored tokens carry 256 random bits; FLEET_ADMIN_TOKEN should too). Per process (per isolate on the
 * edge): replicas each apply the limit.
 */
export function authFailureLimiter(limit: AuthFailureLimit): AuthFailureLimiter {
  const windows = new Map<string, Window>();
  return {
    fail(client, now) {
      const window = windows.get(client);
      if (window && now - window.startedAt < limit.windowMs) {
        if (window.failures >= limit.maxFailures)
          return Math.max(1, Math.ceil((window.startedAt + limit.windowMs - now) / 1000));
        window.failures++;
        return undefined;
      }
      // Drop ended windows now and then, so that a scan of many addresses cannot grow the map for good.
      if (windows.size > 10_000)
        for (const [key, w] of windows) if (now - w.startedAt >= limit.windowMs) windows.delete(key);
      windows.set(client, { startedAt: now, failures: 1 });
      return undefined;
    },
  };
}
