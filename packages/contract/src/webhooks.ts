import { z } from 'zod';
import { EventTypeSchema, eventTypesQuery } from './events';
import { optionalQueryInteger, queryInteger, text } from './input';

/** Webhooks: the events POSTed to a URL, signed with a secret shown once. */

export const WebhookUrlSchema = text()
  .max(2048)
  .refine((raw) => {
    try {
      const url = new URL(raw);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL')
  .meta({ example: 'https://app.example.com/fleet-events' });

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    types: z.array(EventTypeSchema).nullable().meta({
      description: 'The event types it gets; null: every type, those added later too.',
    }),
    description: z.string().nullable(),
    createdAt: z.string(),
    delivery: z
      .object({
        afterEventId: z.string().meta({
          description: 'Every event up to this id is behind it: delivered, failed, or not of its types.',
        }),
        failures: z.number().int().meta({ description: 'Failed attempts in a row (0 while it answers).' }),
        retryAt: z.string().nullable().meta({ description: 'No attempt before then (the backoff).' }),
      })
      .meta({ description: 'Where its delivery stands.' }),
  })
  .meta({ id: 'Webhook' });

export const WebhookIdParamsSchema = z.object({
  id: text()
    .regex(/^wh_[0-9a-f]{16}$/, 'must be a webhook id (wh_ and 16 hex digits)')
    .meta({ param: { name: 'id', in: 'path' }, example: 'wh_0123456789abcdef' }),
});

export const CreateWebhookBodySchema = z
  .strictObject({
    url: WebhookUrlSchema,
    types: z
      .array(EventTypeSchema)
      .min(1, 'must name at least one event type; leave it out for every type')
      .max(64)
      .optional(),
    description: text().min(1).max(200).optional(),
  })
  .meta({ id: 'CreateWebhook' });

export const CreatedWebhookSchema = z.object({
  webhook: WebhookSchema,
  secret: z.string().meta({ description: 'The HMAC key of the signatures; shown this once.' }),
});

export const WebhookListSchema = z.object({ webhooks: z.array(WebhookSchema) });

export const WebhookDeliverySchema = z
  .object({
    eventId: z.string(),
    type: EventTypeSchema,
    status: z.enum(['delivered', 'retrying', 'failed']),
    attempts: z.number().int().meta({ description: '0 for an event failed without an attempt.' }),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The HTTP status of the last attempt; null when no answer came.' }),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

export const DeliveryQuerySchema = z.object({
  limit: queryInteger(1, 1000, 100).meta({ param: { name: 'limit', in: 'query' } }),
});

export const DeliveryListSchema = z.object({ deliveries: z.array(WebhookDeliverySchema) });

const position = (what: string) =>
  optionalQueryInteger(0, Number.MAX_SAFE_INTEGER).meta({ description: what });

/** `GET /v1/events/stream`'s query and headers: where to resume, and which types. */
export const EventStreamQuerySchema = z.object({
  types: eventTypesQuery,
  after: position(
    'Start after this event id, as Last-Event-ID does; the header wins when both are given.',
  ).meta({
    param: { name: 'after', in: 'query' },
  }),
});

export const EventStreamHeadersSchema = z.object({
  'last-event-id': position('The id of the last event received: the stream resumes after it.').meta({
    param: { name: 'last-event-id', in: 'header' },
  }),
});

/** The text/event-stream body. */
export const EventStreamTextSchema = z.string().meta({
  example: 'id: 42\nevent: node.down\ndata: {"id":"42","type":"node.down",…}\n\n',
});
