import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { eventTypes, listEvents } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { optionalQueryInteger, text } from '../input';
import { apiRoute } from '../route';
import { bearerAuth, jsonResponse, NodeId, PagedByNodeQuery, SessionId } from '../schemas';

export const EventTypeSchema = z.enum(eventTypes);

export const EventSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: 'Increases with every event; the cursor of `after` and `Last-Event-ID`.' }),
    type: EventTypeSchema,
    at: z.string(),
    nodeId: NodeId.nullable(),
    sessionId: SessionId.nullable(),
    data: z.record(z.string(), z.unknown()).openapi({
      description:
        'Details: `reason` (node events); `sessions` (node.down: the ids of the sessions on the node then); ' +
        '`ejectedUntil` and `why` (node.ejected); `from`, `to` (session.moved: node ids; session.renamed: `from` ' +
        'is the old session id); `forced` (session.placed); `startedAt` (node.restarted).',
    }),
  })
  .openapi('Event');

/** `types=a,b`: comma-separated event types, each one known (the stream reads it too). */
export const eventTypesQuery = text()
  .max(512)
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const types = raw.split(',').map((t) => t.trim());
    const unknown = types.find((t) => !(eventTypes as readonly string[]).includes(t));
    if (unknown !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `'${unknown}' is not an event type (${eventTypes.join(', ')})`,
      });
      return z.NEVER;
    }
    return types as (typeof eventTypes)[number][];
  })
  .openapi({ param: { name: 'types', in: 'query' }, description: 'Comma-separated event types.' });

const EventQuery = PagedByNodeQuery.extend({
  after: optionalQueryInteger(0, Number.MAX_SAFE_INTEGER).openapi({
    param: { name: 'after', in: 'query' },
    description: 'Only events after this id, oldest first: a feed. Without it, newest first.',
  }),
  types: eventTypesQuery,
});

const route = apiRoute({
  method: 'get',
  path: '/v1/events',
  operationId: 'listEvents',
  tags: ['events'],
  summary: 'Events of the fleet: node health, ejections, drains, placements, moves, releases',
  description:
    'Every event is written in the same transaction as the change it reports (an outbox): none is lost, none is ' +
    'invented by a refused request. With `after`, events after that id, oldest first, and `nextCursor` is the ' +
    'id to ask after next (null once caught up). Without it, the newest first, and `nextCursor` continues into ' +
    'older events (pass it as `cursor`).',
  security: bearerAuth,
  middleware: [allow()] as const,
  request: { query: EventQuery },
  responses: {
    200: jsonResponse(
      z.object({ events: z.array(EventSchema), nextCursor: z.string().nullable() }),
      'One page of events',
    ),
  },
});

export function registerListEvents(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listEvents(c.get('db'), c.req.valid('query')), 200));
}
