import type { Principal } from '@kurento-fleet/db';

/** How long a verified bearer token is trusted without looking it up again. */
const authCacheTtlMs = 1000;
const maxEntries = 10_000;

/**
 * Verified tokens, so that an app server's steady stream of assignments does not pay a SHA-256 (an async
 * Web Crypto job, ~10% of a request's CPU) and a database read on every call. Only successes are kept (a
 * flood of bad tokens still pays full price and fills nothing). Keyed by the whole token: a hit means this
 * exact secret was verified less than a TTL ago. The app clears it on every admin write (revoking a token,
 * rotating an agent token, deleting a node), so revocation is immediate in this process and takes at most one
 * TTL in the others that share the database.
 */
export interface AuthCache {
  get(token: string): Principal | undefined;
  /** Counts clears: a lookup that started before a clear must not store what it read (it may be revoked). */
  readonly generation: number;
  set(token: string, principal: Principal, generation: number): void;
  clear(): void;
}

export function authCache(ttlMs = authCacheTtlMs, now: () => number = () => performance.now()): AuthCache {
  const entries = new Map<string, { principal: Principal; expiresAt: number }>();
  let generation = 0;
  return {
    get generation() {
      return generation;
    },
    get(token) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (entry.expiresAt > now()) return entry.principal;
      entries.delete(token);
      return undefined;
    },
    set(token, principal, readAt) {
      if (readAt !== generation) return;
      // A bound, not an LRU: live tokens are few (admins, app servers, one agent per node).
      if (entries.size >= maxEntries) entries.clear();
      entries.set(token, { principal, expiresAt: now() + ttlMs });
    },
    clear: () => {
      generation++;
      entries.clear();
    },
  };
}
