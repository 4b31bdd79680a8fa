import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { webhooks } from './webhooks';

/**
 * The delivery log: one row per event a webhook attempted (or failed without an attempt), updated at each
 * attempt. The housekeeping sweep deletes finished rows past the event retention, so it stays bounded.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    /** The event (`events.seq`); no foreign key: the log outlives the event's retention for a while. */
    eventSeq: integer('event_seq').notNull(),
    type: text('type').notNull(),
    status: text('status', { enum: ['delivered', 'retrying', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull(),
    /** The HTTP status of the last attempt; NULL when it got none (refused, timed out) or none was made. */
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    deliveredAt: integer('delivered_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.webhookId, t.eventSeq] }),
    index('webhook_deliveries_updated_idx').on(t.updatedAt),
  ],
);
