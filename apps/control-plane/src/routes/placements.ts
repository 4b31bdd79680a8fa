import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listPlacements, placementLogSize, skipReasons } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { queryInteger } from '../input';
import { apiRoute } from '../route';
import { bearerAuth, jsonResponse, NodeId, SessionId } from '../schemas';

export const PlacementDecisionSchema = z
  .object({
    eligible: z.array(
      z.object({
        id: NodeId,
        weight: z.number().int(),
        effectiveWeight: z.number().int(),
        current: z.number().int(),
      }),
    ),
    skipped: z.array(
      z.object({
        id: NodeId,
        why: z.enum(skipReasons),
      }),
    ),
  })
  .openapi('PlacementDecision', {
    description:
      'The nodes that took part in the pick (weight, effective weight under slow start, SWRR current before the ' +
      'pick) and those skipped, with why.',
  });

const PlacementSchema = z
  .object({
    sessionId: SessionId,
    nodeId: NodeId,
    outcome: z.enum(['new', 'reassigned', 'forced']),
    at: z.string(),
    // A union, not .nullable(): on a named schema that generates allOf [$ref, {type: [object, null]}], which
    // refuses null.
    decision: z.union([PlacementDecisionSchema, z.null()]),
  })
  .openapi('Placement', {
    description: '`decision` is null for a forced placement: the operator chose the node, not the scheduler.',
  });

const route = apiRoute({
  method: 'get',
  path: '/v1/placements',
  operationId: 'listPlacements',
  tags: ['sessions'],
  summary: 'Recent placements, newest first',
  description:
    `Every new, moved or forced placement (sticky answers are not placements). The last ${placementLogSize} ` +
    'are kept: enough to compare where sessions went with the weights.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: {
    query: z.object({
      limit: queryInteger(1, placementLogSize, 100).openapi({
        param: { name: 'limit', in: 'query' },
        example: 100,
      }),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ placements: z.array(PlacementSchema) }), 'The newest placements'),
  },
});

export function registerListPlacements(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) =>
    c.json({ placements: await listPlacements(c.get('db'), c.req.valid('query').limit) }, 200),
  );
}
