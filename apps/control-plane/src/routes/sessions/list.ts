import type { OpenAPIHono } from '@hono/zod-openapi';
import { PagedByNodeQuerySchema, SessionPageSchema } from '@kurento-fleet/contract';
import { listSessions } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, bearerAuth, jsonResponse } from '../../route';

const route = apiRoute({
  method: 'get',
  path: '/v1/sessions',
  operationId: 'listSessions',
  tags: ['sessions'],
  summary: 'List live sessions, oldest first',
  security: bearerAuth,
  middleware: [allow('app')] as const,
  request: { query: PagedByNodeQuerySchema },
  responses: {
    200: jsonResponse(SessionPageSchema, 'One page of sessions'),
  },
});

export function registerListSessions(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listSessions(c.get('db'), c.req.valid('query')), 200));
}
