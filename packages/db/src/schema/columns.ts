import { integer } from 'drizzle-orm/sqlite-core';

/** Creation and last-change times in epoch milliseconds, shared by every table that has them. */
export const timestamps = {
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
};
