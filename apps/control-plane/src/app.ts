import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { authenticate } from './auth';
import type { AppDeps, AppEnv } from './context';
import { errorBody, handleError, validationHook } from './errors';
import { registerListEvents } from './routes/events';
import { registerHealth } from './routes/health';
import { registerNodeRoutes } from './routes/nodes';
import { registerListPlacements } from './routes/placements';
import { registerSessionRoutes } from './routes/sessions';
import { registerTokenRoutes } from './routes/tokens';

export type { AppDeps, AppEnv } from './context';

/** Request bodies above this are refused before they are read: the largest legal body is far smaller. */
export const maxBodyBytes = 1024 * 1024;

/**
 * The control plane's HTTP API (reference/http-api.md), independent of the runtime that serves it: the Node
 * entry passes a better-sqlite3 database, an edge entry a D1 one.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestId(), async (c, next) => {
    c.set('db', deps.db);
    c.set('log', deps.log);
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => errorBody(c, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBodyBytes} bytes.`),
    }),
  );
  app.use('/v1/*', authenticate(deps.adminToken));

  registerHealth(app);
  registerNodeRoutes(app, deps.heartbeatIntervalMs);
  registerSessionRoutes(app);
  registerTokenRoutes(app);
  registerListEvents(app);
  registerListPlacements(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An admin, app or agent token (see the roles in the README).',
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
