import type { Heartbeat } from '@kurento-fleet/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir';
import type { SqlClient, Statement } from './client';
import { FleetError } from './errors';
import type { FleetDb } from './fleet-db';
import { recordHeartbeat } from './heartbeats';
import { openSqliteFile, type SqliteFile } from './node';
import { createNode } from './nodes';

const timeoutMs = 6000;
const kms = (startedAt: string, usedCpuPercent = 10): NonNullable<Heartbeat['kms']> => ({
  version: '7.3.0',
  cpuCount: 4,
  usedCpuPercent,
  usedMemoryKiB: 1024,
  pipelines: 1,
  startedAt,
});
const up = (startedAt = '2026-01-01T00:00:00.000Z', cpu = 10): Heartbeat => ({
  connected: true,
  kms: kms(startedAt, cpu),
});

// The common heartbeat is one statement; everything it must still record takes the full batch. These cases pin
// what each path writes, so that the shortcut can never drift from the batch it stands for.
describe('recordHeartbeat', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: SqliteFile;
  let db: FleetDb;
  let now = 1_000_000;
  let batches: Statement[][] = [];
  /** Whether each batch asked for a durable commit. */
  let durable: boolean[] = [];

  beforeEach(async () => {
    dir = tempDir('fleet-heartbeats-');
    file = openSqliteFile(`${dir.path}/f.db`);
    const counted: SqlClient = {
      ...file.client,
      batch: (statements, options) => {
        batches.push([...statements]);
        durable.push(options?.durable ?? true);
        return file.client.batch(statements, options);
      },
    };
    db = { client: counted, now: () => now, heartbeatTimeoutMs: timeoutMs };
    await createNode(db, { id: 'a', uri: 'ws://a:8888/kurento' });
    batches = [];
    durable = [];
  });
  afterEach(() => {
    file.close();
    dir.remove();
  });

  const node = () =>
    file.raw
      .prepare('SELECT reported_health, connected, last_heartbeat_at, up_since, cpu_load, kms FROM nodes')
      .get() as Record<string, unknown>;
  const events = () =>
    (
      file.raw.prepare('SELECT type, at FROM events ORDER BY seq').all() as { type: string; at: number }[]
    ).map((e) => `${e.type}@${e.at}`);

  it('stores a steady heartbeat with one statement, timestamp and report included', async () => {
    await recordHeartbeat(db, 'a', up());
    now += 100;
    batches = [];
    durable = [];
    await recordHeartbeat(db, 'a', up(undefined, 40));
    expect(batches.map((b) => b.length)).toEqual([1]);
    // Superseded by the next heartbeat: committed without an fsync of its own (./group-commit).
    expect(durable).toEqual([false]);
    expect(node()).toMatchObject({
      reported_health: 'up',
      last_heartbeat_at: now,
      up_since: now - 100,
      cpu_load: 10,
    });
    expect(events()).toEqual([`node.up@${now - 100}`]);
  });

  it('takes the full batch for the first heartbeat, a transition, a restart and an outage the sweep missed', async () => {
    const t0 = now;
    await recordHeartbeat(db, 'a', up());
    now += 1000;
    await recordHeartbeat(db, 'a', { connected: false });
    now += 1000;
    await recordHeartbeat(db, 'a', { connected: false }); // steady while down
    now += 1000;
    await recordHeartbeat(db, 'a', up());
    const t3 = now;
    now += 1000;
    await recordHeartbeat(db, 'a', up('2026-02-01T00:00:00.000Z')); // the KMS was restarted
    const t4 = now;
    now += timeoutMs + 500; // silent past the timeout, and no sweep ran
    await recordHeartbeat(db, 'a', up('2026-02-01T00:00:00.000Z'));
    expect(batches.map((b) => b.length)).toEqual([1, 5, 1, 5, 1, 1, 5, 1, 5, 1, 5]);
    // Every transition, restart and missed outage is recorded durably.
    expect(batches.filter((b, i) => b.length === 5 && !durable[i])).toEqual([]);
    expect(events()).toEqual([
      `node.up@${t0}`,
      `node.down@${t0 + 1000}`,
      `node.up@${t3}`,
      `node.restarted@${t4}`,
      `node.down@${t4 + timeoutMs}`,
      `node.up@${now}`,
    ]);
    expect(node()).toMatchObject({ reported_health: 'up', last_heartbeat_at: now, up_since: now });
    expect(t3).toBeLessThan(t4);
  });

  it('keeps the last KMS report when a steady heartbeat has none', async () => {
    await recordHeartbeat(db, 'a', up(undefined, 20));
    now += 100;
    await recordHeartbeat(db, 'a', { connected: true });
    expect(node()).toMatchObject({ connected: 1, cpu_load: 5, last_heartbeat_at: now });
    expect(JSON.parse(String(node().kms))).toMatchObject({ usedCpuPercent: 20 });
  });

  it('refuses a heartbeat for a node that does not exist, writing nothing', async () => {
    await expect(recordHeartbeat(db, 'nope', up())).rejects.toThrow(FleetError);
    expect(events()).toEqual([]);
  });
});
