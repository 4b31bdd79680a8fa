import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetError } from './errors';
import { defaultPolicy, type FleetDb } from './fleet-db';
import { recordHeartbeat } from './heartbeats';
import { openSqliteFile, type SqliteFile } from './node';
import { createNode, setWeights, updateNode } from './nodes';
import { type ModelNode, newModelNode, pickNext, usable } from './placement-model';
import { listPlacements, trimPlacements } from './placements';
import { assignSession, releaseSession } from './sessions';

/**
 * The SQL placement against the pure scheduler: random sequences of fleet changes and placements, run on a
 * real SQLite database and on a plain in-memory model built on @kurento-fleet/swrr. Every pick must agree.
 */

const nodeIds = ['a', 'b', 'c', 'd'];
const op = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('assign' as const), session: fc.integer({ min: 0, max: 30 }) }),
    weight: 8,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('release' as const), session: fc.integer({ min: 0, max: 30 }) }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('health' as const),
      node: fc.constantFrom(...nodeIds),
      up: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('state' as const),
      node: fc.constantFrom(...nodeIds),
      state: fc.constantFrom('active' as const, 'draining' as const, 'disabled' as const),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('weight' as const),
      node: fc.constantFrom(...nodeIds),
      weight: fc.integer({ min: 0, max: 7 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('max' as const),
      node: fc.constantFrom(...nodeIds),
      max: fc.option(fc.integer({ min: 1, max: 4 })),
    }),
    weight: 3,
  },
);

const files: SqliteFile[] = [];
afterEach(() => {
  for (const file of files.splice(0)) file.close();
});

describe('SQL placement agrees with the SWRR model', () => {
  it('for random sequences of placements, releases, health, state, weight and capacity changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        fc.array(op, { maxLength: 60 }),
        async (weights, ops) => {
          const file = openSqliteFile(':memory:');
          files.push(file);
          const now = 1_000_000;
          const at = { now, fresh: now - 6000 };
          const policy = { ...defaultPolicy, maxCpuPercent: 100 };
          const db: FleetDb = { client: file.client, now: () => now, heartbeatTimeoutMs: 6000, policy };
          const model: ModelNode[] = [];
          const sessions = new Map<string, string>(); // session → node
          const tokens: Record<string, string> = {};
          for (const [i, weight] of weights.entries()) {
            const id = nodeIds[i]!;
            tokens[id] = (await createNode(db, { id, uri: `ws://h/${id}`, weight })).agentToken;
            await recordHeartbeat(db, id, { connected: true });
            model.push({ ...newModelNode(id, weight), lastHeartbeat: now, connected: true });
          }
          const load = (id: string) => [...sessions.values()].filter((n) => n === id).length;

          for (const step of ops) {
            if (step.kind === 'assign') {
              const sid = `s${step.session}`;
              const holder = model.find((n) => n.id === sessions.get(sid));
              const result = await assignSession(db, { sessionId: sid }).catch((e: FleetError) => e);
              if (holder && usable(holder, at)) {
                expect(result).toMatchObject({ outcome: 'sticky', assignment: { nodeId: holder.id } });
                continue;
              }
              const picked = pickNext(model, (n) => load(n.id), at, policy);
              if (!picked) {
                expect(result).toBeInstanceOf(FleetError);
                expect((result as FleetError).code).toBe('NO_NODE_AVAILABLE');
                continue;
              }
              sessions.set(sid, picked);
              expect(result).toMatchObject({
                outcome: holder ? 'reassigned' : 'new',
                assignment: { nodeId: picked, reassigned: Boolean(holder) },
              });
            } else if (step.kind === 'release') {
              const sid = `s${step.session}`;
              const released = await releaseSession(db, sid).then(
                () => true,
                () => false,
              );
              expect(released).toBe(sessions.delete(sid));
            } else {
              const node = model.find((n) => n.id === step.node);
              if (!node) continue;
              if (step.kind === 'health') {
                await recordHeartbeat(db, node.id, { connected: step.up });
                node.connected = step.up;
              } else if (step.kind === 'state') {
                await updateNode(db, node.id, { state: step.state });
                node.state = step.state;
              } else if (step.kind === 'max') {
                await updateNode(db, node.id, { maxSessions: step.max });
                node.max = step.max;
              } else {
                await setWeights(db, { [node.id]: step.weight });
                node.weight = step.weight;
                for (const n of model) n.current = 0;
              }
            }
          }
          const stored = file.raw
            .prepare('SELECT id, current, active_sessions FROM nodes ORDER BY seq')
            .all();
          expect(stored).toEqual(
            model.map((n) => ({ id: n.id, current: n.current, active_sessions: load(n.id) })),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('the placement log', () => {
  it('is trimmed to the newest rows by the housekeeping statement', async () => {
    const file = openSqliteFile(':memory:');
    files.push(file);
    const db: FleetDb = { client: file.client, now: () => 1_000_000, heartbeatTimeoutMs: 6000 };
    await createNode(db, { id: 'a', uri: 'ws://h/a' });
    await recordHeartbeat(db, 'a', { connected: true });
    for (let i = 0; i < 6; i++) await assignSession(db, { sessionId: `s${i}` });
    await db.client.batch([trimPlacements({ keep: 4 })]);
    expect((await listPlacements(db, 100)).map((p) => p.sessionId)).toEqual(['s5', 's4', 's3', 's2']);
  });
});
