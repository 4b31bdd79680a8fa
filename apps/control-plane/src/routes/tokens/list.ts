import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listTokens } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute } from '../../route';
import { bearerAuth, jsonResponse } from '../../schemas';
import { TokenRoleSchema } from './create';

const TokenSchema = z
  .object({ id: z.string(), role: TokenRoleSchema, name: z.string().nullable(), createdAt: z.string() })
  .openapi('Token');

const route = apiRoute({
  method: 'get',
  path: '/v1/tokens',
  operationId: 'listTokens',
  tags: ['tokens'],
  summary: 'List admin and app tokens (never their secrets)',
  security: bearerAuth,
  middleware: [allow()] as const,
  responses: {
    200: jsonResponse(z.object({ tokens: z.array(TokenSchema) }), 'Every admin and app token'),
  },
});

export function registerListTokens(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json({ tokens: await listTokens(c.get('db')) }, 200));
}
