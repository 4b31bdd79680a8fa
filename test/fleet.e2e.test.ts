import type { Assignment, CreatedNode, EventPage, Node } from '@kurento-fleet/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from './support/control-plane';
import {
  freePort,
  jsonLine,
  QUICK_HEARTBEATS,
  quickAgentSettings,
  quickHeartbeatSettings,
  startAgentProcess,
  startEmulatorProcess,
  type TsxProcess,
  waitUntil,
} from './support/processes';
import { tempDir } from './support/temp-dir';

/**
 * The whole loop with real processes and sockets: a control plane, KMS emulators and agents, with the quick
 * timings (QUICK_HEARTBEATS); the same code runs with the defaults in production.
 */
describe('control plane + KMS emulators + agents, as processes', () => {
  const dir = tempDir();
  const ids = ['a', 'b', 'c'] as const;
  const weights = { a: 5, b: 1, c: 1, d: 1 };
  const ports: Record<string, number> = {};
  const emulators: Record<string, TsxProcess> = {};
  const agents: Record<string, TsxProcess> = {};
  let cpPort: number;
  let cp: ControlPlane;
  let placed = 0;

  const cpEnv = () => ({
    PORT: String(cpPort),
    FLEET_DB_PATH: `${dir.path}/fleet.db`,
    ...quickHeartbeatSettings,
  });
  const node = async (id: string) => (await cp.request<Node>('GET', `/v1/nodes/${id}`)).body;
  const healthOf = async (id: string, health: string) => (await node(id)).health === health;
  const place = async (count: number) => {
    const nodes: string[] = [];
    for (let i = 0; i < count; i++) {
      const { status, body } = await cp.request<Assignment>('POST', '/v1/sessions', {
        sessionId: `s${placed++}`,
      });
      expect(status).toBe(201);
      nodes.push(body.nodeId);
    }
    return nodes;
  };
  const startAgent = async (id: string, agentToken: string) => {
    agents[id] = await startAgentProcess({
      fleetUrl: cp.url,
      nodeId: id,
      agentToken,
      kmsUri: `ws://127.0.0.1:${ports[id]}/kurento`,
      env: quickAgentSettings,
    });
  };

  beforeAll(async () => {
    cpPort = await freePort();
    cp = await startControlPlane(cpEnv());
    for (const id of [...ids, 'd']) ports[id] = await freePort();
    for (const id of ids) emulators[id] = await startEmulatorProcess({ port: ports[id]! });
    for (const id of ids) {
      const { body } = await cp.request<CreatedNode>('POST', '/v1/nodes', {
        id,
        uri: `ws://127.0.0.1:${ports[id]}/kurento`,
        weight: weights[id],
      });
      await startAgent(id, body.agentToken);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...Object.values(agents), ...Object.values(emulators)].map((p) => p.kill()));
    await cp?.kill();
    dir.remove();
  });

  it('brings every node up with its KMS report, and places by SWRR: a a b a c a a', async () => {
    for (const id of ids) await waitUntil(() => healthOf(id, 'up'), 10_000, `node ${id} up`);
    const a = await node('a');
    expect(a.kms).toMatchObject({ version: '7.3.0', pipelines: 0, startedAt: expect.any(String) });
    expect(a.kms?.cpuCount).toBeGreaterThanOrEqual(1);
    expect(a.agent).toMatchObject({ version: expect.any(String), startedAt: expect.any(String) });
    expect(await place(14)).toEqual('a a b a c a a a a b a c a a'.split(' '));
  });

  it('takes a killed KMS out within the heartbeat timeout plus one interval, and moves its sessions', async () => {
    await emulators.b!.kill();
    const detection = await waitUntil(() => healthOf('b', 'down'), 10_000, 'node b down');
    expect(detection).toBeLessThanOrEqual(QUICK_HEARTBEATS.timeoutMs + QUICK_HEARTBEATS.intervalMs);
    expect(await place(7)).not.toContain('b');
    for (const sessionId of ['s2', 's9']) {
      const { status, body } = await cp.request<Assignment>('POST', '/v1/sessions', { sessionId });
      expect(status).toBe(200);
      expect(body.reassigned).toBe(true);
      expect(body.nodeId).not.toBe('b');
    }
    expect((await node('b')).activeSessions).toBe(0);
  });

  it('brings the node back when its KMS restarts, records the restart, and places on it again', async () => {
    emulators.b = await startEmulatorProcess({ port: ports.b! });
    await waitUntil(() => healthOf('b', 'up'), 20_000, 'node b up again');
    expect(await place(7)).toContain('b');
    const { body } = await cp.request<EventPage>(
      'GET',
      '/v1/events?nodeId=b&types=node.up,node.down,node.restarted',
    );
    const types = body.events.map((e: { type: string }) => e.type).reverse();
    expect(types.slice(0, 2)).toEqual(['node.up', 'node.down']);
    expect(types.at(-1)).toBe('node.up');
    expect(types).toContain('node.restarted');
  });

  it('keeps an agent whose KMS is not up yet running, and reports the node up once it is', async () => {
    const { body } = await cp.request<CreatedNode>('POST', '/v1/nodes', {
      id: 'd',
      uri: `ws://127.0.0.1:${ports.d}/kurento`,
      weight: weights.d,
    });
    await startAgent('d', body.agentToken);
    await waitUntil(() => healthOf('d', 'down'), 5_000, 'node d reported down');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(agents.d!.alive).toBe(true);
    emulators.d = await startEmulatorProcess({ port: ports.d! });
    await waitUntil(() => healthOf('d', 'up'), 20_000, 'node d up');
  });

  it('survives ten seconds without a control plane: every agent stays alive and the nodes come back up', async () => {
    expect(await cp.stop()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    for (const id of [...ids, 'd']) expect(agents[id]!.alive, `agent ${id}`).toBe(true);
    expect(agents.a!.lines.some((line) => jsonLine(line)?.message === 'heartbeat failed')).toBe(true);
    cp = await startControlPlane(cpEnv());
    for (const id of [...ids, 'd'])
      await waitUntil(() => healthOf(id, 'up'), 10_000, `node ${id} up after the outage`);
    for (const id of [...ids, 'd']) expect(agents[id]!.alive, `agent ${id}`).toBe(true);
  }, 60_000);
});
