import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../context';
import { AppError } from '../errors';
import { apiRoute, errorResponse } from '../route';
import { checkSchema } from '../schema-check';
import { jsonResponse } from '../schemas';

const route = apiRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['operations'],
  summary: 'Readiness: 200 when the database answers and holds every table this version needs',
  description:
    'Open, for load balancers and orchestrators. Every call reads the schema (each table and column the API ' +
    'uses), so a database without its migrations, or one that does not answer, is a 503 UNAVAILABLE; so is a ' +
    'database file removed, renamed or replaced under the running server.',
  security: [],
  responses: {
    200: jsonResponse(
      z.object({ status: z.literal('ok') }),
      'The database answers and its schema is in place',
    ),
    503: errorResponse(
      503,
      'UNAVAILABLE: the database does not answer, or lacks a table or column this version needs (its ' +
        'migrations are not applied yet: Retry-After while the server starts), or its file is no longer at its path.',
    ),
  },
});

export function registerHealth(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { client } = c.get('db');
    try {
      await checkSchema(c.get('db'));
    } catch (error) {
      c.get('log').error('health check: database failed', { error: String(error) });
      throw new AppError(
        'UNAVAILABLE',
        'The database does not answer, or lacks tables this version needs (are its migrations applied?).',
      );
    }
    const problem = client.problem?.();
    if (problem) throw new AppError('UNAVAILABLE', `The database cannot serve: ${problem}.`);
    return c.json({ status: 'ok' as const }, 200);
  });
}
