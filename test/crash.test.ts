import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Assignment, ErrorBody } from '@kurento-fleet/contract';
import type { ApiAnswer } from '@kurento-fleet/processes';
import { SwrrScheduler } from '@kurento-fleet/swrr';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from './support/control-plane';
import { addUpNodes } from './support/fleet';
import { tempDir } from './support/temp-dir';

const weights = { a: 5, b: 1, c: 1 };
const running: ControlPlane[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  for (const cp of running.splice(0)) await cp.kill();
  for (const dir of dirs.splice(0)) dir.remove();
});

async function start(dbPath: string) {
  const cp = await startControlPlane({ FLEET_DB_PATH: dbPath, FLEET_HEARTBEAT_TIMEOUT_MS: '600000' });
  running.push(cp);
  return cp;
}

/** The stored state, read from the file: sessions per node, the SWRR state, and SQLite's own check. */
function inspect(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  const perNode = db.prepare('SELECT node_id, COUNT(*) AS n FROM sessions GROUP BY node_id').all() as {
    node_id: string;
    n: number;
  }[];
  const nodes = db.prepare('SELECT id, current, active_sessions FROM nodes ORDER BY seq').all() as {
    id: string;
    current: number;
    active_sessions: number;
  }[];
  const integrity = db.pragma('integrity_check', { simple: true });
  db.close();
  return { perNode: Object.fromEntries(perNode.map((r) => [r.node_id, r.n])), nodes, integrity };
}

