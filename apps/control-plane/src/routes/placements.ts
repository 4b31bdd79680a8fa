import type { OpenAPIHono } from '@hono/zod-openapi';
import { PlacementListSchema, PlacementQuerySchema, placementLogSize } from '@kurento-fleet/contract';
import { listPlacements } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { apiRoute, bearerAuth, jsonResponse } from '../route';

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
  request: { query: PlacementQuerySchema },
  responses: {
    200: jsonResponse(PlacementListSchema, 'The newest placements'),
  },
});

export function registerListPlacements(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) =>
    c.json({ placements: await listPlacements(c.get('db'), c.req.valid('query').limit) }, 200),
  );
}
