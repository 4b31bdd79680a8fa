import type Database from 'better-sqlite3';
import { isBusy, whileBusy } from './busy';
import type { Row, Statement } from './client';

/**
 * Group reads for better-sqlite3: the reads issued in the same event-loop turn run together, back to back, in
 * ONE read transaction, when the loop next turns (the way ./group-commit runs writes).
 *
 * Why: in WAL mode every statement outside a transaction opens and closes its own read transaction, each with
 * a lock round trip (two fcntl calls on the database file) and a look at the WAL index; and a read done in the
 * middle of an HTTP request runs with cold CPU caches, the request's parsing and answering having evicted
 * SQLite's code and pages. Measured on the control plane under wrk: a sticky re-assignment (one indexed read)
 * cost about 150 µs of CPU per request with a read per request, and about 70 µs with grouped reads
 * (bench/optimizations.md): the reads of a group share one lock round trip and run hot, and the answers then
 * leave together.
 *
 * Exactness: every read of a group sees the database as committed when the group runs, which is after the read
 * was issued; so a read never sees a state older than its caller could have seen by reading at once. Writes are
 * not delayed by reads, and no read waits for another process's write lock (WAL readers take none).
 * A read that meets SQLITE_BUSY (another connection recovering or restarting the WAL) is retried on its own with
 * timers (./busy), as before; any other error rejects that read alone.
 */
export function groupReads(
  raw: Database.Database,
  execute: (statement: Statement) => Row[],
  maxReads = 256,
): { query(statement: Statement): Promise<Row[]>; stats: { groups: number; reads: number } } {
  const stats = { groups: 0, reads: 0 };
  const begin = raw.prepare('BEGIN');
  const end = raw.prepare('COMMIT');
  const rollback = raw.prepare('ROLLBACK');
  /** Set when this module's own read transaction could not be ended: it is ended before the next group. */
  let leftOpen = false;
  /**
   * Ends this module's read transaction, whatever it takes: a read transaction has nothing to lose, and one left
   * open would serve a frozen snapshot for good and make every write of the connection fail (worse: the write
   * group's BEGIN IMMEDIATE inside it takes the database-wide write lock before failing, and keeps it).
   */
  const endReads = () => {
    for (const statement of [end, rollback]) {
      if (!raw.inTransaction) break;
      try {
        statement.run();
      } catch {
        // Tried again below, then at the next group.
      }
    }
    leftOpen = raw.inTransaction;
  };
  let queue: { statement: Statement; resolve(rows: Row[]): void; reject(error: unknown): void }[] = [];

  const alone = (read: (typeof queue)[number]) => {
    whileBusy(() => execute(read.statement)).then(read.resolve, read.reject);
  };

  const flush = () => {
    const group = queue;
    queue = [];
    if (group.length === 0) return;
    // A write group always ends its transaction before returning; never read inside someone else's.
    if (leftOpen) endReads();
    if (raw.inTransaction) return void group.forEach(alone);
    // This runs from setImmediate: anything thrown here would be an uncaught exception, so a connection closed
    // since the reads were issued (a stop under load) rejects them instead.
    try {
      begin.run();
    } catch (error) {
      for (const read of group) read.reject(error);
      return;
    }
    stats.groups++;
    stats.reads += group.length;
    const outcomes = group.map((read) => {
      try {
        return { rows: execute(read.statement) };
      } catch (error) {
        return { error };
      }
    });
    // A read transaction has nothing to write: COMMIT only lets go of the snapshot (an I/O error may have ended
    // it already).
    endReads();
    group.forEach((read, i) => {
      const outcome = outcomes[i] as { rows?: Row[]; error?: unknown };
      if (outcome.rows) read.resolve(outcome.rows);
      else if (isBusy(outcome.error)) alone(read);
      else read.reject(outcome.error);
    });
  };

  const query = (statement: Statement) =>
    new Promise<Row[]>((resolve, reject) => {
      queue.push({ statement, resolve, reject });
      if (queue.length >= maxReads) flush();
      else if (queue.length === 1) setImmediate(flush);
    });
  return { query, stats };
}
