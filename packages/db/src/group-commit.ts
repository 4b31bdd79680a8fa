import type Database from 'better-sqlite3';
import { isBusy, retryDelayMs } from './busy';
import type { BatchOptions, Row, Statement } from './client';

/**
 * Group commit for better-sqlite3, with the wait for another process's write lock taken OFF the event loop.
 *
 * Group commit: with synchronous=FULL every COMMIT is an fsync (~150 µs here, far more on a busy disk), and
 * better-sqlite3 runs it on the event loop, so one transaction per batch caps a server at a few thousand writes
 * a second whatever else it does. Batches that arrive while the loop is busy (in the same turn) are queued and
 * run together in ONE `BEGIN IMMEDIATE … COMMIT`: one fsync for all of them. Each batch keeps its own
 * semantics: it runs inside its own SAVEPOINT, so a batch that fails is rolled back alone and rejects with its
 * error while its neighbours commit; batches run in arrival order, so each sees the writes of those before it
 * exactly as if they had committed separately; and no batch's promise settles before the COMMIT that holds it
 * has returned (nothing is acknowledged that a crash could still undo).
 *
 * The lock: SQLite's busy_timeout waits for a lock by sleeping INSIDE the call, and better-sqlite3 makes that
 * call on the event loop. While another process (a second replica, an operator's `sqlite3` shell, a slow
 * fsync elsewhere) held the write lock, the whole server stood still: health checks, reads, sticky answers.
 * So the connection runs with busy_timeout = 0 and this queue does the waiting: `BEGIN IMMEDIATE` that finds
 * the lock taken fails at once having done nothing, the group stays queued (new batches join it), and the
 * attempt is repeated from a timer with a growing delay. Reads go on meanwhile (WAL readers need no write lock).
 * A batch that waited longer than `busyTimeoutMs` rejects with the BUSY error alone: nothing of it applied.
 * Why not a writer on a worker thread: it would also take our own fsync off the loop, but every write would pay
 * a thread hop and a copy of its rows, and the reads would need a second connection whose snapshot can lag
 * the writer's; the lock wait, the one unbounded stall, is gone with this simpler design.
 *
 * Deferred durability: a group whose batches all say `durable: false` (steady heartbeats, each superseded by the
 * next within an interval) commits with synchronous=NORMAL on a FULL connection: no fsync of its own, which under
 * a heartbeat storm was a quarter of the event loop's time. In WAL mode such a commit is still atomic and
 * survives a crash of the process; its frames reach the disk with the next durable commit's fsync (or a
 * checkpoint), so only a power cut in between can undo it. One durable batch makes its whole group durable.
 */
export interface GroupCommitOptions {
  /** Run the queue at once when this many batches wait, bounding a group's size and its latency. */
  maxBatches?: number | undefined;
  /** How long a batch may wait for another process's write lock before it fails (nothing applied). */
  busyTimeoutMs?: number | undefined;
  /** Runs before each write transaction; throwing refuses the whole group (see ./file-identity). */
  beforeWrite?: (() => void) | undefined;
}

export interface GroupCommitStats {
  /** Transactions committed (or attempted) so far. */
  groups: number;
  /** Batches run so far. */
  batches: number;
  /** Attempts that found the write lock taken by another connection and were retried later. */
  busyRetries: number;
}

interface Pending {
  statements: readonly Statement[];
  durable: boolean;
  deadline: number;
  resolve(rows: Row[][]): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; rows: Row[][] } | { ok: false; error: unknown };

