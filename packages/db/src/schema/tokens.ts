import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { nodes } from './nodes';

/** API tokens. Only a SHA-256 hash of the secret is stored; agent tokens belong to one node. */
export const tokens = sqliteTable('tokens', {
  id: text('id').primaryKey(),
  role: text('role', { enum: ['admin', 'app', 'agent'] }).notNull(),
  name: text('name'),
  hash: text('hash').notNull(),
  nodeId: text('node_id')
    .unique()
    .references(() => nodes.id),
  createdAt: integer('created_at').notNull(),
});
