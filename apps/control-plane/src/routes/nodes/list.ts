import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listNodes } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute } from '../../route';
import { bearerAuth, jsonResponse, NodeSchema } from '../../schemas';

const route = apiRoute({
  method: 'get',
  path: '/v1/nodes',
  operationId: 'listNodes',
  tags: ['nodes'],
  summary: 'List nodes, ordered by id, with health and the last KMS report',
  security: bearerAuth,
  middleware: [allow()] as const,
  responses: {
    200: jsonResponse(z.object({ nodes: z.array(NodeSchema) }), 'Every node'),
  },
});

export function registerListNodes(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json({ nodes: await listNodes(c.get('db')) }, 200));
}
