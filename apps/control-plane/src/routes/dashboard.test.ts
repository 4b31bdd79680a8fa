import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { assets } from '../dashboard/assets';
import { createHarness } from '../testing/harness';

describe('GET / — the dashboard shell', () => {
  it('is served without a token, holds no fleet data, and allows only same-origin scripts and styles', async () => {
    const h = await createHarness();
    await h.addUpNodes({ 'secret-node-a': 5 });
    const response = await h.call('GET', '/', { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');

    const html = await response.text();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<label for="token">Admin token</label>');
    expect(html).not.toContain('secret-node-a');
    expect(html).not.toContain('ws://');
    // Nothing inline for the CSP to refuse: no inline script, style element or style attribute.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
  });

  it('references only files the control plane serves', async () => {
    const h = await createHarness();
    const html = await (await h.call('GET', '/', { token: null })).text();
    const referenced = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(referenced).toEqual(['/dashboard/icon.svg', '/dashboard/style.css', '/dashboard/main.js']);
    for (const path of referenced)
      expect((await h.call('GET', path, { token: null })).status, path).toBe(200);
  });
});

describe('GET /dashboard/* — the page files', () => {
  it.each([
    ['main.js', 'text/javascript; charset=utf-8'],
    ['api.js', 'text/javascript; charset=utf-8'],
    ['dom.js', 'text/javascript; charset=utf-8'],
    ['nodes-table.js', 'text/javascript; charset=utf-8'],
    ['chart.js', 'text/javascript; charset=utf-8'],
    ['events.js', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
  ])('serves %s as %s, without a token', async (name, type) => {
    const h = await createHarness();
    const response = await h.call('GET', `/dashboard/${name}`, { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(assets[name]?.body);
  });

  it('serves modules that parse as ES2022 (a slip in a template string is caught here, not in a browser)', () => {
    for (const [name, { body }] of Object.entries(assets).filter(([name]) => name.endsWith('.js')))
      expect(
        () => transformSync(body, { loader: 'js', format: 'esm', target: 'es2022' }),
        name,
      ).not.toThrow();
  });

  it('serves every module that another one imports', async () => {
    const imported = Object.values(assets).flatMap((asset) =>
      [...asset.body.matchAll(/^import .* from '\.\/([\w-]+\.js)';$/gm)].map((match) => match[1]!),
    );
    expect(imported.length).toBeGreaterThan(0);
    for (const name of imported) expect(Object.keys(assets)).toContain(name);
  });

  it('builds the page without parsing HTML, and sends the token only to /v1 on this origin', () => {
    const scripts = Object.entries(assets).filter(([name]) => name.endsWith('.js'));
    for (const [name, { body }] of scripts) {
      expect(body, name).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
      expect(body, name).not.toMatch(/localStorage|document\.cookie/);
    }
    const api = assets['api.js']!.body;
    expect(api).toContain('sessionStorage');
    expect(api).toContain("if (!path.startsWith('/v1/'))");
  });

  it('answers an unknown dashboard file with 404 in the error shape', async () => {
    const h = await createHarness();
    const { status, body } = await h.json('GET', '/dashboard/nope.js', { token: null });
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
  });
});
