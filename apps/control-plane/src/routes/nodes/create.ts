import type { OpenAPIHono } from '@hono/zod-openapi';
import { CreatedNodeSchema, CreateNodeBodySchema } from '@kurento-fleet/contract';
import { createNode } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, bearerAuth, errorResponse, jsonBody, jsonResponse } from '../../route';

const route = apiRoute({
  method: 'post',
  path: '/v1/nodes',
  operationId: 'createNode',
  tags: ['nodes'],
  summary: 'Register a Kurento Media Server',
  description: 'Returns the node and its agent token, shown this once. Restarts the round-robin cycle.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { body: jsonBody(CreateNodeBodySchema) },
  responses: {
    201: jsonResponse(CreatedNodeSchema, 'The new node'),
    409: errorResponse(409, 'CONFLICT: a node with this id or uri exists. Nothing was changed.'),
  },
});

export function registerCreateNode(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createNode(c.get('db'), c.req.valid('json')), 201));
}
