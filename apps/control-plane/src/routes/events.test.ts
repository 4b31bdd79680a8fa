import { describe, expect, it } from 'vitest';
import { createHarness, expectError, type Harness, heartbeatTimeoutMs, placeMany } from '../testing/harness';

const kms = (startedAt: string) => ({
  version: '7.3.0',
  cpuCount: 2,
  usedCpuPercent: 3,
  usedMemoryKiB: 1000,
  pipelines: 0,
  startedAt,
});

interface Event {
  id: string;
  type: string;
  at: string;
  nodeId: string | null;
  sessionId: string | null;
  data: Record<string, any>;
}

async function events(h: Harness, query = '') {
  const { status, body } = await h.json('GET', `/v1/events${query}`);
  expect(status).toBe(200);
  return body as { events: Event[]; nextCursor: string | null };
}

/** Oldest first, as `subject:type` (the node, or the session for session events). */
const summary = (list: Event[]) => list.map((e) => `${e.sessionId ?? e.nodeId}:${e.type}`).reverse();

describe('GET /v1/events — node health', () => {
  it('records up, down (agent says disconnected) and up again, once each, newest first', async () => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    await h.heartbeat('a', agentToken);
    await h.heartbeat('a', agentToken); // no transition, no event
    await h.heartbeat('a', agentToken, { connected: false });
    await h.heartbeat('a', agentToken, { connected: false });
    await h.heartbeat('a', agentToken);
    const { events: list } = await events(h);
    expect(summary(list)).toEqual(['a:node.up', 'a:node.down', 'a:node.up']);
    expect(list[1]).toMatchObject({
      type: 'node.down',
      nodeId: 'a',
      sessionId: null,
      data: { reason: 'the agent reports the KMS unreachable', sessions: [] },
    });
  });

  it('records a timeout when the sweep notices silence, dated when the timeout passed, with the sessions', async () => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    await h.heartbeat('a', agentToken);
    await placeMany(h, 3, 'room-');
    const last = h.clock.ms;
    h.clock.advance(heartbeatTimeoutMs - 1);
    await h.sweep();
    expect((await events(h, '?types=node.down')).events).toEqual([]);
    h.clock.advance(5000);
    await h.sweep();
    await h.sweep(); // a second sweep (or replica) adds nothing
    const { events: list } = await events(h, '?types=node.down');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      at: new Date(last + heartbeatTimeoutMs).toISOString(),
      data: { reason: `no heartbeat for ${heartbeatTimeoutMs} ms`, sessions: ['room-0', 'room-1', 'room-2'] },
    });
  });

  it('records an outage that ended before any sweep ran, when the next heartbeat arrives', async () => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    await h.heartbeat('a', agentToken);
    h.clock.advance(heartbeatTimeoutMs + 3000);
    await h.heartbeat('a', agentToken);
    expect(summary((await events(h)).events)).toEqual(['a:node.up', 'a:node.down', 'a:node.up']);
  });

  it('records a restarted KMS when its start time changes', async () => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    await h.heartbeat('a', agentToken, { connected: true, kms: kms('2026-01-01T00:00:00Z') });
    await h.heartbeat('a', agentToken, { connected: true, kms: kms('2026-01-01T00:00:00Z') });
    await h.heartbeat('a', agentToken, { connected: false });
    await h.heartbeat('a', agentToken, { connected: true, kms: kms('2026-01-01T00:05:00Z') });
    const { events: list } = await events(h);
    expect(summary(list)).toEqual(['a:node.up', 'a:node.down', 'a:node.restarted', 'a:node.up']);
    expect(list[1]?.data).toMatchObject({ startedAt: '2026-01-01T00:05:00Z' });
    expect((await h.json('GET', '/v1/nodes/a')).body.kms.startedAt).toBe('2026-01-01T00:05:00Z');
  });
});

