import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';

/**
 * One row: the last time a control-plane process was observing (its housekeeping ran). A process that starts
 * counts the span since then as time nobody observed, so a restart of the control plane does not look like
 * every node's heartbeats stopping.
 */
export const observer = sqliteTable('observer', {
  id: integer('id').primaryKey(),
  observedAt: integer('observed_at').notNull(),
});
