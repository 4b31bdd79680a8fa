import type { OpenAPIHono } from '@hono/zod-openapi';
import { PreviewQuerySchema, PreviewSchema } from '@kurento-fleet/contract';
import { previewPlacements } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { apiRoute, bearerAuth, jsonResponse } from '../route';

const route = apiRoute({
  method: 'get',
  path: '/v1/placements/preview',
  operationId: 'previewPlacements',
  tags: ['sessions'],
  summary: 'Where the next new sessions would go, without placing them (dry run)',
  description:
    'The nodes the next `count` new sessions would get if they arrived now, with every rule of placement in ' +
    'play (health, ejections, capacity, the CPU guard, slow start, smooth weighted round robin). Nothing is ' +
    'changed. The list ends early when no node could take more.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { query: PreviewQuerySchema },
  responses: {
    200: jsonResponse(PreviewSchema, 'The next picks, in order, and the decision of the first'),
  },
});

export function registerPreviewPlacements(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) =>
    c.json(await previewPlacements(c.get('db'), c.req.valid('query').count), 200),
  );
}
