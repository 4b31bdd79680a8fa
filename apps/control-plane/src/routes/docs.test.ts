import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness';

describe('GET /docs — the rendered API reference', () => {
  it('serves the page without a token, pointing at the spec and at the renderer on this server', async () => {
    const h = await createHarness();
    const response = await h.call('GET', '/docs', { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>kurento-fleet API reference</title>');
    expect(html).toContain('"url": "openapi.json"');
    expect(html).toContain('<script src="docs/scalar.js">');
    // Nothing is fetched from elsewhere: no CDN, and Scalar's fonts and telemetry are off.
    expect(html).not.toContain('cdn.jsdelivr.net');
    expect(html).toContain('"withDefaultFonts": false');
    expect(html).toContain('"telemetry": false');
  });

  it('lets the page run its own scripts only and talk to this origin only', async () => {
    const h = await createHarness();
    const policy =
      (await h.call('GET', '/docs', { token: null })).headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]{43}='/);
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-eval');
  });

  it('serves the renderer itself, cacheable, without a token', async () => {
    const h = await createHarness();
    const response = await h.call('GET', '/docs/scalar.js', { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    const script = await response.text();
    expect(script.length).toBeGreaterThan(1_000_000);
    expect(script).toContain('createApiReference');
  });

  it('is not part of the API document, which it renders', async () => {
    const h = await createHarness();
    const { body } = await h.json('GET', '/openapi.json', { token: null });
    expect(Object.keys(body.paths).filter((path) => path.startsWith('/docs'))).toEqual([]);
  });
});
