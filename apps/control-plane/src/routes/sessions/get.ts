import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { getSession } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import { AssignmentSchema, bearerAuth, jsonResponse, SessionId } from '../../schemas';

export const SessionIdParams = z.object({
  sessionId: SessionId.openapi({ param: { name: 'sessionId', in: 'path' } }),
});

const route = apiRoute({
  method: 'get',
  path: '/v1/sessions/{sessionId}',
  operationId: 'getSession',
  tags: ['sessions'],
  summary: 'Where a session lives',
  security: bearerAuth,
  middleware: [allow('app')] as const,
  request: { params: SessionIdParams },
  responses: {
    200: jsonResponse(AssignmentSchema, 'The assignment'),
    404: errorResponse(404, 'NOT_FOUND: no live session with this id.'),
  },
});

export function registerGetSession(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getSession(c.get('db'), c.req.valid('param').sessionId), 200));
}
