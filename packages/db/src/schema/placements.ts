import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Recent placements (new, moved or forced), newest last: what the dashboard charts against the weights.
 * Written in the placement's own batch; the sweep keeps only the newest rows, so it never grows with traffic.
 */
export const placements = sqliteTable('placements', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  sessionId: text('session_id').notNull(),
  nodeId: text('node_id').notNull(),
  outcome: text('outcome', { enum: ['new', 'reassigned', 'forced'] }).notNull(),
  at: integer('at').notNull(),
  /** Why the pick went there (JSON: eligible nodes with their weights and currents, skipped ones with why). */
  decision: text('decision'),
});
