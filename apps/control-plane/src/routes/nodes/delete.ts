import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteNode } from '@kurento-fleet/db';
import { allow } from '../../auth';
import type { AppEnv } from '../../context';
import { apiRoute, errorResponse } from '../../route';
import { bearerAuth, NodeIdParams } from '../../schemas';

const DeleteQuery = z.object({
  force: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ param: { name: 'force', in: 'query' }, description: 'Release the node’s sessions too.' }),
});

const route = apiRoute({
  method: 'delete',
  path: '/v1/nodes/{id}',
  operationId: 'deleteNode',
  tags: ['nodes'],
  summary: 'Remove a node',
  description: 'Refused (409) while the node holds sessions, unless `force=true`, which releases them.',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { params: NodeIdParams, query: DeleteQuery },
  responses: {
    204: { description: 'Removed' },
    404: errorResponse(404, 'NOT_FOUND: no node with this id.'),
    409: errorResponse(409, 'CONFLICT: the node holds sessions (use `force=true`). Nothing was changed.'),
  },
});

export function registerDeleteNode(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteNode(c.get('db'), c.req.valid('param').id, c.req.valid('query').force === 'true');
    return c.body(null, 204);
  });
}