export function groupCommit(
  raw: Database.Database,
  execute: (statement: Statement) => Row[],
  options: GroupCommitOptions = {},
): {
  batch(statements: readonly Statement[], options?: BatchOptions): Promise<Row[][]>;
  stats: GroupCommitStats;
} {
  const maxBatches = options.maxBatches ?? 256;
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  const stats: GroupCommitStats = { groups: 0, batches: 0, busyRetries: 0 };
  const control = (sql: string) => {
    const statement = raw.prepare(sql);
    return () => statement.run();
  };
  const begin = control('BEGIN IMMEDIATE');
  const commit = control('COMMIT');
  const rollback = control('ROLLBACK');
  const savepoint = control('SAVEPOINT fleet_batch');
  const release = control('RELEASE fleet_batch');
  const rollbackTo = control('ROLLBACK TO fleet_batch');
  // Only a FULL connection has an fsync to defer (NORMAL already commits without one in WAL mode); read each
  // time, as an operator's pragma may change it. Not prepared statements: SQLite applies PRAGMA synchronous when
  // it compiles the statement, not when it runs it.
  const full = () => raw.pragma('synchronous', { simple: true }) === 2;
  const deferSync = () => raw.pragma('synchronous = NORMAL');
  const restoreSync = () => raw.pragma('synchronous = FULL');

  let queue: Pending[] = [];
  let scheduled = false;
  /** The retry the queue waits for (another process holds the lock), 0 when none: arrivals then only join it. */
  let retryAttempt = 0;

  /** Runs the group in one transaction; throws (having applied nothing) when the transaction itself failed. */
  const runGroup = (group: Pending[]): Outcome[] => {
    options.beforeWrite?.();
    // BEGIN IMMEDIATE inside an open transaction takes the write lock BEFORE it fails ("cannot start a transaction
    // within a transaction"), and the lock then stays with that transaction: every other process would be
    // refused every write. Refuse here instead, having taken nothing.
    if (raw.inTransaction)
      throw new Error('the database connection is inside a transaction this queue did not open');
    const deferred = group.every((pending) => !pending.durable) && full();
    if (deferred) deferSync();
    try {
      return runTransaction(group);
    } finally {
      if (deferred) restoreSync();
    }
  };

  const runTransaction = (group: Pending[]): Outcome[] => {
    begin();
    const outcomes: Outcome[] = [];
    try {
      for (const pending of group) {
        // A lone batch needs no savepoint: its failure may take the whole transaction with it.
        if (group.length > 1) savepoint();
        try {
          outcomes.push({ ok: true, rows: pending.statements.map(execute) });
          if (group.length > 1) release();
        } catch (error) {
          // Some errors (SQLITE_FULL, IOERR…) end the whole transaction; a BUSY inside it is retried whole.
          if (group.length === 1 || !raw.inTransaction || isBusy(error)) throw error;
          rollbackTo();
          release();
          outcomes.push({ ok: false, error });
        }
      }
      commit();
    } catch (error) {
      if (raw.inTransaction) rollback();
      throw error;
    }
    return outcomes;
  };

  const waitForLock = (error: unknown) => {
    stats.busyRetries++;
    const now = Date.now();
    // Those that waited long enough fail alone; the others keep their place at the head of the queue.
    const expired = queue.filter((pending) => pending.deadline <= now);
    queue = queue.filter((pending) => pending.deadline > now);
    for (const pending of expired) pending.reject(error);
    // Every waiter gave up: nothing to retry, and the next arrival must start a group of its own again.
    if (queue.length === 0) {
      retryAttempt = 0;
      return;
    }
    retryAttempt += 1;
    setTimeout(flush, retryDelayMs(retryAttempt));
  };

  const flush = () => {
    scheduled = false;
    const group = queue;
    if (group.length === 0) return;
    queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = runGroup(group);
    } catch (error) {
      if (isBusy(error)) {
        // runGroup is synchronous: nothing joined the queue meanwhile.
        queue = group;
        waitForLock(error);
        return;
      }
      outcomes = group.map(() => ({ ok: false, error }));
    }
    // Committed, or (BEGIN, COMMIT or the transaction itself failed) nothing of this group is on disk.
    retryAttempt = 0;
    stats.groups++;
    stats.batches += group.length;
    group.forEach((pending, i) => {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) pending.resolve(outcome.rows);
      else pending.reject(outcome.error);
    });
  };

  const batch = (statements: readonly Statement[], options?: BatchOptions) =>
    new Promise<Row[][]>((resolve, reject) => {
      const durable = options?.durable ?? true;
      queue.push({ statements, durable, deadline: Date.now() + busyTimeoutMs, resolve, reject });
      if (retryAttempt > 0) return;
      if (queue.length >= maxBatches) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });

  return { batch, stats };
}
