import { copyFileSync, existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { openSqliteFile } from '@kurento-fleet/db/node';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from './support/control-plane';
import { addUpNodes, placeInOrder } from './support/fleet';
import { tempDir } from './support/temp-dir';

/**
 * The SQLite file under a running control plane (a process): removed, renamed or replaced, it must not take
 * acknowledged writes into a file that no path reaches any more; and a clean stop leaves everything in the main
 * file, with no WAL to lose.
 */
describe('the database file of a running control plane', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  let cp: ControlPlane | undefined;
  afterEach(async () => {
    await cp?.kill();
    cp = undefined;
    for (const dir of dirs.splice(0)) dir.remove();
  });

  const startOn = async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = `${dir.path}/fleet.db`;
    cp = await startControlPlane({ FLEET_DB_PATH: path });
    await addUpNodes(cp, { a: 1, b: 1 });
    return { dir, path, cp };
  };

  it('refuses writes and fails /healthz while the file is renamed away, and recovers when it is back', async () => {
    const { path, cp } = await startOn();
    await placeInOrder(cp, ['r1', 'r2']);
    renameSync(path, `${path}.moved`);

    const refused = await cp.request('POST', '/v1/sessions', { sessionId: 'r3' });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('UNAVAILABLE');
    expect(refused.body.error.message).toContain(`${path} was removed or renamed`);
    expect(refused.body.error.message).toContain('Nothing was changed');
    const health = await fetch(`${cp.url}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { error: { message: string } }).error.message).toContain(
      'removed or renamed',
    );
    // Reads go on from the open file.
    expect((await cp.request('GET', '/v1/sessions/r1')).status).toBe(200);

    renameSync(`${path}.moved`, path);
    expect((await fetch(`${cp.url}/healthz`)).status).toBe(200);
    expect((await cp.request('POST', '/v1/sessions', { sessionId: 'r3' })).status).toBe(201);
    expect((await cp.request('GET', '/v1/sessions/r3')).status).toBe(200);
  });

  it('refuses writes when another file was put at its path', async () => {
    const { path, cp } = await startOn();
    renameSync(path, `${path}.old`);
    writeFileSync(path, '');
    const refused = await cp.request('POST', '/v1/sessions', { sessionId: 'r1' });
    expect(refused.status).toBe(503);
    expect(refused.body.error.message).toContain('replaced by another file');
    expect((await fetch(`${cp.url}/healthz`)).status).toBe(503);
  });

  it('leaves everything in the main file after SIGTERM, even with another connection open', async () => {
    const { dir, path, cp: running } = await startOn();
    const placed = await placeInOrder(running, ['k1', 'k2', 'k3', 'k4']);
    // Another process's connection (a replica, a monitoring shell): SQLite then leaves the WAL to the last
    // one to close, unless the stopping server checkpoints it itself.
    const other = new Database(path, { readonly: true });
    expect(other.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 4 });
    try {
      expect(await running.stop()).toBe(0);
      cp = undefined;
      expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true);
    } finally {
      other.close();
    }

    // The main file alone, as a backup that copies only fleet.db would have it.
    const copy = `${dir.path}/copy.db`;
    copyFileSync(path, copy);
    const file = openSqliteFile(copy);
    try {
      const rows = file.raw.prepare('SELECT id, node_id FROM sessions ORDER BY seq').all();
      expect(rows).toEqual(placed.map((nodeId, i) => ({ id: `k${i + 1}`, node_id: nodeId })));
    } finally {
      file.close();
    }
  });
});
