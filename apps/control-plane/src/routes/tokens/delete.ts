import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteToken } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { errorResponses } from '../../errors';
import { text } from '../../input';
import { bearerAuth } from '../../schemas';

const TokenIdParams = z.object({
  id: text()
    .regex(/^[0-9a-f]{16}$/, 'must be a token id (16 hex digits)')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const route = createRoute({
  method: 'delete',
  path: '/v1/tokens/{id}',
  tags: ['tokens'],
  summary: 'Revoke a token; it stops working at once',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { params: TokenIdParams },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(400, 401, 403, 404) },
});

export function registerDeleteToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteToken(c.get('db'), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
