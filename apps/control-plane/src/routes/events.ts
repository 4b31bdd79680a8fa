import type { OpenAPIHono } from '@hono/zod-openapi';
import { EventPageSchema, EventQuerySchema } from '@kurento-fleet/contract';
import { listEvents } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { apiRoute, bearerAuth, jsonResponse } from '../route';

const route = apiRoute({
  method: 'get',
  path: '/v1/events',
  operationId: 'listEvents',
  tags: ['events'],
  summary: 'Events of the fleet: node health, ejections, drains, placements, moves, releases',
  description:
    'Every event is written in the same transaction as the change it reports (an outbox): none is lost, none is ' +
    'invented by a refused request. With `after`, events after that id, oldest first, and `nextCursor` is the ' +
    'id to ask after next (null once caught up). Without it, the newest first, and `nextCursor` continues into ' +
    'older events (pass it as `cursor`).',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { query: EventQuerySchema },
  responses: {
    200: jsonResponse(EventPageSchema, 'One page of events'),
  },
});

export function registerListEvents(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listEvents(c.get('db'), c.req.valid('query')), 200));
}
