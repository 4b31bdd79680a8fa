import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { rotateAgentToken } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import { bearerAuth, jsonResponse, NodeIdParams } from '../../schemas';

const route = apiRoute({
  method: 'post',
  path: '/v1/nodes/{id}/agent-token',
  operationId: 'rotateAgentToken',
  tags: ['nodes'],
  summary: 'Rotate the node’s agent token',
  description: 'The new token is shown this once; the old one stops working at once.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { params: NodeIdParams },
  responses: {
    201: jsonResponse(z.object({ agentToken: z.string() }), 'The new agent token'),
    404: errorResponse(404, 'NOT_FOUND: no node with this id.'),
  },
});

export function registerRotateAgentToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) =>
    c.json({ agentToken: await rotateAgentToken(c.get('db'), c.req.valid('param').id) }, 201),
  );
}
