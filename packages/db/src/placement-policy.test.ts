import { afterEach, describe, expect, it } from 'vitest';
import { defaultPolicy, type FleetDb, type PlacementPolicy } from './fleet-db';
import { recordHeartbeat } from './heartbeats';
import { openSqliteFile, type SqliteFile } from './node';
import { createNode, updateNode } from './nodes';
import { listPlacements } from './placements';
import { previewPlacements } from './preview';
import { assignSession } from './sessions';

const files: SqliteFile[] = [];
afterEach(() => {
  for (const file of files.splice(0)) file.close();
});

/** A fleet on a fresh in-memory database, a clock the test moves, and the policy under test. */
async function fleet(weights: Record<string, number>, policy: Partial<PlacementPolicy>) {
  const file = openSqliteFile(':memory:');
  files.push(file);
  const clock = { now: 1_000_000 };
  const db: FleetDb = {
    client: file.client,
    now: () => clock.now,
    heartbeatTimeoutMs: 60_000,
    policy: { ...defaultPolicy, ...policy },
  };
  for (const [id, weight] of Object.entries(weights))
    await createNode(db, { id, uri: `ws://h/${id}`, weight });
  const report = (id: string, cpuPercentOfCores = 10) =>
    recordHeartbeat(db, id, {
      connected: true,
      kms: {
        version: '7.3.0',
        cpuCount: 4,
        usedCpuPercent: cpuPercentOfCores * 4,
        usedMemoryKiB: 1,
        pipelines: 0,
      },
    });
  let placed = 0;
  const place = async (count: number) => {
    const nodes: string[] = [];
    for (let i = 0; i < count; i++)
      nodes.push((await assignSession(db, { sessionId: `s${placed++}` })).assignment.nodeId);
    return nodes;
  };
  return { db, clock, report, place };
}

describe('the CPU guard', () => {
  it('skips a node at or above the limit while another is below, and records why', async () => {
    const { db, report, place } = await fleet({ a: 1, b: 1 }, { maxCpuPercent: 85 });
    await report('a', 85);
    await report('b', 84);
    expect(await place(4)).toEqual(['b', 'b', 'b', 'b']);
    const [last] = await listPlacements(db, 1);
    expect(last?.decision).toEqual({
      eligible: [{ id: 'b', weight: 1, effectiveWeight: 1, current: 0 }],
      skipped: [{ id: 'a', why: 'cpu' }],
    });
  });

  it('never refuses for load alone: when every node is hot, placement goes on over all of them', async () => {
    const { report, place } = await fleet({ a: 1, b: 1 }, { maxCpuPercent: 50 });
    await report('a', 99);
    await report('b', 60);
    expect(await place(4)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('is off at 100', async () => {
    const { report, place } = await fleet({ a: 1, b: 1 }, { maxCpuPercent: 100 });
    await report('a', 100);
    await report('b', 1);
    expect(await place(2)).toEqual(['a', 'b']);
  });
});

describe('slow start', () => {
  it('ramps a node that became up from a tenth of its weight to all of it, on effective weights', async () => {
    const { db, clock, report, place } = await fleet({ old: 10, fresh: 10 }, { slowStartMs: 10_000 });
    await report('old');
    clock.now += 60_000;
    await report('old');
    await report('fresh');
    await place(1);
    let [last] = await listPlacements(db, 1);
    expect(last?.decision?.eligible.map((e) => [e.id, e.effectiveWeight])).toEqual([
      ['old', 10],
      ['fresh', 1],
    ]);
    clock.now += 5_000;
    await place(1);
    [last] = await listPlacements(db, 1);
    expect(last?.decision?.eligible.map((e) => e.effectiveWeight)).toEqual([10, 5]);
    clock.now += 5_000;
    await place(1);
    [last] = await listPlacements(db, 1);
    expect(last?.decision?.eligible.map((e) => e.effectiveWeight)).toEqual([10, 10]);
  });

  it('gives a returning node a growing share instead of a burst', async () => {
    const { clock, report, place } = await fleet({ a: 10, b: 10 }, { slowStartMs: 20_000 });
    await report('a');
    clock.now += 60_000;
    await report('a');
    await report('b');
    const early = await place(11);
    expect(early.filter((id) => id === 'b')).toHaveLength(1);
    clock.now += 20_000;
    await report('a');
    await report('b');
    const later = await place(20);
    expect(later.filter((id) => id === 'b').length).toBeGreaterThanOrEqual(9);
  });
});

describe('previewPlacements', () => {
  it('equals the placements that follow, with the guard, slow start and capacity in play, and changes nothing', async () => {
    const { db, clock, report, place } = await fleet({ a: 5, b: 3, c: 1, d: 2 }, { slowStartMs: 30_000 });
    await report('a', 10);
    await report('b', 90);
    await report('c', 10);
    clock.now += 12_000;
    await report('d', 10);
    await updateNode(db, 'c', { maxSessions: 2 });
    const before = await snapshot(db);
    const preview = await previewPlacements(db, 25);
    expect(await snapshot(db)).toEqual(before);
    expect(preview.nodeIds).toHaveLength(25);
    expect(new Set(preview.nodeIds)).toEqual(new Set(['a', 'c', 'd']));
    expect(preview.decision.skipped).toEqual([{ id: 'b', why: 'cpu' }]);
    // a ramps from 1 to 5 over 30 s and is 12 s in (1 + 4 × 12/30, truncated); d has just come up.
    expect(preview.decision.eligible.map((e) => [e.id, e.effectiveWeight])).toEqual([
      ['a', 2],
      ['c', 1],
      ['d', 1],
    ]);
    expect(await place(25)).toEqual(preview.nodeIds);
    const placements = await listPlacements(db, 25);
    expect(placements.at(-1)?.decision).toEqual(preview.decision);
  });

  it('ends early when no node can take more', async () => {
    const { db, report } = await fleet({ a: 1 }, {});
    await report('a');
    await updateNode(db, 'a', { maxSessions: 3 });
    expect((await previewPlacements(db, 10)).nodeIds).toEqual(['a', 'a', 'a']);
  });
});

const snapshot = (db: FleetDb) => db.client.query({ sql: 'SELECT * FROM nodes ORDER BY seq', params: [] });
