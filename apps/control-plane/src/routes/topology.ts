import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { getTopology } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { apiRoute } from '../route';
import { bearerAuth, jsonResponse, NodeSchema } from '../schemas';

const TopologyNodeSchema = NodeSchema.pick({
  id: true,
  uri: true,
  state: true,
  health: true,
  ejectedUntil: true,
}).openapi('TopologyNode');

const route = apiRoute({
  method: 'get',
  path: '/v1/topology',
  operationId: 'getTopology',
  tags: ['nodes'],
  summary: 'Where the KMS are (app, admin)',
  description:
    'Every node’s uri, state and health, ordered by id: what a KMS gateway or an application that keeps one ' +
    'connection per KMS needs (it may answer a ServerManager call before any session exists), and nothing more: ' +
    'no weights, loads or tokens.',
  security: bearerAuth,
  middleware: [allow('app')] as const,
  responses: {
    200: jsonResponse(z.object({ nodes: z.array(TopologyNodeSchema) }), 'The fleet’s nodes'),
  },
});

export function registerTopology(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json({ nodes: await getTopology(c.get('db')) }, 200));
}
