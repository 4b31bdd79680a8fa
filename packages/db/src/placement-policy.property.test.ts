import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetError } from './errors';
import { defaultPolicy, type FleetDb, type PlacementPolicy } from './fleet-db';
import { recordHeartbeat } from './heartbeats';
import { openSqliteFile, type SqliteFile } from './node';
import { createNode, updateNode } from './nodes';
import { decide, eligible, hot, type ModelNode, newModelNode, pickNext } from './placement-model';
import { listPlacements } from './placements';
import { assignSession } from './sessions';

/**
 * Properties of the placement policy on top of SWRR, run on a real SQLite database: slow start keeps the
 * scheduler's invariants (docs/swrr.md) while effective weights ramp, and the CPU guard never refuses a session
 * for load alone. The SQL's picks and recorded decisions are held against ./placement-model at every step.
 */

const files: SqliteFile[] = [];
afterEach(() => {
  for (const file of files.splice(0)) file.close();
});

/** A fresh in-memory fleet whose clock the test moves; heartbeats never time out unless the test says so. */
async function fleet(nodes: { id: string; weight: number }[], policy: Partial<PlacementPolicy>) {
  const file = openSqliteFile(':memory:');
  files.push(file);
  const clock = { now: 1_000_000 };
  const db: FleetDb = {
    client: file.client,
    now: () => clock.now,
    heartbeatTimeoutMs: 1_000_000_000,
    policy: { ...defaultPolicy, ...policy },
  };
  for (const { id, weight } of nodes) await createNode(db, { id, uri: `ws://h/${id}`, weight });
  const currents = async () =>
    (await db.client.query({ sql: 'SELECT id, current FROM nodes ORDER BY seq', params: [] })).map((row) => ({
      id: String(row.id),
      current: Number(row.current),
    }));
  return { db, clock, currents };
}

const kms = (cpuCount: number, perCorePercent: number) => ({
  version: '7.3.0',
  cpuCount,
  usedCpuPercent: perCorePercent * cpuCount,
  usedMemoryKiB: 1,
  pipelines: 0,
});

