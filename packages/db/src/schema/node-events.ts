import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * What happened to a node's health, for operators: up, down (with the reason), a restarted KMS.
 * No foreign key: the history of a deleted node stays readable.
 */
export const nodeEvents = sqliteTable(
  'node_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    nodeId: text('node_id').notNull(),
    at: integer('at').notNull(),
    type: text('type', { enum: ['up', 'down', 'restarted', 'ejected'] }).notNull(),
    reason: text('reason'),
  },
  (t) => [index('node_events_node_seq_idx').on(t.nodeId, t.seq)],
);

export type NodeEventRow = typeof nodeEvents.$inferSelect;
