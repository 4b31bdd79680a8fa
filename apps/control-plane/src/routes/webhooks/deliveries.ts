import type { OpenAPIHono } from '@hono/zod-openapi';
import { DeliveryListSchema, DeliveryQuerySchema, WebhookIdParamsSchema } from '@kurento-fleet/contract';
import { listDeliveries } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, bearerAuth, errorResponse, jsonResponse } from '../../route';

const route = apiRoute({
  method: 'get',
  path: '/v1/webhooks/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: ['webhooks'],
  summary: "A webhook's delivery log, newest event first",
  description:
    'One entry per event attempted: `delivered`, `retrying` (the backoff runs) or `failed` (no 2xx within the ' +
    'retry window; events held behind a failed one past their own window fail with it, with 0 attempts). Events ' +
    'not attempted yet are not listed. Entries go with the events they are about (FLEET_EVENT_RETENTION_MS).',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: {
    params: WebhookIdParamsSchema,
    query: DeliveryQuerySchema,
  },
  responses: {
    200: jsonResponse(DeliveryListSchema, 'The newest deliveries'),
    404: errorResponse(404, 'NOT_FOUND: no webhook with this id.'),
  },
});

export function registerListWebhookDeliveries(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const deliveries = await listDeliveries(c.get('db'), id, c.req.valid('query').limit);
    return c.json({ deliveries }, 200);
  });
}
