import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { createNode } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import {
  bearerAuth,
  jsonBody,
  jsonResponse,
  KmsUri,
  Labels,
  MaxSessions,
  NodeId,
  NodeSchema,
  Region,
  Weight,
} from '../../schemas';

export const CreateNodeBody = z
  .strictObject({
    id: NodeId.optional(),
    uri: KmsUri,
    weight: Weight.optional(),
    maxSessions: MaxSessions.optional(),
    region: Region.optional(),
    labels: Labels.optional(),
  })
  .openapi('CreateNode');

const route = apiRoute({
  method: 'post',
  path: '/v1/nodes',
  operationId: 'createNode',
  tags: ['nodes'],
  summary: 'Register a Kurento Media Server',
  description: 'Returns the node and its agent token, shown this once. Restarts the round-robin cycle.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { body: jsonBody(CreateNodeBody) },
  responses: {
    201: jsonResponse(z.object({ node: NodeSchema, agentToken: z.string() }), 'The new node'),
    409: errorResponse(409, 'CONFLICT: a node with this id or uri exists. Nothing was changed.'),
  },
});

export function registerCreateNode(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createNode(c.get('db'), c.req.valid('json')), 201));
}
