// A transaction left open on the connection (a COMMIT or ROLLBACK that failed, or a user of SqliteFile.raw)
// must never make the connection hold the database-wide write lock, nor serve a frozen snapshot.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import type { Row, Statement } from './client';
import { groupCommit } from './group-commit';
import { groupReads } from './group-read';

let dir: ReturnType<typeof tempDir>;
let raw: Database.Database;
let other: Database.Database;
const execute = (statement: Statement): Row[] => {
  const prepared = raw.prepare(statement.sql);
  if (prepared.reader) return prepared.all(...statement.params) as Row[];
  prepared.run(...statement.params);
  return [];
};
beforeEach(() => {
  dir = tempDir('fleet-left-open-');
  raw = new Database(`${dir.path}/w.db`);
  raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
  other = new Database(`${dir.path}/w.db`, { timeout: 100 });
});
afterEach(() => {
  other.close();
  raw.close();
  dir.remove();
});

it('a write group on a connection left inside a transaction does not take the database-wide write lock', async () => {
  // A transaction left open on the connection (a COMMIT or ROLLBACK that failed, or a user of SqliteFile.raw).
  raw.exec('BEGIN');
  raw.prepare('SELECT COUNT(*) FROM t').get();
  const { batch } = groupCommit(raw, execute);
  await expect(batch([{ sql: 'INSERT INTO t (id) VALUES (?)', params: ['a'] }])).rejects.toThrow();
  // BEGIN IMMEDIATE inside a transaction takes the write lock before it fails, and the lock stays with the
  // transaction: every other process is then refused every write.
  expect(() => other.prepare('INSERT INTO t (id) VALUES (?)').run('from-other')).not.toThrow();
});

it('a read group whose COMMIT fails does not leave the connection in its snapshot', async () => {
  let iterator: IterableIterator<unknown> | undefined;
  const leaving = (statement: Statement): Row[] => {
    if (statement.params[0] !== 'leave-open') return execute(statement);
    // A statement still running when the group ends: COMMIT throws (a stand-in for any COMMIT failure).
    iterator = raw.prepare('SELECT id FROM t UNION ALL SELECT 1').iterate();
    iterator.next();
    iterator.next();
    return [];
  };
  raw.prepare('INSERT INTO t (id) VALUES (?)').run('x');
  const reads = groupReads(raw, leaving);
  const pending = reads.query({ sql: 'SELECT ?', params: ['leave-open'] });
  await pending;
  iterator?.return?.();
  other.prepare('INSERT INTO t (id) VALUES (?)').run('later');
  // The next group ends the leftover snapshot first, and sees what was committed since.
  expect(await reads.query({ sql: 'SELECT COUNT(*) AS n FROM t', params: [] })).toEqual([{ n: 2 }]);
  expect(raw.inTransaction).toBe(false);
});
