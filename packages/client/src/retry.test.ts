import { describe, expect, it } from 'vitest';
import { isRetryable, requestNotSent, retryPolicy } from './retry';
import { networkError } from './testing/fake-fetch';

describe('retryPolicy', () => {
  it('fills in the defaults and bounds nonsense', () => {
    expect(retryPolicy()).toEqual({ attempts: 4, initialDelayMs: 250, maxDelayMs: 2000 });
    expect(retryPolicy({ attempts: 0, initialDelayMs: -5, maxDelayMs: -1 })).toEqual({
      attempts: 1,
      initialDelayMs: 0,
      maxDelayMs: 0,
    });
    expect(retryPolicy({ initialDelayMs: 500, maxDelayMs: 100 }).maxDelayMs).toBe(500);
  });
});

describe('isRetryable', () => {
  it.each([
    [{ kind: 'status', status: 503 }, true, true],
    [{ kind: 'status', status: 502 }, true, false],
    [{ kind: 'status', status: 504 }, true, false],
    [{ kind: 'status', status: 500 }, false, false],
    [{ kind: 'status', status: 429 }, false, false],
    [{ kind: 'status', status: 404 }, false, false],
    [{ kind: 'network', sent: false }, true, true],
    [{ kind: 'network', sent: true }, true, false],
    [{ kind: 'timeout' }, true, false],
  ] as const)('%o: idempotent %s, not idempotent %s', (failure, idempotent, other) => {
    expect(isRetryable(failure, true)).toBe(idempotent);
    expect(isRetryable(failure, false)).toBe(other);
  });
});

describe('requestNotSent', () => {
  it('reads the socket error code through the causes', () => {
    expect(requestNotSent(networkError('ECONNREFUSED'))).toBe(true);
    expect(requestNotSent(networkError('ENOTFOUND'))).toBe(true);
    expect(requestNotSent(networkError('ECONNRESET'))).toBe(false);
    expect(requestNotSent(new TypeError('fetch failed'))).toBe(false);
  });
});
