import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { createToken } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { text } from '../../input';
import { apiRoute } from '../../route';
import { bearerAuth, jsonBody, jsonResponse } from '../../schemas';

export const TokenRoleSchema = z.enum(['admin', 'app']);

export const CreateTokenBody = z
  .strictObject({ role: TokenRoleSchema, name: text().min(1).max(128).optional() })
  .openapi('CreateToken');

const route = apiRoute({
  method: 'post',
  path: '/v1/tokens',
  operationId: 'createToken',
  tags: ['tokens'],
  summary: 'Create an admin or app token (the secret is shown this once)',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { body: jsonBody(CreateTokenBody) },
  responses: {
    201: jsonResponse(
      z.object({ id: z.string(), role: TokenRoleSchema, name: z.string().nullable(), token: z.string() }),
      'The new token',
    ),
  },
});

export function registerCreateToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id, role, name, token } = await createToken(c.get('db'), c.req.valid('json'));
    return c.json({ id, role, name, token }, 201);
  });
}
