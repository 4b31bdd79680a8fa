import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

// Constant, so they are set before the handler: Hono then builds the response with them, whereas changing
// headers after the handler forces @hono/node-server off its fast path (measured: sticky calls 0.30 → 0.11 of
// a bare route; bench/RESULTS.md).
const headers: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
];

/** Security headers on every answer; pages set their own Content-Security-Policy on top. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  for (const [name, value] of headers) c.header(name, value);
  await next();
};

/** API answers carry fleet data and sometimes secrets (tokens are shown once): never cached. */
export const noStore: MiddlewareHandler = async (c, next) => {
  c.header('Cache-Control', 'no-store');
  await next();
};

/**
 * CORS is closed unless origins are configured (FLEET_CORS_ORIGINS): app servers call the API server to server,
 * and the dashboard is served from the same origin, so no browser on another site needs it by default.
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler | undefined {
  if (origins.length === 0) return undefined;
  return cors({
    origin: [...origins],
    allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    maxAge: 600,
  });
}
