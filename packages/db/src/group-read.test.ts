import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import type { Row, Statement } from './client';
import { groupReads } from './group-read';

const count: Statement = { sql: 'SELECT COUNT(*) AS n FROM t', params: [] };

describe('groupReads', () => {
  let dir: ReturnType<typeof tempDir>;
  let raw: Database.Database;
  let other: Database.Database;
  /** Each read as executed: whether it ran inside a transaction, and in which group. */
  let executed: { inTransaction: boolean; group: number }[];
  let grouped: ReturnType<typeof groupReads>;
  const query = (statement: Statement) => grouped.query(statement);

  beforeEach(() => {
    dir = tempDir('fleet-group-read-');
    raw = new Database(`${dir.path}/g.db`);
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
    other = new Database(`${dir.path}/g.db`);
    executed = [];
    grouped = groupReads(raw, (statement) => {
      executed.push({ inTransaction: raw.inTransaction, group: grouped.stats.groups });
      return raw.prepare(statement.sql).all(...statement.params) as Row[];
    });
  });
  afterEach(() => {
    other.close();
    raw.close();
    dir.remove();
  });

  it('runs the reads of one event-loop turn together, in one read transaction, in order', async () => {
    const answers = await Promise.all([1, 2, 3].map((n) => query({ sql: 'SELECT ? AS n', params: [n] })));
    expect(answers).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]]);
    expect(executed).toEqual([1, 2, 3].map(() => ({ inTransaction: true, group: 1 })));
    expect(raw.inTransaction).toBe(false);
    await query(count);
    expect(grouped.stats).toEqual({ groups: 2, reads: 4 });
  });

  it('reads what was committed before its group ran, never older', async () => {
    const pending = query(count);
    // Committed by another connection after the read was issued, before the group runs.
    other.prepare('INSERT INTO t (id) VALUES (?)').run('a');
    expect(await pending).toEqual([{ n: 1 }]);
  });

  it('reads while another connection holds the write lock', async () => {
    other.exec('BEGIN IMMEDIATE');
    other.prepare('INSERT INTO t (id) VALUES (?)').run('uncommitted');
    try {
      expect(await query(count)).toEqual([{ n: 0 }]);
    } finally {
      other.exec('ROLLBACK');
    }
  });

  it('rejects a failing read alone', async () => {
    const [good, bad, after] = await Promise.allSettled([
      query(count),
      query({ sql: 'SELECT nope FROM t', params: [] }),
      query(count),
    ]);
    expect(good).toEqual({ status: 'fulfilled', value: [{ n: 0 }] });
    expect(bad.status).toBe('rejected');
    expect(String((bad as PromiseRejectedResult).reason)).toMatch(/no such column: nope/);
    expect(after).toEqual({ status: 'fulfilled', value: [{ n: 0 }] });
    expect(raw.inTransaction).toBe(false);
  });

  it('retries a read that met SQLITE_BUSY on its own, with timers', async () => {
    let busyOnce = true;
    const flaky = groupReads(raw, (statement) => {
      if (busyOnce && statement.params[0] === 'flaky') {
        busyOnce = false;
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY_RECOVERY' });
      }
      return raw.prepare(statement.sql).all(...statement.params) as Row[];
    });
    const answers = await Promise.all(
      ['steady', 'flaky'].map((name) => flaky.query({ sql: 'SELECT ? AS name', params: [name] })),
    );
    expect(answers).toEqual([[{ name: 'steady' }], [{ name: 'flaky' }]]);
    expect(busyOnce).toBe(false);
  });

  it('rejects the reads still queued when the connection closes, never throwing into the event loop', async () => {
    const closing = new Database(`${dir.path}/g.db`);
    const reads = groupReads(closing, (statement) => closing.prepare(statement.sql).all() as Row[]);
    const pending = reads.query(count);
    closing.close();
    await expect(pending).rejects.toThrow(/not open/);
  });
});