describe('a control plane killed in the middle of a burst of assignments', () => {
  it('keeps every acknowledged assignment on its node, doubles none, and leaves SWRR exact', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dbPath = join(dir.path, 'fleet.db');
    const first = await start(dbPath);
    await addUpNodes(first, weights);

    const acknowledged = new Map<string, string>();
    let killed = false;
    let next = 0;
    const worker = async () => {
      while (!killed && next < 2000) {
        const sessionId = `burst-${next++}`;
        try {
          const { status, body } = await first.request<Assignment>('POST', '/v1/sessions', { sessionId });
          if (status === 201) acknowledged.set(sessionId, body.nodeId);
        } catch {
          // the connection died with the process: not acknowledged
        }
        if (acknowledged.size >= 300 && !killed) {
          killed = true;
          await first.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(killed).toBe(true);

    const { perNode, nodes, integrity } = inspect(dbPath);
    expect(integrity).toBe('ok');
    const stored = Object.values(perNode).reduce((sum, n) => sum + n, 0);
    expect(stored).toBeGreaterThanOrEqual(acknowledged.size);
    // Every committed pick is whole: the placements stored are exactly the first `stored` picks of one scheduler,
    // the counters equal the rows, and the SWRR state is where that scheduler is.
    const scheduler = new SwrrScheduler();
    for (const [id, weight] of Object.entries(weights)) scheduler.add(id, weight);
    const expected: Record<string, number> = {};
    for (let i = 0; i < stored; i++) {
      const id = scheduler.pick()!;
      expected[id] = (expected[id] ?? 0) + 1;
    }
    expect(perNode).toEqual(expected);
    expect(nodes.map((n) => n.active_sessions)).toEqual(nodes.map((n) => perNode[n.id] ?? 0));
    expect(nodes.map((n) => [n.id, n.current])).toEqual(scheduler.nodes.map((n) => [n.id, n.current]));

    const second = await start(dbPath);
    for (const [sessionId, nodeId] of acknowledged) {
      const { status, body } = await second.request<Assignment>('GET', `/v1/sessions/${sessionId}`);
      expect({ sessionId, status, nodeId: body.nodeId }).toEqual({ sessionId, status: 200, nodeId });
    }
  }, 60_000);
});

/** Runs a command as root; returns false when this machine does not allow it (then the test is skipped). */
function tryRun(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const mountPoint = join('/tmp', `fleet-full-disk-${process.pid}`);
mkdirSync(mountPoint, { recursive: true });
const canMount = tryRun('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint]);
afterAll(() => {
  if (canMount) tryRun('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!canMount)('a full disk (a 2 MiB tmpfs)', () => {
  it('refuses writes with a clear 503, keeps serving reads, and recovers without corruption', async () => {
    const dbPath = join(mountPoint, 'fleet.db');
    const cp = await start(dbPath);
    await addUpNodes(cp, weights);
    const before = (await cp.request<Assignment>('POST', '/v1/sessions', { sessionId: 'before-full' })).body
      .nodeId;
    // Fill the disk, leaving almost nothing for the WAL to grow into.
    const filler = join(mountPoint, 'filler');
    let size = 2 * 1024 * 1024;
    while (size > 0) {
      try {
        writeFileSync(filler, Buffer.alloc(size), { flag: 'a' });
      } catch {
        size = Math.floor(size / 2);
      }
    }
    let refused: ApiAnswer<ErrorBody> | undefined;
    for (let i = 0; i < 2000 && !refused; i++) {
      const answer = await cp.request<Assignment | ErrorBody>('POST', '/v1/sessions', {
        sessionId: `while-full-${i}-${'x'.repeat(100)}`,
      });
      if (answer.status !== 201) refused = answer as ApiAnswer<ErrorBody>;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body.error.code).toBe('UNAVAILABLE');
    expect(refused?.body.error.message).toMatch(/full/i);
    expect((await cp.request<Assignment>('GET', '/v1/sessions/before-full')).body.nodeId).toBe(before);
    expect(cp.process.alive).toBe(true);

    rmSync(filler);
    expect((await cp.request<Assignment>('POST', '/v1/sessions', { sessionId: 'after-full' })).status).toBe(
      201,
    );
    expect(await cp.stop()).toBe(0);
    expect(inspect(dbPath).integrity).toBe('ok');
  }, 60_000);
});

const canChattr = (() => {
  const probe = join('/tmp', `fleet-chattr-${process.pid}`);
  writeFileSync(probe, '');
  const ok = tryRun('chattr', ['+i', probe]) && tryRun('chattr', ['-i', probe]);
  rmSync(probe, { force: true });
  return ok;
})();

// chattr +i binds root too. The WAL index (-shm) is left alone: SQLite maps it into memory, and a mapped file
// made immutable under a running process is a SIGBUS, an OS-level fault no process can catch.
describe.skipIf(!canChattr)('a read-only database (chattr +i, which binds root too)', () => {
  it('refuses writes with a clear 503 while reads go on, and recovers without corruption', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dbPath = join(dir.path, 'fleet.db');
    const cp = await start(dbPath);
    await addUpNodes(cp, weights);
    await cp.request<Assignment>('POST', '/v1/sessions', { sessionId: 'before' });
    const files = ['fleet.db', 'fleet.db-wal'].map((f) => join(dir.path, f));
    try {
      for (const file of files) execFileSync('chattr', ['+i', file]);
      const refused = await cp.request<ErrorBody>('POST', '/v1/sessions', { sessionId: 'while-read-only' });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('UNAVAILABLE');
      expect(refused.body.error.message).toMatch(/read-only|could not write/i);
      expect((await cp.request<Assignment>('GET', '/v1/sessions/before')).status).toBe(200);
    } finally {
      for (const file of files) tryRun('chattr', ['-i', file]);
    }
    expect((await cp.request<Assignment>('POST', '/v1/sessions', { sessionId: 'after' })).status).toBe(201);
    expect(await cp.stop()).toBe(0);
    expect(inspect(dbPath).integrity).toBe('ok');
  }, 60_000);

  it('refuses to start on a read-only file with a message that says so', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dbPath = join(dir.path, 'fleet.db');
    const first = await start(dbPath);
    expect(await first.stop()).toBe(0);
    execFileSync('chattr', ['+i', dbPath]);
    try {
      const failed = await start(dbPath).then(
        () => 'started',
        (error: Error) => error.message,
      );
      expect(failed).toMatch(/exited \(1\)/);
      expect(failed).toMatch(/read-only|readonly/i);
    } finally {
      tryRun('chattr', ['-i', dbPath]);
    }
  }, 30_000);
});
