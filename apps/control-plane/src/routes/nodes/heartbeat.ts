import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { recordHeartbeat } from '@kurento-fleet/db';
import { allowAgentOfPathNode } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import {
  AgentInfoSchema,
  bearerAuth,
  jsonBody,
  jsonResponse,
  KmsReportSchema,
  NodeIdParams,
  SessionId,
} from '../../schemas';

export const HeartbeatBody = z
  .strictObject({
    connected: z.boolean(),
    kms: KmsReportSchema.optional(),
    sessionIds: z.array(SessionId).max(100_000).optional(),
    agent: AgentInfoSchema.optional(),
  })
  .openapi('Heartbeat');

const route = apiRoute({
  method: 'post',
  path: '/v1/nodes/{id}/heartbeat',
  operationId: 'sendHeartbeat',
  tags: ['agent'],
  summary: 'Report a KMS’s health (agent token of that node)',
  description:
    '`connected: false` marks the node down at once; a node whose last heartbeat is older than the timeout ' +
    'is down. The answer says how often to report.',
  security: bearerAuth,
  middleware: [allowAgentOfPathNode()] as const,
  request: { params: NodeIdParams, body: jsonBody(HeartbeatBody) },
  responses: {
    200: jsonResponse(z.object({ heartbeatIntervalMs: z.number().int() }), 'Recorded'),
    404: errorResponse(404, 'NOT_FOUND: no node with this id.'),
  },
});

export function registerHeartbeat(app: OpenAPIHono<AppEnv>, heartbeatIntervalMs: number) {
  app.openapi(route, async (c) => {
    await recordHeartbeat(c.get('db'), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ heartbeatIntervalMs }, 200);
  });
}
