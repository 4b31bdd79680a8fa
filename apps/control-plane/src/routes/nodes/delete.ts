import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteNode } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { errorResponses } from '../../errors';
import { bearerAuth, NodeIdParams } from '../../schemas';

const DeleteQuery = z.object({
  force: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ param: { name: 'force', in: 'query' }, description: 'Release the node’s sessions too.' }),
});

const route = createRoute({
  method: 'delete',
  path: '/v1/nodes/{id}',
  tags: ['nodes'],
  summary: 'Remove a node',
  description: 'Refused (409) while the node holds sessions, unless `force=true`, which releases them.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { params: NodeIdParams, query: DeleteQuery },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404, 409) },
});

export function registerDeleteNode(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteNode(c.get('db'), c.req.valid('param').id, c.req.valid('query').force === 'true');
    return c.body(null, 204);
  });
}
