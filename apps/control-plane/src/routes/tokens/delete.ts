import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteToken } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { text } from '../../input';
import { apiRoute, errorResponse } from '../../route';
import { bearerAuth } from '../../schemas';

const TokenIdParams = z.object({
  id: text()
    .regex(/^[0-9a-f]{16}$/, 'must be a token id (16 hex digits)')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const route = apiRoute({
  method: 'delete',
  path: '/v1/tokens/{id}',
  operationId: 'deleteToken',
  tags: ['tokens'],
  summary: 'Revoke a token; it stops working at once',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { params: TokenIdParams },
  responses: {
    204: { description: 'Revoked' },
    404: errorResponse(404, 'NOT_FOUND: no admin or app token with this id.'),
  },
});

export function registerDeleteToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteToken(c.get('db'), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
