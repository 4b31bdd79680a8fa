import { FleetClient } from '@kurento-fleet/client';
import { KurentoPool, kurentoCall, type MediaPipeline } from '@kurento-fleet/client/kurento';
import type { CreatedNode, CreatedToken, EventPage, Node, PlacementList } from '@kurento-fleet/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, type Runtime, startControlPlane } from './support/control-plane';
import {
  freePort,
  quickAgentSettings,
  startAgentProcess,
  startEmulatorProcess,
  type TsxProcess,
  waitUntil,
} from './support/processes';
import { dbEnv } from './support/stored-db';
import { tempDir } from './support/temp-dir';

/**
 * Passive health with real processes: a KMS host killed outright (its emulator and its agent, SIGKILL), while
 * an application keeps placing rooms through the SDK's KurentoPool and connecting to the KMS it is given. The
 * heartbeat timeout (6 s, the default) is longer than the whole run after the kill, so nothing but the
 * application's own report can take the dead node out: every placement after the report must avoid it, and
 * the application may lose only the placements it had in flight when the host died.
 */
const workers = 4;
/** A pause between an application worker's rooms, to bound the load on a shared machine. */
const pauseMs = 25;
const loadBeforeKillMs = 1500;
const loadAfterKillMs = 3000;
const heartbeatTimeoutMs = 6000;
const ids = ['a', 'b', 'c'] as const;

interface Outcome {
  id: string;
  startedAt: number;
  nodeId?: string;
  reassigned?: boolean;
  error?: string;
}

