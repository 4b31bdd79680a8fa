import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness';
import { assets } from './assets';
import { buildDashboardScript } from './build-script';

/** The browser modules as written (the bundle is esbuild's output; these are what a reviewer reads). */
const browserDir = new URL('./browser/', import.meta.url);
const sources = readdirSync(browserDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(new URL(name, browserDir), 'utf8') }));

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

  it('serves the browser modules bundled into one script: the current source, nothing left to import', async () => {
    const h = await createHarness();
    const response = await h.call('GET', '/dashboard/main.js', { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await response.text();
    // On Node it is bundled on the first request; in workerd it was embedded when the Worker was built.
    expect(script).toBe(await buildDashboardScript());
    expect(script).not.toMatch(/^\s*(?:import|export)\b/m);
    // Types are gone, the code is there: the sign-in handler and the token store.
    expect(script).toContain('sessionStorage');
    expect(script).toContain('Sign-in refused: ');
    expect(script).not.toMatch(/: HTMLElement\b|\binterface \w/);
  });

  it('builds the page without parsing HTML, and sends the token only to /v1 on this origin', () => {
    expect(sources.map((source) => source.name).sort()).toEqual([
      'api.ts',
      'chart.ts',
      'dom.ts',
      'events.ts',
      'feed.ts',
      'main.ts',
      'nodes-table.ts',
      'preview.ts',
      'rotation.ts',
    ]);
    for (const { name, text } of sources) {
      expect(text, name).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
      expect(text, name).not.toMatch(/localStorage|document\.cookie/);
    }
    const api = sources.find((source) => source.name === 'api.ts')?.text ?? '';
    expect(api).toContain('sessionStorage');
    expect(api).toContain("if (!path.startsWith('/v1/'))");
    // Only api.ts calls fetch (and so holds the token): the feed's stream goes through it too.
    for (const { name, text } of sources.filter((source) => source.name !== 'api.ts'))
      expect(text, name).not.toMatch(/\bfetch\(|new EventSource|XMLHttpRequest/);
  });

  it('answers an unknown dashboard file with 404 in the error shape', async () => {
    const h = await createHarness();
    const { status, body } = await h.json('GET', '/dashboard/nope.js', { token: null });
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
  });
});
