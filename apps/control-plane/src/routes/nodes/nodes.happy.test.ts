import { describe, expect, it } from 'vitest';
import { createHarness } from '../../testing/harness';

describe('nodes — happy paths', () => {
  it('creates a node with defaults and shows it', async () => {
    const h = await createHarness();
    const { status, body } = await h.json('POST', '/v1/nodes', {
      body: { uri: 'ws://10.0.0.1:8888/kurento' },
    });
    expect(status).toBe(201);
    expect(body.agentToken).toMatch(/^kf_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(body.node).toEqual({
      id: expect.stringMatching(/^node-[0-9a-f]{8}$/),
      uri: 'ws://10.0.0.1:8888/kurento',
      weight: 1,
      state: 'active',
      health: 'unknown',
      lastHeartbeatAt: null,
      ejectedUntil: null,
      kms: null,
      agent: null,
      activeSessions: 0,
      maxSessions: null,
      region: null,
      labels: {},
      createdAt: new Date(h.clock.ms).toISOString(),
      updatedAt: new Date(h.clock.ms).toISOString(),
    });
    expect((await h.json('GET', `/v1/nodes/${body.node.id}`)).body).toEqual(body.node);
  });

  it('creates a node with every field, and lists nodes ordered by id', async () => {
    const h = await createHarness();
    await h.addNode('zeta');
    const full = {
      id: 'alpha',
      uri: 'wss://kms-a.example:443/kurento',
      weight: 10_000,
      maxSessions: 50,
      region: 'eu-west',
      labels: { rack: 'r1', gpu: 'no' },
    };
    const created = await h.json('POST', '/v1/nodes', { body: full });
    expect(created.body.node).toMatchObject(full);
    const list = await h.json('GET', '/v1/nodes');
    expect(list.status).toBe(200);
    expect(list.body.nodes.map((n: { id: string }) => n.id)).toEqual(['alpha', 'zeta']);
  });

  it('updates each field, clears with null, and replaces labels whole', async () => {
    const h = await createHarness();
    await h.addNode('a', 1, { region: 'eu', labels: { x: '1', y: '2' }, maxSessions: 5 });
    h.clock.advance(1000);
    const { status, body } = await h.json('PATCH', '/v1/nodes/a', {
      body: { weight: 7, maxSessions: null, region: null, labels: { z: '3' }, state: 'draining' },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      weight: 7,
      maxSessions: null,
      region: null,
      labels: { z: '3' },
      state: 'draining',
    });
    expect(body.updatedAt).toBe(new Date(h.clock.ms).toISOString());
    const partial = await h.json('PATCH', '/v1/nodes/a', { body: { region: 'us' } });
    expect(partial.body).toMatchObject({ weight: 7, region: 'us', labels: { z: '3' }, state: 'draining' });
  });

  it('sets several weights at once and returns every node', async () => {
    const h = await createHarness();
    await h.addNode('a');
    await h.addNode('b');
    await h.addNode('c');
    const { status, body } = await h.json('PUT', '/v1/weights', { body: { weights: { a: 5, c: 0 } } });
    expect(status).toBe(200);
    expect(body.nodes.map((n: { id: string; weight: number }) => [n.id, n.weight])).toEqual([
      ['a', 5],
      ['b', 1],
      ['c', 0],
    ]);
  });

  it('deletes an idle node; with force, a node with sessions, releasing them', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 1 });
    await h.json('POST', '/v1/sessions', { body: { sessionId: 's1' } });
    expect((await h.call('DELETE', '/v1/nodes/b')).status).toBe(204);
    expect((await h.call('GET', '/v1/nodes/b')).status).toBe(404);
    expect((await h.call('DELETE', '/v1/nodes/a?force=true')).status).toBe(204);
    expect((await h.call('GET', '/v1/sessions/s1')).status).toBe(404);
    expect((await h.json('GET', '/v1/nodes')).body.nodes).toEqual([]);
  });

  it('rotates the agent token: the new one works, the old one stops', async () => {
    const h = await createHarness();
    const { agentToken: old } = await h.addNode('a');
    const { status, body } = await h.json('POST', '/v1/nodes/a/agent-token');
    expect(status).toBe(201);
    expect(body.agentToken).not.toBe(old);
    expect((await h.heartbeat('a', body.agentToken)).status).toBe(200);
    expect((await h.heartbeat('a', old)).status).toBe(401);
  });

  it('records heartbeats: health, the last KMS report, and the interval to use', async () => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    const kms = { version: '7.3.0', cpuCount: 4, usedCpuPercent: 12.5, usedMemoryKiB: 204800, pipelines: 3 };
    const response = await h.json('POST', '/v1/nodes/a/heartbeat', {
      token: agentToken,
      body: {
        connected: true,
        kms,
        sessionIds: ['room-1'],
        agent: { version: '0.1.0', startedAt: '2026-01-01T00:00:00Z' },
      },
    });
    expect(response).toEqual({ status: 200, body: { heartbeatIntervalMs: 2000 } });
    const node = (await h.json('GET', '/v1/nodes/a')).body;
    expect(node).toMatchObject({ health: 'up', kms, lastHeartbeatAt: new Date(h.clock.ms).toISOString() });
    // A report without kms (the KMS is unreachable) keeps the last report but marks the node down.
    await h.heartbeat('a', agentToken, { connected: false });
    expect((await h.json('GET', '/v1/nodes/a')).body).toMatchObject({ health: 'down', kms });
  });
});
