import { afterEach, describe, expect, it } from 'vitest';
import { type Agent, type AgentOptions, startAgent } from './agent';
import { captureLogger } from './testing/capture-logger';
import { FakeClock } from './testing/fake-clock';
import { FakeKmsConnection, sampleReport } from './testing/fake-connection';
import { FakeFetch } from './testing/fake-fetch';
import { AGENT_VERSION } from './version';

const nodes = [
  { nodeId: 'kms-a', agentToken: 'token-a', kmsUri: 'ws://10.0.0.1:8888/kurento' },
  { nodeId: 'kms-b', agentToken: 'token-b', kmsUri: 'ws://10.0.0.2:8888/kurento' },
];

function setup(options: Partial<AgentOptions> = {}) {
  const clock = new FakeClock();
  const fake = new FakeFetch(() => clock.now());
  const connections = new Map<string, FakeKmsConnection>();
  const { log, lines, messages } = captureLogger();
  const agent = startAgent({
    fleetUrl: 'http://cp.test',
    nodes,
    clock,
    log,
    fetch: fake.fetch,
    connect: (uri) => {
      const connection = new FakeKmsConnection();
      connections.set(uri, connection);
      return connection;
    },
    ...options,
  });
  agents.push(agent);
  const conn = (index: number) => connections.get(nodes[index]?.kmsUri ?? '') as FakeKmsConnection;
  const heartbeatsOf = (nodeId: string) =>
    fake.requests.filter((request) => request.url.includes(`/${nodeId}/`));
  return { clock, fake, agent, conn, heartbeatsOf, lines, messages };
}

const agents: Agent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop()));
});

describe('startAgent', () => {
  it('watches each KMS and reports each node with its own token, at once', async () => {
    const { clock, heartbeatsOf, lines } = setup();
    await clock.advance(0);
    for (const [index, node] of nodes.entries()) {
      const [first] = heartbeatsOf(node.nodeId);
      expect(first?.headers.authorization).toBe(`Bearer token-${index === 0 ? 'a' : 'b'}`);
      expect(first?.body).toEqual({
        connected: true,
        kms: sampleReport(),
        agent: { version: AGENT_VERSION, startedAt: new Date(clock.now()).toISOString() },
      });
    }
    expect(lines.find((line) => line.message === 'agent started')).toMatchObject({
      version: AGENT_VERSION,
      fleetUrl: 'http://cp.test',
      nodes: nodes.map(({ nodeId, kmsUri }) => ({ nodeId, kmsUri })),
    });
    // Node-specific lines carry the node id.
    expect(lines.filter((line) => line.message === 'kms up').map((line) => line.nodeId)).toEqual([
      'kms-a',
      'kms-b',
    ]);
  });

  it('reports a KMS going down at once, as {connected:false}, for that node only', async () => {
    const { clock, conn, heartbeatsOf } = setup();
    await clock.advance(500);
    conn(0).down('not connected to the KMS: connection lost');
    conn(0).emit('disconnected');
    await clock.advance(0);
    expect(heartbeatsOf('kms-a').map((request) => request.body.connected)).toEqual([true, false]);
    expect(heartbeatsOf('kms-a')[1]?.body).not.toHaveProperty('kms');
    expect(heartbeatsOf('kms-a')[1]?.at).toBe(clock.now());
    expect(heartbeatsOf('kms-b')).toHaveLength(1);
  });

  it('reports a restart at once, with the new startedAt', async () => {
    const { clock, conn, heartbeatsOf } = setup();
    await clock.advance(500);
    conn(1).up(sampleReport({ startedAt: '2025-01-01T00:05:00.000Z' }));
    await clock.advance(500);
    const beats = heartbeatsOf('kms-b');
    expect(beats).toHaveLength(2);
    expect(beats[1]?.body.kms.startedAt).toBe('2025-01-01T00:05:00.000Z');
  });

  it('keeps the load figures fresh at the normal cadence', async () => {
    const { clock, conn, heartbeatsOf } = setup();
    await clock.advance(100);
    conn(0).up(sampleReport({ pipelines: 42, usedCpuPercent: 77 }));
    await clock.advance(2000);
    expect(heartbeatsOf('kms-a')[1]?.body.kms).toMatchObject({ pipelines: 42, usedCpuPercent: 77 });
  });

  it('exposes each node state', async () => {
    const { clock, conn, agent } = setup();
    conn(1).down('refused');
    await clock.advance(0);
    expect(agent.state('kms-a')).toMatchObject({
      nodeId: 'kms-a',
      kms: { status: 'up' },
      heartbeat: { accepted: 1 },
    });
    expect(agent.state('kms-b')).toMatchObject({ kms: { status: 'down', reason: 'refused' } });
    expect(agent.state('nope')).toBeUndefined();
    expect(agent.states().map((state) => state.nodeId)).toEqual(['kms-a', 'kms-b']);
  });

  it('stop() closes the connections, sends nothing more, logs once, and can be called twice', async () => {
    const { clock, conn, fake, agent, messages } = setup();
    await clock.advance(0);
    await Promise.all([agent.stop(), agent.stop()]);
    expect(conn(0).closed && conn(1).closed).toBe(true);
    const count = fake.requests.length;
    await clock.advance(60_000);
    expect(fake.requests).toHaveLength(count);
    expect(messages().filter((message) => message === 'agent stopped')).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it.each<[string, Partial<AgentOptions>, RegExp]>([
    ['no node', { nodes: [] }, /no node/],
    ['a node twice', { nodes: [nodes[0]!, nodes[0]!] }, /twice/],
    ['a CPU sample longer than the deadline', { cpuSampleMs: 1500, probeDeadlineMs: 1500 }, /cpuSampleMs/],
    ['a bad control plane URL', { fleetUrl: 'not a url' }, /fleetUrl/],
  ])('refuses %s', (_name, options, message) => {
    expect(() =>
      startAgent({ fleetUrl: 'http://cp.test', nodes, connect: () => new FakeKmsConnection(), ...options }),
    ).toThrow(message);
  });
});
