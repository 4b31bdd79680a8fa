import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../context';
import type { Metrics } from './metrics';

/**
 * The route a request is counted under: the pattern of the route that matched it (`/v1/sessions/:sessionId`),
 * or `unmatched`. Middlewares (method ALL) do not count, so a 401 from authentication still names the route.
 */
function routeLabel(c: Context): string {
  return matchedRoutes(c).findLast((route) => route.method !== 'ALL')?.path ?? 'unmatched';
}

/** Times every request, first in and last out, so that it sees the final status, errors included. */
export function observeRequests(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest(routeLabel(c), c.req.method, c.res.status, (performance.now() - start) / 1000);
    }
  };
}
