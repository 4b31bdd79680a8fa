import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { updateNode } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import {
  bearerAuth,
  jsonBody,
  jsonResponse,
  Labels,
  MaxSessions,
  NodeIdParams,
  NodeSchema,
  NodeStateSchema,
  Region,
  Weight,
} from '../../schemas';

export const UpdateNodeBody = z
  .strictObject({
    weight: Weight.optional(),
    maxSessions: MaxSessions.optional(),
    region: Region.nullable().optional(),
    labels: Labels.optional(),
    state: NodeStateSchema.optional(),
  })
  .openapi('UpdateNode');

const route = apiRoute({
  method: 'patch',
  path: '/v1/nodes/{id}',
  operationId: 'updateNode',
  tags: ['nodes'],
  summary: 'Change a node: weight, capacity, region, labels, state',
  description:
    'Any write of a weight, even the same value, restarts the round-robin cycle. `state`: active (eligible), ' +
    'draining (keeps its sessions, takes no new ones), disabled (takes nothing; its sessions move on their next ' +
    'assignment call). `maxSessions: null` means unlimited; `region: null` clears it; `labels` replaces the map.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { params: NodeIdParams, body: jsonBody(UpdateNodeBody) },
  responses: {
    200: jsonResponse(NodeSchema, 'The updated node'),
    404: errorResponse(404, 'NOT_FOUND: no node with this id.'),
  },
});

export function registerUpdateNode(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) =>
    c.json(await updateNode(c.get('db'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
}
