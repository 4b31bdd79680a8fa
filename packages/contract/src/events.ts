import { z } from 'zod';
import { NodeIdSchema, SessionIdSchema } from './ids';
import { optionalQueryInteger, text } from './input';
import { nextCursor, PagedByNodeQuerySchema } from './paging';

/** Every event type the outbox records. `session.renamed` is ours: a gateway names a pipeline's session late. */
export const eventTypes = [
  'node.up',
  'node.down',
  'node.restarted',
  'node.ejected',
  'node.drained',
  'session.placed',
  'session.moved',
  'session.renamed',
  'session.released',
] as const;

export const EventTypeSchema = z.enum(eventTypes);

export const EventSchema = z
  .object({
    id: z
      .string()
      .meta({ description: 'Increases with every event; the cursor of `after` and `Last-Event-ID`.' }),
    type: EventTypeSchema,
    at: z.string(),
    nodeId: NodeIdSchema.nullable(),
    sessionId: SessionIdSchema.nullable(),
    data: z.record(z.string(), z.unknown()).meta({
      description:
        'Details: `reason` (node events); `sessions` (node.down: the ids of the sessions on the node then); ' +
        '`ejectedUntil` and `why` (node.ejected); `from`, `to` (session.moved: node ids; session.renamed: `from` ' +
        'is the old session id); `forced` (session.placed); `startedAt` (node.restarted).',
    }),
  })
  .meta({ id: 'Event' });

/** `types=a,b`: a comma-separated list of event types. */
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
    return types as EventType[];
  })
  .meta({ param: { name: 'types', in: 'query' }, description: 'Comma-separated event types.' });

export const EventQuerySchema = PagedByNodeQuerySchema.extend({
  after: optionalQueryInteger(0, Number.MAX_SAFE_INTEGER).meta({
    param: { name: 'after', in: 'query' },
    description: 'Only events after this id, oldest first: a feed. Without it, newest first.',
  }),
  types: eventTypesQuery,
});

export const EventPageSchema = z.object({ events: z.array(EventSchema), nextCursor });

export type EventType = (typeof eventTypes)[number];
