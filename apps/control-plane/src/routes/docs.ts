import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';

/** Where the renderer is served when the runtime provides it; relative, so a path prefix in front still works. */
const scriptUrl = 'docs/scalar.js';
const cdnOrigin = 'https://cdn.jsdelivr.net';
const cdnUrl = `${cdnOrigin}/npm/@scalar/api-reference@1.46.4`;

/**
 * `GET /docs`: the API reference, rendered in the browser by Scalar from `/openapi.json`. Open, like the
 * document it renders. The renderer (Scalar's standalone.js, 3.4 MiB) is served from this server at
 * `/docs/scalar.js` when the runtime hands it over (`scalarScript`), so the page works where the operator's
 * browser has no internet; without it the page loads it from a CDN.
 */
export function registerDocs(app: OpenAPIHono<AppEnv>, scalarScript?: () => Promise<string>) {
  const page = Scalar({
    url: 'openapi.json',
    cdn: scalarScript ? scriptUrl : cdnUrl,
    pageTitle: 'kurento-fleet API reference',
    // A small API: every operation shown at once, so the browser's own search finds any of them.
    defaultOpenAllTags: true,
    // Nothing leaves for scalar.com: no web fonts, no telemetry, no AI agent, no "share" developer tools.
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    showDeveloperTools: 'never',
  });
  let policy: Promise<string> | undefined;
  // Scalar's handler writes the page; this wraps it with the page's headers, the policy computed from the page.
  const withHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
    await next();
    policy ??= c.res
      .clone()
      .text()
      .then((html) => pagePolicy(html, scalarScript ? "'self'" : cdnOrigin));
    c.header('content-security-policy', await policy);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
  };
  app.get('/docs', withHeaders, page);
  if (!scalarScript) return;
  app.get('/docs/scalar.js', async (c) =>
    c.body(await scalarScript(), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
    }),
  );
}

/**
 * The page's Content-Security-Policy. Scripts: the renderer, and the one inline call that starts it, allowed by
 * its hash. Requests: this origin only, so the "try it" client, where an operator may paste a token, cannot send
 * it anywhere else. Styles may be inline: Scalar injects its theme as style elements.
 */
async function pagePolicy(html: string, scriptSource: string): Promise<string> {
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) => m[1] ?? '',
  );
  const hashes = await Promise.all(
    inline.map(async (code) => {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code)));
      return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
    }),
  );
  return [
    "default-src 'none'",
    `script-src ${[scriptSource, ...hashes].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
