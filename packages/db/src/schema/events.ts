import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The outbox: every change worth telling an application or an operator (a node up, down, restarted, ejected or
 * drained; a session placed, moved, renamed or released), written in the SAME transaction as the change, so
 * that none is lost and none is invented by a refused request. Webhooks and the event stream read it in `seq`
 * order. No foreign keys: the history of a deleted node or session stays readable.
 */
export const events = sqliteTable(
  'events',
  {
    /** The event's id: increases, never reused (AUTOINCREMENT), the cursor of every reader. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    at: integer('at').notNull(),
    nodeId: text('node_id'),
    sessionId: text('session_id'),
    /** JSON object: the event's details (reason, sessions on a node that went down, from/to of a move…). */
    data: text('data').notNull().default('{}'),
  },
  (t) => [index('events_node_seq_idx').on(t.nodeId, t.seq), index('events_type_seq_idx').on(t.type, t.seq)],
);
