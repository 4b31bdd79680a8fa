import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../context';
import { AppError, errorResponses } from '../errors';
import { jsonResponse } from '../schemas';

const route = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness: 200 when the database answers',
  responses: {
    200: jsonResponse(z.object({ status: z.literal('ok') }), 'The database answers'),
    ...errorResponses(503),
  },
});

export function registerHealth(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { client } = c.get('db');
    try {
      await client.query({ sql: 'SELECT 1 AS ok', params: [] });
    } catch (error) {
      c.get('log').error('health check: database failed', { error: String(error) });
      throw new AppError('UNAVAILABLE', 'The database does not answer.');
    }
    const problem = client.problem?.();
    if (problem) throw new AppError('UNAVAILABLE', `The database cannot serve: ${problem}.`);
    return c.json({ status: 'ok' as const }, 200);
  });
}
