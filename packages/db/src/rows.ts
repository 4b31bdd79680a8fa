import type { Table } from 'drizzle-orm';
import type { Row, SqlValue } from './client';

type Columns<T extends Table> = T['_']['columns'];

/**
 * A row of `table` as SQL returns it: keyed by the columns' database names (`last_heartbeat_at`), which the
 * drizzle schema declares. Every mapper that reads rows takes them typed so, so that renaming or dropping a
 * column in the schema fails the type check wherever a row of it is read.
 */
export type RowOf<T extends Table> = { [K in keyof Columns<T> as Columns<T>[K]['_']['name']]: SqlValue };

/** Computed columns a statement adds to a table's (`health`, `kms_uri`…). */
export type With<Names extends string> = { [K in Names]: SqlValue };

/**
 * The rows of a statement, given the type of row it selects. The drivers return plain records; this is the one
 * place they are taken for rows of the schema (the statement's SQL is what makes it true).
 */
export function rowsAs<R>(rows: readonly Row[]): R[] {
  return rows as unknown as R[];
}