describe.each(['node', 'edge'] as Runtime[])('a KMS host killed outright, control plane on %s', (runtime) => {
  const dir = tempDir();
  const emulators: Record<string, TsxProcess> = {};
  const agents: Record<string, TsxProcess> = {};
  const ports: Record<string, number> = {};
  let cp: ControlPlane;
  let app: FleetClient;
  let pool: KurentoPool;

  beforeAll(async () => {
    cp = await startControlPlane(
      {
        ...dbEnv(runtime, dir.path),
        FLEET_HEARTBEAT_INTERVAL_MS: '1000',
        FLEET_HEARTBEAT_TIMEOUT_MS: String(heartbeatTimeoutMs),
        // Long enough to cover the run: the ejection, not its end, is under test.
        FLEET_EJECTION_MS: '60000',
      },
      runtime,
    );
    for (const id of ids) ports[id] = await freePort();
    await Promise.all(
      ids.map(async (id) => {
        emulators[id] = await startEmulatorProcess({ port: ports[id] as number });
      }),
    );
    for (const id of ids) {
      const { body } = await cp.request<CreatedNode>('POST', '/v1/nodes', {
        id,
        uri: `ws://127.0.0.1:${ports[id]}/kurento`,
        weight: 1,
      });
      agents[id] = await startAgentProcess({
        fleetUrl: cp.url,
        nodeId: id,
        agentToken: body.agentToken,
        kmsUri: `ws://127.0.0.1:${ports[id]}/kurento`,
        env: quickAgentSettings,
      });
    }
    await Promise.all(
      ids.map((id) =>
        waitUntil(
          async () => (await cp.request<Node>('GET', `/v1/nodes/${id}`)).body.health === 'up',
          20_000,
          `node ${id} up`,
        ),
      ),
    );
    const token = (await cp.request<CreatedToken>('POST', '/v1/tokens', { role: 'app', name: 'app' })).body
      .token;
    app = new FleetClient({ url: cp.url, token });
    pool = new KurentoPool({ connectTimeoutMs: 3000 });
  }, 90_000);

  /**
   * The application: `workers` loops, each placing a room, connecting to its KMS through `rooms` and making the
   * room's pipeline, for loadBeforeKillMs; then node `victim`'s emulator and agent are killed, and the loops go
   * on for loadAfterKillMs.
   */
  async function placeWhileKilling(rooms: KurentoPool, victim: string) {
    const outcomes: Outcome[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const outcome: Outcome = { id: `${victim}-room-${outcomes.length}`, startedAt: Date.now() };
        outcomes.push(outcome);
        try {
          const { client, assignment } = await rooms.forSession(app, outcome.id);
          outcome.nodeId = assignment.nodeId;
          outcome.reassigned = assignment.reassigned;
          const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb), 2000);
          await kurentoCall<void>((cb) => pipeline.addTag('fleetSessionId', outcome.id, cb), 2000);
        } catch (error) {
          outcome.error = error instanceof Error ? error.message : String(error);
        }
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    };
    const running = Array.from({ length: workers }, worker);
    await new Promise((resolve) => setTimeout(resolve, loadBeforeKillMs));
    const killedAt = Date.now();
    await Promise.all([emulators[victim]!.kill(), agents[victim]!.kill()]);
    await new Promise((resolve) => setTimeout(resolve, loadAfterKillMs));
    stop = true;
    await Promise.all(running);
    return { outcomes, killedAt };
  }

  afterAll(async () => {
    pool?.close();
    await Promise.all([...Object.values(agents), ...Object.values(emulators)].map((p) => p.kill()));
    await cp?.kill();
    dir.remove();
  });

  it('is out of rotation from the application’s report on, which comes within milliseconds of the kill', async () => {
    const { outcomes, killedAt } = await placeWhileKilling(pool, 'b');

    const ejections = (await cp.request<EventPage>('GET', '/v1/events?nodeId=b&types=node.ejected&after=0'))
      .body.events;
    expect(ejections.length).toBeGreaterThanOrEqual(1);
    const [ejection] = ejections;
    const reportedAt = Date.parse(ejection?.at ?? '');
    expect(ejection?.data.reason).toMatch(/^cannot connect to the KMS at ws:\/\/127\.0\.0\.1:\d+\/kurento/);

    // The report came from the application, long before the heartbeat timeout could take b down.
    const killToReportMs = reportedAt - killedAt;
    expect(killToReportMs).toBeGreaterThanOrEqual(0);
    expect(killToReportMs).toBeLessThan(heartbeatTimeoutMs / 2);

    // After the report, no placement went to b: each one that would have skipped it as ejected (not down).
    const { placements } = (await cp.request<PlacementList>('GET', '/v1/placements?limit=10000')).body;
    const after = placements.filter((p: { at: string }) => Date.parse(p.at) > reportedAt);
    expect(after.length).toBeGreaterThan(20);
    expect(after.filter((p: { nodeId: string }) => p.nodeId === 'b')).toEqual([]);
    expect(after.at(-1)?.decision?.skipped).toEqual([{ id: 'b', why: 'ejected' }]);

    // Lost: rooms the application could not set up. At most one per worker: the room each had in flight.
    const lost = outcomes.filter((o) => o.error !== undefined);
    const placedAfterKill = outcomes.filter((o) => o.startedAt >= killedAt);
    const movedBySdk = outcomes.filter((o) => o.error === undefined && o.reassigned);
    expect(lost.length).toBeLessThanOrEqual(workers);
    for (const room of lost) expect(room.startedAt, room.error).toBeLessThan(reportedAt);
    expect(outcomes.filter((o) => o.startedAt > reportedAt && o.error !== undefined)).toEqual([]);

    // The rooms that lived on b move on their next call.
    const onB = outcomes
      .filter((o) => o.nodeId === 'b' && !o.reassigned && o.startedAt < killedAt)
      .slice(0, 5);
    expect(onB.length).toBeGreaterThan(0);
    for (const room of onB) {
      const { assignment } = await app.assignSession(room.id);
      expect(assignment.reassigned).toBe(true);
      expect(assignment.nodeId).not.toBe('b');
    }

    const figures = {
      runtime,
      rooms: outcomes.length,
      roomsAfterKill: placedAfterKill.length,
      killToReportMs,
      lost: lost.length,
      lostErrors: lost.map((o) => o.error),
      movedBySdk: movedBySdk.length,
      placementsAfterReport: after.length,
    };
    console.log(`failover figures: ${JSON.stringify(figures)}`);
  }, 60_000);

  it('without reports, the same kill costs every room placed on the node until the heartbeat timeout', async () => {
    // The control experiment: an application that does not report (failureReports: 0), and c killed the same way.
    const silent = new KurentoPool({ connectTimeoutMs: 3000, failureReports: 0 });
    try {
      const { outcomes, killedAt } = await placeWhileKilling(silent, 'c');
      const lost = outcomes.filter((o) => o.error !== undefined);
      expect(
        (await cp.request<EventPage>('GET', '/v1/events?nodeId=c&types=node.ejected&after=0')).body.events,
      ).toEqual([]);
      // Within the window, nothing but a report could have taken c out: its rooms keep failing.
      expect(lost.length).toBeGreaterThan(workers);
      for (const room of lost) expect(room.startedAt).toBeGreaterThanOrEqual(killedAt - 2000);
      console.log(
        `failover figures without reports: ${JSON.stringify({
          runtime,
          roomsAfterKill: outcomes.filter((o) => o.startedAt >= killedAt).length,
          lost: lost.length,
        })}`,
      );
    } finally {
      silent.close();
    }
  }, 60_000);
});
