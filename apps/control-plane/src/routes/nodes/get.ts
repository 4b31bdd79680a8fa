import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { getNode } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { errorResponses } from '../../errors';
import { bearerAuth, jsonResponse, NodeIdParams, NodeSchema } from '../../schemas';

const route = createRoute({
  method: 'get',
  path: '/v1/nodes/{id}',
  tags: ['nodes'],
  summary: 'Get one node',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { params: NodeIdParams },
  responses: { 200: jsonResponse(NodeSchema, 'The node'), ...errorResponses(400, 401, 403, 404) },
});

export function registerGetNode(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getNode(c.get('db'), c.req.valid('param').id), 200));
}