describe('slow start: SWRR over ramping effective weights', () => {
  const scenario = fc.record({
    slowStartMs: fc.integer({ min: 1000, max: 60_000 }),
    nodes: fc.array(
      fc.record({
        weight: fc.integer({ min: 1, max: 40 }),
        // When the node comes up, as a share of the ramp time: several ramps overlap, some start mid-run.
        joinsAt: fc.double({ min: 0, max: 1.5, noNaN: true }),
      }),
      { minLength: 2, maxLength: 5 },
    ),
    steps: fc.array(
      fc.record({
        advance: fc.double({ min: 0, max: 0.3, noNaN: true }),
        picks: fc.integer({ min: 1, max: 6 }),
      }),
      { minLength: 1, maxLength: 25 },
    ),
  });

  it('keeps Σcurrent = 0, every current within [−W, (n−1)·W], and picks exactly as the model', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ slowStartMs, nodes, steps }) => {
        const ids = nodes.map((_, i) => `n${i}`);
        const { db, clock, currents } = await fleet(
          nodes.map((n, i) => ({ id: ids[i]!, weight: n.weight })),
          { slowStartMs, maxCpuPercent: 100 },
        );
        const model: ModelNode[] = nodes.map((n, i) => newModelNode(ids[i]!, n.weight));
        const start = clock.now;
        const joined = new Set<string>();
        const lastEffective = new Map<string, number>();
        let sessions = 0;
        const policy = { slowStartMs, maxCpuPercent: 100 };
        for (const step of steps) {
          clock.now += Math.round(step.advance * slowStartMs);
          for (const [i, n] of nodes.entries()) {
            const id = ids[i]!;
            if (joined.has(id) || clock.now < start + n.joinsAt * slowStartMs) continue;
            await recordHeartbeat(db, id, { connected: true });
            Object.assign(model[i]!, { lastHeartbeat: clock.now, connected: true, upSince: clock.now });
            joined.add(id);
          }
          if (joined.size === 0) continue;
          for (let p = 0; p < step.picks; p++) {
            const at = { now: clock.now, fresh: 0 };
            const expected = decide(model, () => 0, at, policy);
            const picked = pickNext(model, () => 0, at, policy);
            const { assignment } = await assignSession(db, { sessionId: `s${sessions++}` });
            expect(assignment.nodeId).toBe(picked);
            const [placement] = await listPlacements(db, 1);
            expect(placement?.decision).toEqual(expected);

            // W is the total effective weight of this pick; n the nodes that took part (every node up).
            const taking = expected.eligible;
            expect(taking.map((e) => e.id)).toEqual(ids.filter((id) => joined.has(id)));
            const W = taking.reduce((sum, e) => sum + e.effectiveWeight, 0);
            const stored = await currents();
            expect(stored).toEqual(model.map((n) => ({ id: n.id, current: n.current })));
            expect(stored.reduce((sum, n) => sum + n.current, 0)).toBe(0);
            for (const { id, current } of stored) {
              expect(current, id).toBeGreaterThanOrEqual(-W);
              expect(current, id).toBeLessThanOrEqual((taking.length - 1) * W);
            }
            // A ramp only rises, from a tenth of the weight (at least 1) to the weight.
            for (const e of taking) {
              expect(e.effectiveWeight).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(e.weight / 10)));
              expect(e.effectiveWeight).toBeLessThanOrEqual(e.weight);
              expect(e.effectiveWeight).toBeGreaterThanOrEqual(lastEffective.get(e.id) ?? 0);
              lastEffective.set(e.id, e.effectiveWeight);
            }
          }
        }
        // Past the end of every ramp, each node has its configured weight again.
        clock.now = start + 3 * slowStartMs;
        const settled = decide(model, () => 0, { now: clock.now, fresh: 0 }, policy);
        for (const e of settled.eligible) expect(e.effectiveWeight).toBe(e.weight);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the CPU guard', () => {
  const nodeArb = fc.record({
    weight: fc.integer({ min: 0, max: 5 }),
    state: fc.constantFrom('active' as const, 'active' as const, 'draining' as const, 'disabled' as const),
    up: fc.boolean(),
    max: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 3 }),
    cpuCount: fc.integer({ min: 1, max: 16 }),
    // Per-core load: anything from idle to saturated, often across the limit.
    load: fc.double({ min: 0, max: 100, noNaN: true }),
  });

  it('never answers NO_NODE_AVAILABLE while some node is eligible, whatever the loads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(nodeArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 12 }),
        async (nodes, maxCpuPercent, placements) => {
          const ids = nodes.map((_, i) => `n${i}`);
          const { db, clock } = await fleet(
            nodes.map((n, i) => ({ id: ids[i]!, weight: n.weight })),
            { maxCpuPercent },
          );
          const policy = { slowStartMs: 0, maxCpuPercent };
          const model: ModelNode[] = [];
          for (const [i, n] of nodes.entries()) {
            const id = ids[i]!;
            await updateNode(db, id, { state: n.state, maxSessions: n.max });
            await recordHeartbeat(db, id, { connected: n.up, kms: kms(n.cpuCount, n.load) });
            model.push({
              ...newModelNode(id, n.weight),
              state: n.state,
              max: n.max,
              lastHeartbeat: clock.now,
              connected: n.up,
              upSince: n.up ? clock.now : null,
              // What the heartbeat stores: the report's figure over its cores, rounded the same way.
              cpuLoad: (n.load * n.cpuCount) / n.cpuCount,
            });
          }
          const at = { now: clock.now, fresh: 0 };
          const held = new Map<string, number>();
          const load = (n: ModelNode) => held.get(n.id) ?? 0;
          for (let s = 0; s < placements; s++) {
            const candidates = model.filter((n) => eligible(n, load(n), at));
            const picked = pickNext(model, load, at, policy);
            const result = await assignSession(db, { sessionId: `s${s}` }).catch((e: unknown) => e);
            if (candidates.length === 0) {
              // Refused because no node is eligible at all (down, draining, full…): never because of load.
              expect((result as FleetError).code).toBe('NO_NODE_AVAILABLE');
              continue;
            }
            expect(result).not.toBeInstanceOf(FleetError);
            const { nodeId } = (result as Awaited<ReturnType<typeof assignSession>>).assignment;
            expect(nodeId).toBe(picked);
            // A hot node gets a session only when every eligible node is hot.
            const winner = model.find((n) => n.id === nodeId)!;
            if (hot(winner, policy)) expect(candidates.every((n) => hot(n, policy))).toBe(true);
            held.set(nodeId, load(winner) + 1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
