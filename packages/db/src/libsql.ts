import type { Client, InStatement, ResultSet } from '@libsql/client';
import { type BusyRetry, defaultBusyRetry, whileBusy } from './busy';
import type { Row, SqlClient, SqlValue } from './client';

/**
 * The libSQL driver: a libSQL server (sqld, the multi-machine SQLite behind Turso) shared by several control
 * planes on several machines. A batch in "write" mode runs as one BEGIN IMMEDIATE transaction on the server,
 * which is what every atomic step needs. sqld answers SQLITE_BUSY when another connection holds the write lock
 * longer than its own short busy timeout; the batch began with BEGIN IMMEDIATE, so it applied nothing and is
 * retried (./busy): the guarantee better-sqlite3's queue gives, moved to the client.
 */
export function libsqlClient(client: Client, retry: BusyRetry = defaultBusyRetry): SqlClient {
  const rows = (result: ResultSet): Row[] =>
    result.rows.map((row) =>
      Object.fromEntries(result.columns.map((column, i) => [column, row[i] as SqlValue])),
    );
  // One write batch in flight per process: the server has one writer anyway, and requests of one process
  // queued here instead of racing for the lock leave SQLITE_BUSY (and its retries) to other processes only.
  let writes: Promise<unknown> = Promise.resolve();
  return {
    async batch(statements) {
      const batch: InStatement[] = statements.map(({ sql, params }) => ({ sql, args: [...params] }));
      const run = writes.then(() => whileBusy(() => client.batch(batch, 'write'), retry));
      writes = run.catch(() => {});
      return (await run).map(rows);
    },
    async query({ sql, params }) {
      return rows(await whileBusy(() => client.execute({ sql, args: [...params] }), retry));
    },
  };
}
