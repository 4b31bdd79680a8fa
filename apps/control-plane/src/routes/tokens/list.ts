import type { OpenAPIHono } from '@hono/zod-openapi';
import { TokenListSchema } from '@kurento-fleet/contract';
import { listTokens } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, bearerAuth, jsonResponse } from '../../route';

const route = apiRoute({
  method: 'get',
  path: '/v1/tokens',
  operationId: 'listTokens',
  tags: ['tokens'],
  summary: 'List admin and app tokens (never their secrets)',
  security: bearerAuth,
  middleware: [allow()] as const,
  responses: {
    200: jsonResponse(TokenListSchema, 'Every admin and app token'),
  },
});

export function registerListTokens(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json({ tokens: await listTokens(c.get('db')) }, 200));
}
