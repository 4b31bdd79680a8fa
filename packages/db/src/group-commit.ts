import type Database from 'better-sqlite3';
import type { Row, Statement } from './client';

/**
 * Group commit for better-sqlite3. With synchronous=FULL every COMMIT is an fsync (~150 µs here, far more on a
 * busy disk), and better-sqlite3 runs it on the event loop, so one transaction per batch caps a server at a few
 * thousand writes a second whatever else it does. Batches that arrive while the loop is busy (in the same
 * turn) are queued and run together in ONE `BEGIN IMMEDIATE … COMMIT`: one fsync for all of them.
 *
 * Each batch keeps its own semantics: it runs inside its own SAVEPOINT, so a batch that fails is rolled back
 * alone and rejects with its error while its neighbours commit; batches run one after another in arrival
 * order, so each sees the writes of those before it exactly as if they had committed separately; and no
 * batch's promise settles before the COMMIT that holds it has returned (durability is unchanged: nothing is
 * acknowledged that a crash could still undo). D1 and libSQL keep their one-transaction-per-batch drivers.
 */
export interface GroupCommitOptions {
  /** Run the queue at once when this many batches wait, bounding a group's size and its latency. */
  maxBatches?: number | undefined;
}

export interface GroupCommitStats {
  /** Transactions committed (or attempted) so far. */
  groups: number;
  /** Batches run so far. */
  batches: number;
}

interface Pending {
  statements: readonly Statement[];
  resolve(rows: Row[][]): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; rows: Row[][] } | { ok: false; error: unknown };

export function groupCommit(
  raw: Database.Database,
  execute: (statement: Statement) => Row[],
  options: GroupCommitOptions = {},
): { batch(statements: readonly Statement[]): Promise<Row[][]>; stats: GroupCommitStats } {
  const maxBatches = options.maxBatches ?? 256;
  const stats: GroupCommitStats = { groups: 0, batches: 0 };
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
  // A lone batch needs no savepoint: its failure may take the whole transaction with it.
  const runAlone = raw.transaction((statements: readonly Statement[]) => statements.map(execute));

  let queue: Pending[] = [];
  let scheduled = false;

  const runGroup = (group: Pending[]): Outcome[] => {
    begin();
    const outcomes: Outcome[] = [];
    try {
      for (const pending of group) {
        savepoint();
        try {
          outcomes.push({ ok: true, rows: pending.statements.map(execute) });
          release();
        } catch (error) {
          // Some errors (SQLITE_FULL, IOERR…) end the whole transaction; then no batch of the group applied.
          if (!raw.inTransaction) throw error;
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

  const flush = () => {
    scheduled = false;
    const group = queue;
    queue = [];
    if (group.length === 0) return;
    stats.groups++;
    stats.batches += group.length;
    if (group.length === 1) {
      const [only] = group as [Pending];
      try {
        only.resolve(runAlone.immediate(only.statements));
      } catch (error) {
        only.reject(error);
      }
      return;
    }
    let outcomes: Outcome[];
    try {
      outcomes = runGroup(group);
    } catch (error) {
      // BEGIN, COMMIT or the transaction itself failed: nothing of this group is on disk.
      for (const pending of group) pending.reject(error);
      return;
    }
    group.forEach((pending, i) => {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) pending.resolve(outcome.rows);
      else pending.reject(outcome.error);
    });
  };

  const batch = (statements: readonly Statement[]) =>
    new Promise<Row[][]>((resolve, reject) => {
      queue.push({ statements, resolve, reject });
      if (queue.length >= maxBatches) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });

  return { batch, stats };
}
