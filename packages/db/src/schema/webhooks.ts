import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Webhooks: URLs the control plane POSTs each event of the outbox to, in order, at least once (../webhooks.ts,
 * ../webhook-delivery.ts). The row is also the webhook's delivery state, shared by every replica on the
 * database: how far it got, how its receiver is failing, and which process may deliver its events now.
 */
export const webhooks = sqliteTable('webhooks', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  /** JSON array of the event types it gets, or NULL for every type (those added later too). */
  types: text('types'),
  description: text('description'),
  /**
   * The HMAC key of its signatures, as given to its owner once. Signing needs the key itself (a hash would not
   * sign): sealed with FLEET_SECRETS_KEY when one is set (../secret-box), else stored as is, and then whoever
   * reads the database can forge this webhook's deliveries (README, threat model).
   */
  secret: text('secret').notNull(),
  createdAt: integer('created_at').notNull(),
  /**
   * Every event up to this `events.seq` is behind it (delivered, failed, or not of its types); the next delivery
   * is the first event after it. Set at creation to the newest event: a webhook gets events from then on.
   */
  afterSeq: integer('after_seq').notNull(),
  /** Failed attempts in a row, whatever the event: the receiver's backoff (1 s doubling to 10 min). */
  failures: integer('failures').notNull().default(0),
  /** No attempt before then (epoch ms): the backoff after a failure; NULL: deliver at once. */
  retryAt: integer('retry_at'),
  /**
   * The lease: only the process named here delivers this webhook's events until `lease_until` (epoch ms), so
   * that replicas never deliver one webhook out of order or twice at once. Taken by one conditional UPDATE.
   */
  leaseOwner: text('lease_owner'),
  leaseUntil: integer('lease_until'),
});
