import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storageFailure } from './storage-errors';

describe('storageFailure', () => {
  it('names SQLite storage failures from better-sqlite3, D1 and libSQL alike', () => {
    expect(
      storageFailure(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })),
    ).toMatch(/full/);
    expect(
      storageFailure(new Error('D1_ERROR: attempt to write a readonly database: SQLITE_READONLY')),
    ).toMatch(/read-only/);
    expect(
      storageFailure(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' })),
    ).toMatch(/I\/O/);
    expect(storageFailure(new Error('UNIQUE constraint failed: nodes.id'))).toBeNull();
    expect(storageFailure(new TypeError('x is undefined'))).toBeNull();
  });

  it('recognises the error better-sqlite3 really raises on a read-only database', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x)');
    db.pragma('query_only = ON');
    let raised: unknown;
    try {
      db.exec('INSERT INTO t VALUES (1)');
    } catch (error) {
      raised = error;
    }
    db.close();
    expect(storageFailure(raised)).toMatch(/read-only/);
  });
});
