import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { getSession } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { errorResponses } from '../../errors';
import { AssignmentSchema, bearerAuth, jsonResponse, SessionId } from '../../schemas';

export const SessionIdParams = z.object({
  sessionId: SessionId.openapi({ param: { name: 'sessionId', in: 'path' } }),
});

const route = createRoute({
  method: 'get',
  path: '/v1/sessions/{sessionId}',
  tags: ['sessions'],
  summary: 'Where a session lives',
  security: bearerAuth,
  middleware: [allow('app')] as const,
  request: { params: SessionIdParams },
  responses: { 200: jsonResponse(AssignmentSchema, 'The assignment'), ...errorResponses(400, 401, 403, 404) },
});

export function registerGetSession(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getSession(c.get('db'), c.req.valid('param').sessionId), 200));
}
