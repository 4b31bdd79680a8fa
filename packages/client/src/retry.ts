/** How the SDK retries a failed call. */
export interface RetryOptions {
  /** Tries in all, the first one included; 1 turns retrying off. Default 4. */
  attempts?: number;
  /** The delay before the first retry; it doubles on each next one. Default 250 ms. */
  initialDelayMs?: number;
  /** The cap of a delay. Default 2000 ms. */
  maxDelayMs?: number;
}

export const defaultRetry: Required<RetryOptions> = { attempts: 4, initialDelayMs: 250, maxDelayMs: 2000 };

/** Fills in the defaults and bounds the values, so a typo cannot make an endless loop or a negative sleep. */
export function retryPolicy(options: RetryOptions = {}): Required<RetryOptions> {
  const attempts = Math.max(1, Math.floor(options.attempts ?? defaultRetry.attempts));
  const initialDelayMs = Math.max(0, options.initialDelayMs ?? defaultRetry.initialDelayMs);
  const maxDelayMs = Math.max(initialDelayMs, options.maxDelayMs ?? defaultRetry.maxDelayMs);
  return { attempts, initialDelayMs, maxDelayMs };
}

/** What went wrong with one attempt, as far as retrying cares. */
export type AttemptFailure =
  | { kind: 'status'; status: number }
  /** `sent: false` when the connection was never made (refused, unknown host): the server saw nothing. */
  | { kind: 'network'; sent: boolean }
  | { kind: 'timeout' };

/**
 * Whether a failed attempt may be tried again. A 503 changed nothing (NO_NODE_AVAILABLE records nothing), and
 * neither did a connection that was never made, so those are retried for every call. After a timeout, a dropped
 * connection or a proxy's 502/504 the request may have been applied, so only idempotent calls are retried: a
 * second `POST /v1/nodes` or `POST /v1/tokens` would create a second token or fail with 409. A 4xx is never
 * retried: the same request gets the same answer.
 */
export function isRetryable(failure: AttemptFailure, idempotent: boolean): boolean {
  switch (failure.kind) {
    case 'status':
      return failure.status === 503 || (idempotent && (failure.status === 502 || failure.status === 504));
    case 'network':
      return !failure.sent || idempotent;
    case 'timeout':
      return idempotent;
  }
}

/** Error codes of a connection that never reached the server (no request was sent). */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Whether a fetch failure happened before the request left (undici puts the socket error in `cause`). */
export function requestNotSent(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && notSentCodes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
