import type { Client, InStatement, ResultSet } from '@libsql/client';
import type { Row, SqlClient, SqlValue } from './client';

/**
 * The libSQL driver: a libSQL server (sqld, the multi-machine SQLite behind Turso) shared by several control
 * planes on several machines. A batch in "write" mode runs as one BEGIN IMMEDIATE transaction on the server,
 * which is what every atomic step needs.
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
      const run = writes.then(() => whileBusy(retry, () => client.batch(batch, 'write')));
      writes = run.catch(() => {});
      return (await run).map(rows);
    },
    async query({ sql, params }) {
      return rows(await whileBusy(retry, () => client.execute({ sql, args: [...params] })));
    },
  };
}

/** How long to keep trying while the server answers SQLITE_BUSY. */
export interface BusyRetry {
  /** Give up (and throw the BUSY error) after this long. */
  timeoutMs: number;
  /** The first wait; each next one doubles, up to maxDelayMs, with jitter. */
  initialDelayMs: number;
  maxDelayMs: number;
}

const defaultBusyRetry: BusyRetry = { timeoutMs: 10_000, initialDelayMs: 2, maxDelayMs: 100 };

/**
 * sqld answers SQLITE_BUSY when another connection holds the write lock longer than its own short busy
 * timeout. The batch began with BEGIN IMMEDIATE, so a BUSY means it applied nothing and can run again: the
 * same guarantee better-sqlite3's busy_timeout gives, moved to the client.
 */
async function whileBusy<T>(retry: BusyRetry, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + retry.timeoutMs;
  for (let delay = retry.initialDelayMs; ; delay = Math.min(delay * 2, retry.maxDelayMs)) {
    try {
      return await attempt();
    } catch (error) {
      const busy = (error as { code?: string }).code === 'SQLITE_BUSY';
      if (!busy || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    }
  }
}
