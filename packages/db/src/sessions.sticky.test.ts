import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import type { FleetDb } from './fleet-db';
import { recordHeartbeat } from './heartbeats';
import { openSqliteFile, type SqliteFile } from './node';
import { createNode } from './nodes';
import { assignSession, releaseSession } from './sessions';

// On a local file, a sticky call is answered by a read, without the write lock (sessions.ts, readLive).
describe('assignSession on a local SQLite file', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: SqliteFile;
  let db: FleetDb;
  let now = 1_000_000;

  beforeEach(async () => {
    dir = tempDir('fleet-sticky-');
    file = openSqliteFile(`${dir.path}/f.db`, { busyTimeoutMs: 50 });
    db = { client: file.client, now: () => now, heartbeatTimeoutMs: 6000 };
    for (const id of ['a', 'b']) {
      await createNode(db, { id, uri: `ws://${id}:8888/kurento` });
      await recordHeartbeat(db, id, { connected: true });
    }
  });
  afterEach(() => {
    file.close();
    dir.remove();
  });

  /** Another process holding the write lock: only reads can proceed. */
  const lockWrites = () => {
    const other = new Database(`${dir.path}/f.db`);
    other.exec('BEGIN IMMEDIATE');
    return () => {
      other.exec('ROLLBACK');
      other.close();
    };
  };

  it('answers a live assignment without the write lock, and changes nothing', async () => {
    const first = await assignSession(db, { sessionId: 's' });
    const before = file.raw.prepare('SELECT id, current FROM nodes ORDER BY id').all();
    const unlock = lockWrites();
    try {
      const again = await assignSession(db, { sessionId: 's' });
      expect(again).toEqual({ outcome: 'sticky', assignment: first.assignment });
    } finally {
      unlock();
    }
    expect(file.raw.prepare('SELECT id, current FROM nodes ORDER BY id').all()).toEqual(before);
  });

  it('still takes the write lock for a new session', async () => {
    const unlock = lockWrites();
    try {
      await expect(assignSession(db, { sessionId: 'new' })).rejects.toThrow(/locked|busy/i);
    } finally {
      unlock();
    }
  });

  it('moves a session whose node went down, and places a released one again', async () => {
    const { assignment } = await assignSession(db, { sessionId: 's' });
    const other = assignment.nodeId === 'a' ? 'b' : 'a';
    await recordHeartbeat(db, assignment.nodeId, { connected: false });
    const moved = await assignSession(db, { sessionId: 's' });
    expect(moved.outcome).toBe('reassigned');
    expect(moved.assignment.nodeId).toBe(other);
    await releaseSession(db, 's');
    expect((await assignSession(db, { sessionId: 's' })).outcome).toBe('new');
  });

  it('does not answer from a node whose heartbeats stopped', async () => {
    const { assignment } = await assignSession(db, { sessionId: 's' });
    const other = assignment.nodeId === 'a' ? 'b' : 'a';
    now += 5000;
    await recordHeartbeat(db, other, { connected: true });
    now += 2000;
    const moved = await assignSession(db, { sessionId: 's' });
    expect(moved).toMatchObject({ outcome: 'reassigned', assignment: { nodeId: other } });
  });
});
