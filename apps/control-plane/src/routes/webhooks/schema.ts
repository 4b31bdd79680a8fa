import { z } from '@hono/zod-openapi';
import { text } from '../../input';
import { EventTypeSchema } from '../events';

/** Shapes of the webhook routes. */

export const WebhookUrl = text()
  .max(2048)
  .refine((raw) => {
    try {
      const url = new URL(raw);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL')
  .openapi({ example: 'https://app.example.com/fleet-events' });

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    types: z.array(EventTypeSchema).nullable().openapi({
      description: 'The event types it gets; null: every type, those added later too.',
    }),
    description: z.string().nullable(),
    createdAt: z.string(),
    delivery: z
      .object({
        afterEventId: z.string().openapi({
          description: 'Every event up to this id is behind it: delivered, failed, or not of its types.',
        }),
        failures: z.number().int().openapi({ description: 'Failed attempts in a row (0 while it answers).' }),
        retryAt: z.string().nullable().openapi({ description: 'No attempt before then (the backoff).' }),
      })
      .openapi({ description: 'Where its delivery stands.' }),
  })
  .openapi('Webhook');

export const WebhookIdParams = z.object({
  id: text()
    .regex(/^wh_[0-9a-f]{16}$/, 'must be a webhook id (wh_ and 16 hex digits)')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'wh_0123456789abcdef' }),
});
