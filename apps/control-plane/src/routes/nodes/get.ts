import type { OpenAPIHono } from '@hono/zod-openapi';
import { getNode } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import { bearerAuth, jsonResponse, NodeIdParams, NodeSchema } from '../../schemas';

const route = apiRoute({
  method: 'get',
  path: '/v1/nodes/{id}',
  operationId: 'getNode',
  tags: ['nodes'],
  summary: 'Get one node',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { params: NodeIdParams },
  responses: {
    200: jsonResponse(NodeSchema, 'The node'),
    404: errorResponse(404, 'NOT_FOUND: no node with this id.'),
  },
});

export function registerGetNode(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getNode(c.get('db'), c.req.valid('param').id), 200));
}
