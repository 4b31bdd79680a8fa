import { beforeEach, describe, expect, it } from 'vitest';
import { adminToken, clientHeader, createHarness, expectError, type Harness } from '../testing/harness';

// Fresh client addresses for every test: in workerd one isolate, and so one failure count, serves the whole file.
let guesser: Record<string, string>;
let neighbour: Record<string, string>;
beforeEach(() => {
  guesser = { [clientHeader]: `guesser-${crypto.randomUUID()}` };
  neighbour = { [clientHeader]: `neighbour-${crypto.randomUUID()}` };
});

describe('security headers', () => {
  it.each(['/healthz', '/v1/nodes', '/v1/nope', '/openapi.json'])(
    'are on %s, and /v1 answers are not cached',
    async (path) => {
      const h = await createHarness();
      const response = await h.call('GET', path, { token: path === '/v1/nope' ? null : adminToken });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      if (path.startsWith('/v1')) expect(response.headers.get('cache-control')).toBe('no-store');
    },
  );
});

describe('a body over the limit', () => {
  it.each([1.5, 20])('of %s MiB gets a 413 with the security headers, and changes nothing', async (mib) => {
    const h = await createHarness();
    const before = await h.snapshot();
    const response = await h.call('POST', '/v1/nodes', {
      body: JSON.stringify({ uri: 'ws://h:8888/kurento', region: 'x'.repeat(mib * 1024 * 1024) }),
    });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
    await expectError(response, 413, 'PAYLOAD_TOO_LARGE', '1048576 bytes');
    expect(await h.snapshot()).toEqual(before);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) => ({
    token: null,
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization',
    },
  });

  it('is closed by default: no browser origin is allowed', async () => {
    const h = await createHarness();
    const options = await h.call('OPTIONS', '/v1/sessions', preflight('https://evil.example'));
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
    const get = await h.call('GET', '/v1/nodes', { headers: { origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('opens to the configured origins only', async () => {
    const h = await createHarness({ corsOrigins: 'https://ops.example.com' });
    const allowed = await h.call('OPTIONS', '/v1/sessions', preflight('https://ops.example.com'));
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const other = await h.call('OPTIONS', '/v1/sessions', preflight('https://evil.example'));
    expect(other.headers.get('access-control-allow-origin') ?? '').not.toContain('evil');
  });
});

describe('failed authentications', () => {
  const guess = (h: Harness, i: number, path = '/v1/nodes') =>
    h.call('GET', path, { token: `guess-${i}`, headers: guesser });

  it('are limited per client: 30 a minute, then 429 with Retry-After, other clients unaffected', async () => {
    const h = await createHarness();
    for (let i = 0; i < 30; i++) await expectError(await guess(h, i), 401, 'UNAUTHORIZED');
    const refused = await guess(h, 30);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    await expectError(refused, 429, 'TOO_MANY_REQUESTS', 'failed authentications');
    await expectError(
      await h.call('GET', '/v1/nodes', { token: null, headers: guesser }),
      429,
      'TOO_MANY_REQUESTS',
    );
    await expectError(
      await h.call('GET', '/v1/nodes', { token: 'wrong', headers: neighbour }),
      401,
      'UNAUTHORIZED',
    );
    h.clock.advance(60_000);
    await expectError(await guess(h, 31), 401, 'UNAUTHORIZED');
  });

  it('never refuse a valid token, even from a client past the limit', async () => {
    const h = await createHarness();
    const app = await h.appToken();
    for (let i = 0; i < 40; i++) await guess(h, i);
    await expectError(await guess(h, 40), 429, 'TOO_MANY_REQUESTS');
    expect((await h.call('GET', '/v1/nodes', { headers: guesser })).status).toBe(200);
    expect((await h.call('GET', '/v1/sessions', { token: app, headers: guesser })).status).toBe(200);
    expect((await h.call('GET', '/metrics', { headers: guesser })).status).toBe(200);
    await expectError(await guess(h, 41), 429, 'TOO_MANY_REQUESTS');
  });

  it('count on GET /metrics like on /v1, with one limit for both', async () => {
    const h = await createHarness();
    for (let i = 0; i < 30; i++) await expectError(await guess(h, i, '/metrics'), 401, 'UNAUTHORIZED');
    await expectError(await guess(h, 30, '/metrics'), 429, 'TOO_MANY_REQUESTS');
    await expectError(await guess(h, 31, '/v1/nodes'), 429, 'TOO_MANY_REQUESTS');
    expect((await h.call('GET', '/metrics', { headers: guesser })).status).toBe(200);
  });

  it('do not count successful requests', async () => {
    const h = await createHarness();
    for (let i = 0; i < 40; i++)
      expect((await h.call('GET', '/v1/nodes', { headers: guesser })).status).toBe(200);
    await expectError(
      await h.call('GET', '/v1/nodes', { token: 'wrong', headers: guesser }),
      401,
      'UNAUTHORIZED',
    );
  });
});
