import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listNodes } from '@kurento-fleet/db';
import type { MiddlewareHandler } from 'hono';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { apiRoute } from '../route';
import { bearerAuth } from '../schemas';

/**
 * `GET /metrics`: admin only, through the app's `authenticate` middleware; open when it is null
 * (FLEET_METRICS_PUBLIC=true, for a Prometheus that scrapes over a private network).
 */
export function registerMetrics(app: OpenAPIHono<AppEnv>, authenticate: MiddlewareHandler<AppEnv> | null) {
  const open = authenticate === null;
  const route = apiRoute({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tags: ['operations'],
    summary: 'Prometheus metrics: assignments, request latency, per-node gauges',
    description:
      'The Prometheus text format 0.0.4. Per-node gauges (`fleet_node_*`: health, weight, active sessions, KMS ' +
      'CPU and memory, heartbeat age) are read from the database at scrape time, so every replica reports the ' +
      'same; `fleet_assignments_total` and `fleet_http_request_duration_seconds` count this process only ' +
      '(on Cloudflare Workers only the gauges are served). Needs an admin token unless the server runs with ' +
      '`FLEET_METRICS_PUBLIC=true`.',
    security: open ? [] : bearerAuth,
    middleware: open ? [] : [authenticate, allow()],
    responses: {
      200: {
        description: 'The metrics',
        content: { 'text/plain': { schema: z.string().openapi({ example: 'fleet_node_up{node="a"} 1' }) } },
      },
    },
  });
  app.openapi(route, async (c) => {
    const db = c.get('db');
    const metrics = c.get('metrics');
    const text = await metrics.render(await listNodes(db), db.now());
    return c.text(text, 200, { 'content-type': metrics.contentType });
  });
}
