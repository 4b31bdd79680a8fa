import type { OpenAPIHono } from '@hono/zod-openapi';
import { NodeListSchema } from '@kurento-fleet/contract';
import { listNodes } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, bearerAuth, jsonResponse } from '../../route';

const route = apiRoute({
  method: 'get',
  path: '/v1/nodes',
  operationId: 'listNodes',
  tags: ['nodes'],
  summary: 'List nodes, ordered by id, with health and the last KMS report',
  security: bearerAuth,
  middleware: [allow()] as const,
  responses: {
    200: jsonResponse(NodeListSchema, 'Every node'),
  },
});

export function registerListNodes(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json({ nodes: await listNodes(c.get('db')) }, 200));
}
