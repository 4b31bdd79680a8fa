import type { OpenAPIHono } from '@hono/zod-openapi';
import { CreatedTokenSchema, CreateTokenBodySchema } from '@kurento-fleet/contract';
import { createToken } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, bearerAuth, jsonBody, jsonResponse } from '../../route';

const route = apiRoute({
  method: 'post',
  path: '/v1/tokens',
  operationId: 'createToken',
  tags: ['tokens'],
  summary: 'Create an admin or app token (the secret is shown this once)',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { body: jsonBody(CreateTokenBodySchema) },
  responses: {
    201: jsonResponse(CreatedTokenSchema, 'The new token'),
  },
});

export function registerCreateToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id, role, name, token } = await createToken(c.get('db'), c.req.valid('json'));
    return c.json({ id, role, name, token }, 201);
  });
}
