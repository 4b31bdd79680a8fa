import type { Assignment } from '@kurento-fleet/contract';
import { SwrrScheduler } from '@kurento-fleet/swrr';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from './support/control-plane';
import { addUpNodes } from './support/fleet';
import { type Sqld, startSqld } from './support/sqld';
import { dbEnv, openStoredDb } from './support/stored-db';
import { tempDir } from './support/temp-dir';

const weights = { a: 5, b: 1, c: 1 };
const newSessions = 600;
const hotRequests = 50; // one every 12 new sessions
const inFlight = 64;

/** Runs the tasks with at most `limit` in flight. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

type Row = Record<string, unknown>;

// Node: two processes on one SQLite file. libSQL: two Node processes on one libSQL server (sqld), as replicas on
// several machines would be. Edge: one workerd with one D1 database (what a Worker deployment shares). All take
// the same load, and the checks read the database behind them.
describe.each([
  ['node', 'two control-plane processes on one database file'],
  ['libsql', 'two control-plane processes on one libSQL server'],
  ['edge', 'the Worker in workerd on one D1 database'],
] as const)('%s: %s', (variant, _description) => {
  const dir = tempDir();
  let sqld: Sqld | undefined;
  let one: ControlPlane;
  let two: ControlPlane;
  let answers: { sessionId: string; status: number; nodeId: string; via: number }[];
  let stored: (sql: string) => Promise<Row[]>;

  beforeAll(async () => {
    const timeout = { FLEET_HEARTBEAT_TIMEOUT_MS: '600000' };
    if (variant === 'edge') {
      one = two = await startControlPlane({ ...dbEnv('edge', dir.path), ...timeout }, 'edge');
      stored = async (sql) => {
        const db = openStoredDb('edge', dir.path);
        const rows = db.prepare(sql).all() as Row[];
        db.close();
        return rows;
      };
    } else {
      sqld = variant === 'libsql' ? await startSqld(dir.path) : undefined;
      const env = { ...(sqld ? { FLEET_DB_URL: sqld.url } : dbEnv('node', dir.path)), ...timeout };
      [one, two] = await Promise.all([startControlPlane(env), startControlPlane(env)]);
      stored = async (sql) => {
        if (sqld) {
          const client = createClient({ url: sqld.url });
          const { rows, columns } = await client.execute(sql);
          client.close();
          return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
        }
        const db = openStoredDb('node', dir.path);
        const rows = db.prepare(sql).all() as Row[];
        db.close();
        return rows;
      };
    }
    await addUpNodes(one, weights);
    // New sessions alternate between the processes; the hot id is asked for throughout, from both.
    const tasks: (() => Promise<(typeof answers)[number]>)[] = [];
    for (let i = 0; i < newSessions; i++) {
      if (i % (newSessions / hotRequests) === 0) {
        const via = tasks.length % 2;
        tasks.push(async () => {
          const { status, body } = await [one, two][via]!.request<Assignment>('POST', '/v1/sessions', {
            sessionId: 'hot',
          });
          return { sessionId: 'hot', status, nodeId: body.nodeId, via };
        });
      }
      const sessionId = `s${i}`;
      const via = i % 2;
      tasks.push(async () => {
        const { status, body } = await [one, two][via]!.request<Assignment>('POST', '/v1/sessions', {
          sessionId,
        });
        return { sessionId, status, nodeId: body.nodeId, via };
      });
    }
    answers = await pool(tasks, inFlight);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...new Set([one, two])].map((cp) => cp?.stop()));
    await sqld?.stop();
    dir.remove();
  });

  it('places every new session exactly once, with 201', () => {
    const fresh = answers.filter((a) => a.sessionId !== 'hot');
    expect(fresh).toHaveLength(newSessions);
    expect(fresh.every((a) => a.status === 201)).toBe(true);
    expect(new Set(fresh.map((a) => a.sessionId)).size).toBe(newSessions);
  });

  it('gives the contended id one node and exactly one 201', () => {
    const hot = answers.filter((a) => a.sessionId === 'hot');
    expect(hot).toHaveLength(hotRequests);
    expect(hot.filter((a) => a.status === 201)).toHaveLength(1);
    expect(hot.every((a) => a.status === 201 || a.status === 200)).toBe(true);
    expect(new Set(hot.map((a) => a.nodeId)).size).toBe(1);
  });

  it('spreads sessions exactly as one process would, and leaves the SWRR state where one process would', async () => {
    const scheduler = new SwrrScheduler();
    for (const [id, weight] of Object.entries(weights)) scheduler.add(id, weight);
    const expected: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < newSessions + 1; i++) expected[scheduler.pick()!]! += 1;

    const perNode = await stored('SELECT node_id, COUNT(*) AS n FROM sessions GROUP BY node_id');
    expect(Object.fromEntries(perNode.map((row) => [row.node_id, Number(row.n)]))).toEqual(expected);
    const nodes = await stored('SELECT id, current, active_sessions FROM nodes ORDER BY seq');
    expect(nodes.map((n) => [n.id, Number(n.current)])).toEqual(
      scheduler.nodes.map((n) => [n.id, n.current]),
    );
    expect(nodes.map((n) => Number(n.active_sessions))).toEqual(nodes.map((n) => expected[String(n.id)]));
    expect((await stored('PRAGMA integrity_check'))[0]).toEqual({ integrity_check: 'ok' });
  });

  it('answers with the stored node from either process', async () => {
    for (const answer of answers.filter((_, i) => i % 25 === 0)) {
      const other = answer.via === 0 ? two : one;
      const { body } = await other.request<Assignment>('GET', `/v1/sessions/${answer.sessionId}`);
      expect(body.nodeId).toBe(answer.nodeId);
    }
  });
});
