import { z } from 'zod';
import { NodeIdSchema } from './ids';
import { queryInteger, text } from './input';

/** The query of a paged list that can be narrowed to one node (sessions, events). */
export const PagedByNodeQuerySchema = z.object({
  nodeId: NodeIdSchema.optional().meta({ param: { name: 'nodeId', in: 'query' } }),
  limit: queryInteger(1, 1000, 100).meta({ param: { name: 'limit', in: 'query' }, example: 100 }),
  cursor: text()
    .max(64)
    .optional()
    .meta({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page' }),
});

/** What a paged list answers besides its items: null on the last page. */
export const nextCursor = z.string().nullable();
