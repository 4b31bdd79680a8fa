import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { setWeights } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import { bearerAuth, jsonBody, jsonResponse, NodeId, NodeSchema, Weight } from '../../schemas';

export const SetWeightsBody = z
  .strictObject({
    weights: z
      .record(NodeId, Weight)
      .refine((weights) => Object.keys(weights).length <= 10_000, 'at most 10000 nodes'),
  })
  .openapi('SetWeights');

const route = apiRoute({
  method: 'put',
  path: '/v1/weights',
  operationId: 'setWeights',
  tags: ['nodes'],
  summary: 'Set several weights at once (the KMS_WEIGHT list as one call)',
  description: 'All or nothing: an unknown id (404) or a bad value (400) changes no weight.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { body: jsonBody(SetWeightsBody) },
  responses: {
    200: jsonResponse(z.object({ nodes: z.array(NodeSchema) }), 'Every node, after the change'),
    404: errorResponse(404, 'NOT_FOUND: a node of the map does not exist. No weight was changed.'),
  },
});

export function registerSetWeights(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) =>
    c.json({ nodes: await setWeights(c.get('db'), c.req.valid('json').weights) }, 200),
  );
}
