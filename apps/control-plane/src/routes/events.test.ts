import { describe, expect, it } from 'vitest';
import { createHarness, expectError, type Harness, heartbeatTimeoutMs } from '../testing/harness';

const kms = (startedAt: string) => ({
  version: '7.3.0',
  cpuCount: 2,
  usedCpuPercent: 3,
  usedMemoryKiB: 1000,
  pipelines: 0,
  startedAt,
});

async function events(h: Harness, query = '') {
  const { status, body } = await h.json('GET', `/v1/events${query}`);
  expect(status).toBe(200);
  return body as {
    events: { id: string; nodeId: string; at: string; type: string; reason: string }[];
    nextCursor: string | null;
  };
}

const summary = (list: { nodeId: string; type: string }[]) =>
  list.map((e) => `${e.nodeId}:${e.type}`).reverse();

describe('GET /v1/events — health transitions', () => {
  it('records up, down (agent says disconnected) and up again, once each, newest first', async () => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    await h.heartbeat('a', agentToken);
    await h.heartbeat('a', agentToken); // no transition, no event
    await h.heartbeat('a', agentToken, { connected: false });
    await h.heartbeat('a', agentToken, { connected: false });
    await h.heartbeat('a', agentToken);
    const { events: list } = await events(h);
    expect(summary(list)).toEqual(['a:up', 'a:down', 'a:up']);
    expect(list[1]).toMatchObject({ type: 'down', reason: 'the agent reports the KMS unreachable' });
  });

  it('records a timeout when the sweep notices silence, dated when the timeout passed', async () => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    await h.heartbeat('a', agentToken);
    const last = h.clock.ms;
    h.clock.advance(heartbeatTimeoutMs - 1);
    await h.sweep();
    expect(summary((await events(h)).events)).toEqual(['a:up']);
    h.clock.advance(5000);
    await h.sweep();
    await h.sweep(); // a second sweep (or replica) adds nothing
    const { events: list } = await events(h);
    expect(summary(list)).toEqual(['a:up', 'a:down']);
    expect(list[0]).toMatchObject({
      at: new Date(last + heartbeatTimeoutMs).toISOString(),
      reason: `no heartbeat for ${heartbeatTimeoutMs} ms`,
    });
  });

  it('records an outage that ended before any sweep ran, when the next heartbeat arrives', async () => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    await h.heartbeat('a', agentToken);
    h.clock.advance(heartbeatTimeoutMs + 3000);
    await h.heartbeat('a', agentToken);
    expect(summary((await events(h)).events)).toEqual(['a:up', 'a:down', 'a:up']);
  });

  it('records a restarted KMS when its start time changes', async () => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    await h.heartbeat('a', agentToken, { connected: true, kms: kms('2026-01-01T00:00:00Z') });
    await h.heartbeat('a', agentToken, { connected: true, kms: kms('2026-01-01T00:00:00Z') });
    await h.heartbeat('a', agentToken, { connected: false });
    await h.heartbeat('a', agentToken, { connected: true, kms: kms('2026-01-01T00:05:00Z') });
    const { events: list } = await events(h);
    expect(summary(list)).toEqual(['a:up', 'a:down', 'a:restarted', 'a:up']);
    expect(list[1]?.reason).toContain('2026-01-01T00:05:00Z');
    expect((await h.json('GET', '/v1/nodes/a')).body.kms.startedAt).toBe('2026-01-01T00:05:00Z');
  });

  it('pages newest first, filters by node, and keeps the history of a deleted node', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    await h.heartbeat('b', tokens.b!, { connected: false });
    await h.call('DELETE', '/v1/nodes/b');
    const first = await events(h, '?limit=2');
    expect(summary(first.events)).toEqual(['b:up', 'b:down']);
    const rest = await events(h, `?limit=2&cursor=${first.nextCursor}`);
    expect(rest).toMatchObject({ events: [{ nodeId: 'a', type: 'up' }], nextCursor: null });
    expect(summary((await events(h, '?nodeId=b')).events)).toEqual(['b:up', 'b:down']);
  });

  it.each([['limit=0'], ['limit=1001'], ['cursor=nope'], ['nodeId=a%20b']])(
    'refuses ?%s with 400',
    async (query) => {
      const h = await createHarness();
      await expectError(await h.call('GET', `/v1/events?${query}`), 400, 'BAD_REQUEST');
    },
  );
});
