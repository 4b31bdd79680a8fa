import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { createNode } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { errorResponses } from '../../errors';
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

const route = createRoute({
  method: 'post',
  path: '/v1/nodes',
  tags: ['nodes'],
  summary: 'Register a Kurento Media Server',
  description: 'Returns the node and its agent token, shown this once. Restarts the round-robin cycle.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { body: jsonBody(CreateNodeBody) },
  responses: {
    201: jsonResponse(z.object({ node: NodeSchema, agentToken: z.string() }), 'The new node'),
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

export function registerCreateNode(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createNode(c.get('db'), c.req.valid('json')), 201));
}
