import type { OpenAPIHono } from '@hono/zod-openapi';
import { WebhookIdParamsSchema } from '@kurento-fleet/contract';
import { deleteWebhook } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, bearerAuth, errorResponse } from '../../route';

const route = apiRoute({
  method: 'delete',
  path: '/v1/webhooks/{id}',
  operationId: 'deleteWebhook',
  tags: ['webhooks'],
  summary: 'Stop a webhook at once, with its delivery log',
  description: 'An attempt already in flight may still arrive; nothing is attempted after it.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { params: WebhookIdParamsSchema },
  responses: {
    204: { description: 'Deleted' },
    404: errorResponse(404, 'NOT_FOUND: no webhook with this id.'),
  },
});

export function registerDeleteWebhook(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteWebhook(c.get('db'), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
