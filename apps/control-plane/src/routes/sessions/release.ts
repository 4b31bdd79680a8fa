import type { OpenAPIHono } from '@hono/zod-openapi';
import { releaseSession } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import { bearerAuth } from '../../schemas';
import { SessionIdParams } from './get';

const route = apiRoute({
  method: 'delete',
  path: '/v1/sessions/{sessionId}',
  operationId: 'releaseSession',
  tags: ['sessions'],
  summary: 'End a session; its node’s capacity is freed',
  security: bearerAuth,
  middleware: [allow('app')] as const,
  request: { params: SessionIdParams },
  responses: {
    204: { description: 'Released' },
    404: errorResponse(404, 'NOT_FOUND: no live session with this id.'),
  },
});

export function registerReleaseSession(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await releaseSession(c.get('db'), c.req.valid('param').sessionId);
    return c.body(null, 204);
  });
}
