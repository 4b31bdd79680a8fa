import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { nodes } from './nodes';

/** The live assignment of a media session to a node. A row exists while the session lives. */
export const sessions = sqliteTable(
  'sessions',
  {
    /** Never reused (AUTOINCREMENT): gives the oldest-first order and the list cursor. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    nodeId: text('node_id')
      .notNull()
      .references(() => nodes.id),
    createdAt: integer('created_at').notNull(),
    assignedAt: integer('assigned_at').notNull(),
    /** Whether the last placement moved the session off a node that was no longer usable. */
    reassigned: integer('reassigned', { mode: 'boolean' }).notNull().default(false),
    /** Nonce of the request that last placed the session: tells that request its own write apart. */
    placement: text('placement').notNull(),
  },
  (t) => [index('sessions_node_seq_idx').on(t.nodeId, t.seq)],
);
