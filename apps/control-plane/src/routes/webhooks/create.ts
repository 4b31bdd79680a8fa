import type { OpenAPIHono } from '@hono/zod-openapi';
import { CreatedWebhookSchema, CreateWebhookBodySchema } from '@kurento-fleet/contract';
import { createWebhook } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, bearerAuth, jsonBody, jsonResponse } from '../../route';

const route = apiRoute({
  method: 'post',
  path: '/v1/webhooks',
  operationId: 'createWebhook',
  tags: ['webhooks'],
  summary: 'Have the events POSTed to a URL, signed (the secret is shown this once)',
  description:
    'From its creation on, every event (of `types`, or all) is POSTed to `url` in id order, at least once, with ' +
    'the event as the JSON body and the headers `X-Fleet-Event` (its type), `X-Fleet-Delivery` (its id), ' +
    '`X-Fleet-Timestamp` (unix seconds) and `X-Fleet-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." ' +
    '+ body)>`. A 2xx within 10 s is delivered; anything else is retried with exponential backoff (1 s doubling ' +
    'to 10 min) for 24 h after the event, then failed (those figures are the defaults of FLEET_WEBHOOK_*); an ' +
    'event being retried holds the later ones back. Deliveries survive restarts of the control plane.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { body: jsonBody(CreateWebhookBodySchema) },
  responses: {
    201: jsonResponse(CreatedWebhookSchema, 'The new webhook and its signing secret'),
  },
});

export function registerCreateWebhook(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createWebhook(c.get('db'), c.req.valid('json')), 201));
}