describe('GET /v1/events — sessions and drains', () => {
  it('records placements, moves, renames and releases, and a draining node’s last release', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    const before = (await events(h)).events.length;
    await placeMany(h, 2, 'r'); // r0 → a, r1 → b
    await h.json('POST', '/v1/sessions', { body: { sessionId: 'forced', nodeId: 'b' } });
    await h.heartbeat('a', tokens.a!, { connected: false });
    await h.json('POST', '/v1/sessions', { body: { sessionId: 'r0' } }); // moved to b
    await h.json('POST', '/v1/sessions/r1/rename', { body: { to: 'r1b' } });
    await h.json('PATCH', '/v1/nodes/b', { body: { state: 'draining' } });
    for (const id of ['r0', 'r1b', 'forced']) await h.call('DELETE', `/v1/sessions/${id}`);
    const all = (await events(h)).events;
    const list = all.slice(0, all.length - before).reverse();
    expect(list.map((e) => [e.type, e.nodeId, e.sessionId, e.data])).toEqual([
      ['session.placed', 'a', 'r0', { forced: false }],
      ['session.placed', 'b', 'r1', { forced: false }],
      ['session.placed', 'b', 'forced', { forced: true }],
      ['node.down', 'a', null, { reason: 'the agent reports the KMS unreachable', sessions: ['r0'] }],
      ['session.moved', 'b', 'r0', { from: 'a', to: 'b' }],
      ['session.renamed', 'b', 'r1b', { from: 'r1' }],
      ['session.released', 'b', 'r0', {}],
      ['session.released', 'b', 'r1b', {}],
      ['session.released', 'b', 'forced', {}],
      ['node.drained', 'b', null, { reason: 'its last session was released' }],
    ]);
  });

  it('records a node drained at once when it is set to draining without sessions', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    await h.json('PATCH', '/v1/nodes/a', { body: { state: 'draining' } });
    await h.json('PATCH', '/v1/nodes/a', { body: { state: 'draining' } });
    expect((await events(h, '?types=node.drained')).events).toHaveLength(1);
  });

  it('records the releases of a node deleted with force', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    await placeMany(h, 2, 'x');
    await h.call('DELETE', '/v1/nodes/a?force=true');
    const released = (await events(h, '?types=session.released')).events;
    expect(released.map((e) => [e.sessionId, e.data.reason])).toEqual([
      ['x1', 'its node was deleted'],
      ['x0', 'its node was deleted'],
    ]);
  });

  it('records nothing for a refused request: no node, a sticky answer, an unknown release', async () => {
    const h = await createHarness();
    await h.addNode('a');
    const before = await h.snapshot();
    expect((await h.call('POST', '/v1/sessions', { body: { sessionId: 's' } })).status).toBe(503);
    expect((await h.call('DELETE', '/v1/sessions/nope')).status).toBe(404);
    expect(await h.snapshot()).toEqual(before);
  });
});

describe('GET /v1/events — reading', () => {
  it('pages newest first, filters by node, and keeps the history of a deleted node', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    await h.heartbeat('b', tokens.b!, { connected: false });
    await h.call('DELETE', '/v1/nodes/b');
    const first = await events(h, '?limit=2');
    expect(summary(first.events)).toEqual(['b:node.up', 'b:node.down']);
    const rest = await events(h, `?limit=2&cursor=${first.nextCursor}`);
    expect(rest).toMatchObject({ events: [{ nodeId: 'a', type: 'node.up' }], nextCursor: null });
    expect(summary((await events(h, '?nodeId=b')).events)).toEqual(['b:node.up', 'b:node.down']);
  });

  it('follows a feed with after= (oldest first) and types=, without a gap', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    await placeMany(h, 5, 'f');
    const all = (await events(h, '?after=0')).events;
    expect(all.map((e) => Number(e.id))).toEqual([...all.map((e) => Number(e.id))].sort((x, y) => x - y));
    const page1 = await events(h, '?after=0&limit=3&types=session.placed');
    expect(page1.events.map((e) => e.sessionId)).toEqual(['f0', 'f1', 'f2']);
    expect(page1.nextCursor).toBe(page1.events[2]?.id);
    const page2 = await events(h, `?after=${page1.nextCursor}&limit=3&types=session.placed`);
    expect(page2).toMatchObject({ events: [{ sessionId: 'f3' }, { sessionId: 'f4' }], nextCursor: null });
    const both = await events(h, '?after=0&types=node.up,session.placed&limit=1000');
    expect(both.events).toHaveLength(6);
  });

  it.each([
    ['limit=0'],
    ['limit=1001'],
    ['cursor=nope'],
    ['nodeId=a%20b'],
    ['types=node.nope'],
    ['after=-1'],
  ])('refuses ?%s with 400', async (query) => {
    const h = await createHarness();
    await expectError(await h.call('GET', `/v1/events?${query}`), 400, 'BAD_REQUEST');
  });
});
