import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listDeliveries } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { queryInteger } from '../../input';
import { apiRoute, errorResponse } from '../../route';
import { bearerAuth, jsonResponse } from '../../schemas';
import { EventTypeSchema } from '../events';
import { WebhookIdParams } from './schema';

const DeliverySchema = z
  .object({
    eventId: z.string(),
    type: EventTypeSchema,
    status: z.enum(['delivered', 'retrying', 'failed']),
    attempts: z.number().int().openapi({ description: '0 for an event failed without an attempt.' }),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'The HTTP status of the last attempt; null when no answer came.' }),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('WebhookDelivery');

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
    params: WebhookIdParams,
    query: z.object({
      limit: queryInteger(1, 1000, 100).openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ deliveries: z.array(DeliverySchema) }), 'The newest deliveries'),
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
