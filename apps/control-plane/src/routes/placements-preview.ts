import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { previewPlacements } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { queryInteger } from '../input';
import { apiRoute } from '../route';
import { bearerAuth, jsonResponse, NodeId } from '../schemas';
import { PlacementDecisionSchema } from './placements';

const route = apiRoute({
  method: 'get',
  path: '/v1/placements/preview',
  operationId: 'previewPlacements',
  tags: ['sessions'],
  summary: 'Where the next new sessions would go, without placing them (dry run)',
  description:
    'The nodes the next `count` new sessions would get if they arrived now, with every rule of placement in ' +
    'play (health, ejections, capacity, the CPU guard, slow start, smooth weighted round robin). Nothing is ' +
    'changed. The list ends early when no node could take more. `decision` is what the next placement would ' +
    'record (see GET /v1/placements): the nodes taking part with their effective weights (slow start) and the ' +
    'others with why (`cpu`: skipped by the CPU guard), as the fleet stands now.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: {
    query: z.object({
      count: queryInteger(1, 1000, 10).openapi({ param: { name: 'count', in: 'query' }, example: 10 }),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({ nodeIds: z.array(NodeId), decision: PlacementDecisionSchema }),
      'The next picks, in order, and the decision of the first',
    ),
  },
});

export function registerPreviewPlacements(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) =>
    c.json(await previewPlacements(c.get('db'), c.req.valid('query').count), 200),
  );
}
