import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { authenticate } from './auth';
import { limitBody, maxBodyBytes } from './body-limit';
import type { AppDeps, AppEnv } from './context';
import { registerDashboard } from './dashboard';
import { parseConfig, streamOptionsFrom } from './env';
import { errorBody, handleError, validationHook } from './errors';
import { gaugesOnlyMetrics } from './metrics/gauges-only';
import { observeRequests } from './metrics/middleware';
import { OutboxSignal } from './outbox-signal';
import { registerDocs } from './routes/docs';
import { registerListEvents } from './routes/events';
import { registerEventStream } from './routes/events-stream';
import { registerHealth } from './routes/health';
import { registerMetrics } from './routes/metrics';
import { registerNodeRoutes } from './routes/nodes';
import { registerPlacementPolicy } from './routes/placement-policy';
import { registerListPlacements } from './routes/placements';
import { registerPreviewPlacements } from './routes/placements-preview';
import { registerSessionRoutes } from './routes/sessions';
import { registerTokenRoutes } from './routes/tokens';
import { registerTopology } from './routes/topology';
import { registerWebhookRoutes } from './routes/webhooks';
import { requireSchema } from './schema-check';
import { authFailureLimiter } from './security/auth-failures';
import { corsFor, noStore, securityHeaders } from './security/headers';

export type { AppDeps, AppEnv } from './context';

/**
 * The control plane's HTTP API (described by the OpenAPI document it serves at /openapi.json), independent of
 * the runtime that serves it: the Node entry passes a better-sqlite3 database, an edge entry a D1 one.
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
  // Headers first, so that every answer carries them, a 413 or a 429 included.
  app.use('*', securityHeaders);
  app.use('/v1/*', noStore);
  // CORS before authentication: a browser's preflight carries no token.
  const cors = corsFor(deps.corsOrigins ?? []);
  if (cors) app.use('/v1/*', cors);
  // Every route that reads the database waits for its schema; /healthz checks it itself, on every call.
  const ready = requireSchema();
  app.use('/v1/*', ready);
  app.use('/metrics', ready);
  app.use(
    '*',
    limitBody({
      maxBytes: maxBodyBytes,
      drainBytes: 8 * maxBodyBytes,
      lingerBytes: 64 * maxBodyBytes,
      lingerMs: 2000,
      tooLarge: (c) => errorBody(c, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBodyBytes} bytes.`),
    }),
  );
  // One instance: /metrics shares the /v1 token cache (and its clearing on admin writes) and failure limit.
  const auth = authenticate(deps.adminToken, {
    limiter: authFailureLimiter({ maxFailures: deps.authFailuresPerMinute ?? 30, windowMs: 60_000 }),
    clientKey: deps.clientKey ?? (() => undefined),
    now: deps.db.now,
  });
  app.use('/v1/*', auth);

  registerHealth(app);
  registerNodeRoutes(app, deps.heartbeatIntervalMs);
  registerSessionRoutes(app);
  registerTokenRoutes(app);
  registerListEvents(app);
  registerEventStream(app, deps.stream ?? streamOptionsFrom(parseConfig({}), new OutboxSignal()));
  registerWebhookRoutes(app);
  registerPreviewPlacements(app);
  registerPlacementPolicy(app);
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
      'app (the /v1/sessions endpoints, GET /v1/topology, POST /v1/nodes/{id}/failures) or agent (the heartbeat ' +
      'of its own node). No or bad token: 401; a token ' +
      'whose role may not call the operation: 403.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    // Relative: the server that serves the document, whatever its address or path prefix.
    servers: [{ url: '/', description: 'This control plane' }],
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
