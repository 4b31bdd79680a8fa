import { createNode, type FleetDb, recordHeartbeat } from '@kurento-fleet/db';
import { openSqliteFile, type SqliteFile, type SqliteFileOptions } from '@kurento-fleet/db/node';
import { tempDir } from '../../support/temp-dir';

/** A fleet database in a fresh temp file, opened exactly as the control plane opens it (WAL, FULL). */
export interface FleetFile {
  db: FleetDb;
  file: SqliteFile;
  path: string;
  nodeIds: string[];
  close(): void;
}

/** A day: nodes stay up for the whole benchmark after one heartbeat each. */
const heartbeatTimeoutMs = 86_400_000;

export async function openFleetFile(nodes: number, options?: SqliteFileOptions): Promise<FleetFile> {
  const dir = tempDir('fleet-bench-');
  const path = `${dir.path}/fleet.db`;
  const file = openSqliteFile(path, options);
  const db: FleetDb = { client: file.client, now: Date.now, heartbeatTimeoutMs };
  const nodeIds: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const id = `kms-${String(i).padStart(4, '0')}`;
    await createNode(db, {
      id,
      uri: `ws://10.0.${Math.floor(i / 250)}.${i % 250}:8888/kurento`,
      weight: 1 + (i % 5),
    });
    await recordHeartbeat(db, id, { connected: true });
    nodeIds.push(id);
  }
  return {
    db,
    file,
    path,
    nodeIds,
    close: () => {
      file.close();
      dir.remove();
    },
  };
}

/**
 * Adds `count` sessions spread over the nodes straight through SQL, in one transaction: the API would take
 * hours for a million. The trigger keeps nodes.active_sessions right, as it does for real placements.
 */
export function fillSessions(fleet: FleetFile, count: number, prefix: string): void {
  const raw = fleet.file.raw;
  const insert = raw.prepare(
    `INSERT INTO sessions (id, node_id, created_at, assigned_at, reassigned, placement) VALUES (?, ?, ?, ?, 0, 'bulk')`,
  );
  const now = Date.now();
  const ids = fleet.nodeIds;
  // Random ids, like the UUIDs app servers use: they land all over the id index, as real ones would.
  raw.transaction(() => {
    for (let i = 0; i < count; i++)
      insert.run(`${prefix}-${crypto.randomUUID()}`, ids[i % ids.length], now, now);
  })();
}
