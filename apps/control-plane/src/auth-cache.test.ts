import { describe, expect, it } from 'vitest';
import { authCache } from './auth-cache';

describe('authCache', () => {
  const app = { role: 'app' } as const;

  it('keeps a verified token for the TTL, then forgets it', () => {
    let now = 0;
    const cache = authCache(1000, () => now);
    cache.set('t', app, cache.generation);
    now = 999;
    expect(cache.get('t')).toEqual(app);
    now = 1000;
    expect(cache.get('t')).toBeUndefined();
  });

  it('forgets everything on clear', () => {
    const cache = authCache(1000, () => 0);
    cache.set('t', app, cache.generation);
    cache.clear();
    expect(cache.get('t')).toBeUndefined();
  });

  it('does not store a lookup that started before a clear (the token may have been revoked meanwhile)', () => {
    const cache = authCache(1000, () => 0);
    const readAt = cache.generation;
    cache.clear();
    cache.set('t', app, readAt);
    expect(cache.get('t')).toBeUndefined();
  });
});
