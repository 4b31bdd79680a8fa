import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listEvents } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { apiRoute } from '../route';
import { bearerAuth, jsonResponse, NodeId, PagedByNodeQuery } from '../schemas';

const NodeEventSchema = z
  .object({
    id: z.string(),
    nodeId: NodeId,
    at: z.string(),
    type: z.enum(['up', 'down', 'restarted']),
    reason: z.string().nullable(),
  })
  .openapi('NodeEvent');

const route = apiRoute({
  method: 'get',
  path: '/v1/events',
  operationId: 'listEvents',
  tags: ['nodes'],
  summary: 'Health transitions of the fleet, newest first',
  description:
    'One event per transition: `down` (with the reason: the agent reports the KMS unreachable, or no heartbeat ' +
    'within the timeout), `up`, and `restarted` (the KMS process changed under a running agent).',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { query: PagedByNodeQuery },
  responses: {
    200: jsonResponse(
      z.object({ events: z.array(NodeEventSchema), nextCursor: z.string().nullable() }),
      'One page of events',
    ),
  },
});

export function registerListEvents(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listEvents(c.get('db'), c.req.valid('query')), 200));
}
