import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listSessions } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute } from '../../route';
import { AssignmentSchema, bearerAuth, jsonResponse, PagedByNodeQuery } from '../../schemas';

const route = apiRoute({
  method: 'get',
  path: '/v1/sessions',
  operationId: 'listSessions',
  tags: ['sessions'],
  summary: 'List live sessions, oldest first',
  security: bearerAuth,
  middleware: [allow('app')] as const,
  request: { query: PagedByNodeQuery },
  responses: {
    200: jsonResponse(
      z.object({ sessions: z.array(AssignmentSchema), nextCursor: z.string().nullable() }),
      'One page of sessions',
    ),
  },
});

export function registerListSessions(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listSessions(c.get('db'), c.req.valid('query')), 200));
}
