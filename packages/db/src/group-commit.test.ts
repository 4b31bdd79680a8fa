import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import type { BatchOptions, Row, Statement } from './client';
import { type GroupCommitOptions, type GroupCommitStats, groupCommit } from './group-commit';

const insert = (id: string): Statement => ({ sql: 'INSERT INTO t (id) VALUES (?1)', params: [id] });
const readSeq = (id: string): Statement => ({ sql: 'SELECT seq FROM t WHERE id = ?1', params: [id] });

describe('groupCommit', () => {
  let dir: ReturnType<typeof tempDir>;
  let raw: Database.Database;
  let other: Database.Database;
  let batch: (statements: readonly Statement[], options?: BatchOptions) => Promise<Row[][]>;
  let stats: GroupCommitStats;

  const open = (options: GroupCommitOptions = {}) => {
    const execute = ({ sql, params }: Statement): Row[] => {
      const statement = raw.prepare(sql);
      const bound = Object.fromEntries(params.map((value, i) => [i + 1, value]));
      if (statement.reader) return statement.all(bound) as Row[];
      statement.run(bound);
      return [];
    };
    ({ batch, stats } = groupCommit(raw, execute, options));
  };

  beforeEach(() => {
    dir = tempDir('fleet-group-');
    raw = new Database(`${dir.path}/g.db`);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE)');
    // A second connection sees only what is committed: what a crash would leave.
    other = new Database(`${dir.path}/g.db`, { readonly: true });
    open();
  });
  afterEach(() => {
    other.close();
    raw.close();
    dir.remove();
  });

  const committed = () =>
    (other.prepare('SELECT id FROM t ORDER BY seq').all() as { id: string }[]).map((r) => r.id);

  it('commits a group of non-durable batches without an fsync of its own; one durable batch makes it durable', async () => {
    /** The synchronous level each statement ran under: 2 FULL, 1 NORMAL. */
    const levels: number[] = [];
    const sync: Statement = { sql: 'PRAGMA synchronous', params: [] };
    const level = async (durable: boolean[]) => {
      levels.length = 0;
      const probe = (): Statement[] => [insert(`x${Math.random()}`), sync];
      const rows = await Promise.all(durable.map((d) => batch(probe(), { durable: d })));
      return rows.map((r) => Number(r[1]?.[0]?.synchronous));
    };
    expect(await level([false, false])).toEqual([1, 1]);
    expect(await level([false, true])).toEqual([2, 2]);
    expect(await level([true])).toEqual([2]);
    // The connection is FULL again between groups, and the deferred commits are there for other connections.
    expect(raw.pragma('synchronous', { simple: true })).toBe(2);
    expect(committed()).toHaveLength(5);
  });

  it('runs the batches of one event-loop turn in one transaction, in arrival order', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const results = await Promise.all(ids.map((id) => batch([insert(id), readSeq(id)])));
    expect(results.map((rows) => rows[1]?.[0]?.seq)).toEqual(ids.map((_, i) => i + 1));
    expect(committed()).toEqual(ids);
    expect(stats).toEqual({ groups: 1, batches: 20, busyRetries: 0 });
  });

  it('lets each batch see the writes of the batches before it in the group', async () => {
    const [first, second] = await Promise.all([
      batch([insert('a'), { sql: 'SELECT COUNT(*) AS n FROM t', params: [] }]),
      batch([insert('b'), { sql: 'SELECT COUNT(*) AS n FROM t', params: [] }]),
    ]);
    expect(first?.[1]).toEqual([{ n: 1 }]);
    expect(second?.[1]).toEqual([{ n: 2 }]);
  });

  it('rolls back a failing batch alone: its neighbours commit, it rejects with its own error', async () => {
    await batch([insert('taken')]);
    const outcomes = await Promise.allSettled([
      batch([insert('before')]),
      // Its first statement applies, its second fails: the first must not survive.
      batch([insert('half'), insert('taken')]),
      batch([insert('after')]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: t.id/);
    expect(committed()).toEqual(['taken', 'before', 'after']);
  });

  it('rolls back a lone failing batch entirely', async () => {
    await expect(batch([insert('x'), insert('x')])).rejects.toThrow(/UNIQUE/);
    expect(committed()).toEqual([]);
    expect(raw.inTransaction).toBe(false);
  });

  it('settles no batch before its commit is visible to another connection', async () => {
    const pending = batch([insert('durable')]);
    // Queued, not yet run: nothing is committed and nothing has been acknowledged.
    expect(committed()).toEqual([]);
    await pending;
    expect(committed()).toEqual(['durable']);
  });

  it('rejects the whole group, and leaves nothing, when the transaction cannot begin', async () => {
    let refuse = true;
    open({
      beforeWrite: () => {
        if (refuse) throw new Error('the file is gone');
      },
    });
    const outcomes = await Promise.allSettled([batch([insert('p')]), batch([insert('q')])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(committed()).toEqual([]);
    expect(raw.inTransaction).toBe(false);
    refuse = false;
    await batch([insert('later')]);
    expect(committed()).toEqual(['later']);
  });

  /** Another connection (another process, an operator's shell) holding the write lock. */
  const holdLock = () => {
    const locker = new Database(`${dir.path}/g.db`);
    locker.exec('BEGIN IMMEDIATE');
    return () => {
      locker.exec('ROLLBACK');
      locker.close();
    };
  };

  it('waits for another connection’s write lock off the event loop, then commits in order', async () => {
    raw.pragma('busy_timeout = 0');
    const release = holdLock();
    const written = Promise.all(['w1', 'w2', 'w3'].map((id) => batch([insert(id), readSeq(id)])));
    // The loop keeps turning while the batches wait: timers fire, reads answer.
    let turns = 0;
    const ticker = setInterval(() => turns++, 10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(10);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(committed()).toEqual([]);
    release();
    const rows = await written;
    expect(rows.map((r) => r[1]?.[0]?.seq)).toEqual([1, 2, 3]);
    expect(committed()).toEqual(['w1', 'w2', 'w3']);
    expect(stats.busyRetries).toBeGreaterThan(0);
  });

  it('fails a batch that waited past busyTimeoutMs alone, with the BUSY error, having applied nothing', async () => {
    raw.pragma('busy_timeout = 0');
    open({ busyTimeoutMs: 1000 });
    const release = holdLock();
    const early = batch([insert('early')]);
    // Half the timeout later: when `early` gives up, `late` has waited 500 ms and keeps its place.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const late = batch([insert('late')]);
    await expect(early).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    release();
    await late;
    expect(committed()).toEqual(['late']);
  });

  it('takes new batches again once every waiter has given up (the queue is not left waiting for nothing)', async () => {
    raw.pragma('busy_timeout = 0');
    open({ busyTimeoutMs: 200 });
    const release = holdLock();
    // Retried several times, then given up: the last retry leaves the queue empty.
    await expect(batch([insert('gave-up')])).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(stats.busyRetries).toBeGreaterThan(1);
    release();
    await batch([insert('after')]);
    expect(committed()).toEqual(['after']);
  });

  it('starts a new group when maxBatches are queued', async () => {
    open({ maxBatches: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => batch([insert(`m${i}`)])));
    expect(stats).toEqual({ groups: 3, batches: 10, busyRetries: 0 });
    expect(committed()).toHaveLength(10);
  });
});
