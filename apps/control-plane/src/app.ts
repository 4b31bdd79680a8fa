import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { authenticate } from './auth';
import { limitBody } from './body-limit';
import type { AppDeps, AppEnv } from './context';
import { registerDashboard } from './dashboard';
import { errorBody, handleError, validationHook } from './errors';
import { gaugesOnlyMetrics } from './metrics/gauges-only';
import { observeRequests } from './metrics/middleware';
import { registerDocs } from './routes/docs';
import { registerListEvents } from './routes/events';
import { registerHealth } from './routes/health';
import { registerMetrics } from './routes/metrics';
import { registerNodeRoutes } from './routes/nodes';
import { registerListPlacements } from './routes/placements';
import { registerPreviewPlacements } from './routes/placements-preview';
import { registerSessionRoutes } from './routes/sessions';
import { registerTokenRoutes } from './routes/tokens';
import { registerTopology } from './routes/topology';
import { limitAuthFailures } from './security/auth-failures';
import { corsFor, noStore, securityHeaders } from './security/headers';

export type { AppDeps, AppEnv } from './context';

/** Request bodies above this are refused before they are read: the largest legal body is far smaller. */
export const maxBodyBytes = 1024 * 1024;

/**
 * The control plane's HTTP API (described by the OpenAPI document it serves at /openapi.json), independent of the runtime that serves it: the Node
 * entry passes a better-sqlite3 database, an edge entry a D1 one.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const metrics = deps.metrics ?? gaugesOnlyMetrics();

  app.use('*', observeRequests(metrics), requestId(), async (c, next) => {
    c.set('db', deps.db);
    c.set('log', deps.log);
    c.set('metrics', metrics);
    await next();
  });
  app.use(
    '*',
    limitBody({
      maxSize: maxBodyBytes,
      onError: (c) => errorBody(c, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBodyBytes} bytes.`),
    }),
  );
  app.use('*', securityHeaders);
  app.use('/v1/*', noStore);
  // CORS before authentication: a browser's preflight carries no token.
  const cors = corsFor(deps.corsOrigins ?? []);
  if (cors) app.use('/v1/*', cors);
  app.use(
    '/v1/*',
    limitAuthFailures({
      maxFailures: deps.authFailuresPerMinute ?? 30,
      windowMs: 60_000,
      clientKey: deps.clientKey ?? (() => undefined),
      now: deps.db.now,
    }),
  );
  // One instance: /metrics shares the /v1 token cache, and its clearing on admin writes.
  const auth = authenticate(deps.adminToken);
  app.use('/v1/*', auth);

  registerHealth(app);
  registerNodeRoutes(app, deps.heartbeatIntervalMs);
  registerSessionRoutes(app);
  registerTokenRoutes(app);
  registerListEvents(app);
  registerPreviewPlacements(app);
  registerListPlacements(app);
  registerTopology(app);
  registerMetrics(app, deps.metricsPublic ? null : auth);
  registerDocs(app, deps.scalarScript);
  registerDashboard(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A token `kf_<id>_<secret>` (or the configured FLEET_ADMIN_TOKEN) of one of three roles: admin (everything), ' +
      'app (the /v1/sessions endpoints) or agent (the heartbeat of its own node). No or bad token: 401; a token ' +
      'whose role may not call the operation: 403.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'kurento-fleet control plane',
      version: '1',
      description:
        'Places WebRTC media sessions on a fleet of Kurento Media Servers by smooth weighted round robin.',
    },
  });

  app.notFound((c) => errorBody(c, 'NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`));
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
