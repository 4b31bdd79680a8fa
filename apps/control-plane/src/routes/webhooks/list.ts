import type { OpenAPIHono } from '@hono/zod-openapi';
import { WebhookListSchema } from '@kurento-fleet/contract';
import { listWebhooks } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, bearerAuth, jsonResponse } from '../../route';

const route = apiRoute({
  method: 'get',
  path: '/v1/webhooks',
  operationId: 'listWebhooks',
  tags: ['webhooks'],
  summary: 'Every webhook, oldest first, with where its delivery stands (never its secret)',
  security: bearerAuth,
  middleware: [allow()] as const,
  responses: {
    200: jsonResponse(WebhookListSchema, 'The webhooks'),
  },
});

export function registerListWebhooks(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json({ webhooks: await listWebhooks(c.get('db')) }, 200));
}
