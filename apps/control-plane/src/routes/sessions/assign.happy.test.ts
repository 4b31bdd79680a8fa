import { describe, expect, it } from 'vitest';
import { createHarness, heartbeatTimeoutMs, placeMany } from '../../testing/harness';

describe('POST /v1/sessions — placement', () => {
  it('places 7 new sessions on a(5), b(1), c(1) as a a b a c a a, then repeats', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 5, b: 1, c: 1 });
    expect(await placeMany(h, 14)).toEqual('a a b a c a a a a b a c a a'.split(' '));
  });

  it.each([
    [{ a: 1, b: 1, c: 1, d: 2 }, 'd a b c d d a b c d'],
    [{ a: 3, b: 2, c: 10 }, 'c a c c b c c a c c b c c a c'],
  ])('follows nginx for weights %j', async (weights, expected) => {
    const h = await createHarness();
    await h.addUpNodes(weights);
    expect(await placeMany(h, expected.split(' ').length)).toEqual(expected.split(' '));
  });

  it('answers 201 with the assignment, and stores it', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    const { status, body } = await h.json('POST', '/v1/sessions', { body: { sessionId: 'room-1' } });
    expect(status).toBe(201);
    expect(body).toEqual({
      sessionId: 'room-1',
      nodeId: 'a',
      kmsUri: 'ws://127.0.0.1:8888/kurento?node=a',
      assignedAt: new Date(h.clock.ms).toISOString(),
      reassigned: false,
    });
    expect((await h.json('GET', '/v1/sessions/room-1')).body).toEqual(body);
  });

  it('returns a live session to its node with 200 and consumes no pick', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 5, b: 1, c: 1 });
    const sequence: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { status, body } = await h.json('POST', '/v1/sessions', { body: { sessionId: `s${i}` } });
      expect(status).toBe(201);
      sequence.push(body.nodeId);
      // Asking again for every session placed so far changes nothing.
      for (let j = 0; j <= i; j++) {
        const again = await h.json('POST', '/v1/sessions', { body: { sessionId: `s${j}` } });
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({ nodeId: sequence[j], reassigned: false });
      }
    }
    expect(sequence).toEqual('a a b a c a a'.split(' '));
  });

  it('restarts the cycle with the new ratio on a weight change', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 5, b: 1, c: 1 });
    expect(await placeMany(h, 3, 'x')).toEqual(['a', 'a', 'b']);
    expect((await h.json('PATCH', '/v1/nodes/c', { body: { weight: 3 } })).status).toBe(200);
    // From all-zero state with 5,1,3 (worked by hand: a5 b1 c3 → a, a1 b2 c6 → c, …).
    expect(await placeMany(h, 9, 'y')).toEqual('a c a b a c a c a'.split(' '));
  });

  it('restarts the cycle on a write of the same weight, and on PUT /v1/weights', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 5, b: 1, c: 1 });
    expect(await placeMany(h, 3, 'x')).toEqual(['a', 'a', 'b']);
    await h.json('PATCH', '/v1/nodes/a', { body: { weight: 5 } });
    expect(await placeMany(h, 3, 'y')).toEqual(['a', 'a', 'b']);
    await h.json('PUT', '/v1/weights', { body: { weights: { a: 1, b: 1 } } });
    expect(await placeMany(h, 3, 'z')).toEqual(['a', 'b', 'c']);
  });

  it('gives no new session to a node whose heartbeats stopped, and moves its sessions on their next POST', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    expect(await placeMany(h, 2)).toEqual(['a', 'b']);
    h.clock.advance(heartbeatTimeoutMs - 1000);
    await h.heartbeat('b', tokens.b!);
    h.clock.advance(1001); // a's last heartbeat is now older than the timeout; b's is fresh
    expect((await h.json('GET', '/v1/nodes/a')).body.health).toBe('down');
    expect(await placeMany(h, 3, 'n')).toEqual(['b', 'b', 'b']);
    const moved = await h.json('POST', '/v1/sessions', { body: { sessionId: 's0' } });
    expect(moved).toMatchObject({ status: 200, body: { sessionId: 's0', nodeId: 'b', reassigned: true } });
    expect((await h.json('GET', '/v1/sessions/s0')).body.nodeId).toBe('b');
    // Once moved, it is sticky again on its new node.
    const again = await h.json('POST', '/v1/sessions', { body: { sessionId: 's0' } });
    expect(again).toMatchObject({ status: 200, body: { nodeId: 'b', reassigned: false } });
    expect((await h.json('GET', '/v1/nodes/a')).body.activeSessions).toBe(0);
    expect((await h.json('GET', '/v1/nodes/b')).body.activeSessions).toBe(5);
  });

  it('takes a node out at once on connected:false, and back on connected:true', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    await h.heartbeat('a', tokens.a!, { connected: false });
    expect((await h.json('GET', '/v1/nodes/a')).body.health).toBe('down');
    expect(await placeMany(h, 2)).toEqual(['b', 'b']);
    await h.heartbeat('a', tokens.a!, { connected: true });
    expect(await placeMany(h, 2, 'n')).toEqual(['a', 'b']);
  });

  it('keeps sessions on a draining node and gives it no new ones', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 1 });
    expect(await placeMany(h, 2)).toEqual(['a', 'b']);
    await h.json('PATCH', '/v1/nodes/a', { body: { state: 'draining' } });
    expect(await placeMany(h, 2, 'n')).toEqual(['b', 'b']);
    expect((await h.json('POST', '/v1/sessions', { body: { sessionId: 's0' } })).body).toMatchObject({
      nodeId: 'a',
      reassigned: false,
    });
  });

  it('moves the sessions of a disabled node on their next POST', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 1 });
    expect(await placeMany(h, 2)).toEqual(['a', 'b']);
    await h.json('PATCH', '/v1/nodes/a', { body: { state: 'disabled' } });
    const moved = await h.json('POST', '/v1/sessions', { body: { sessionId: 's0' } });
    expect(moved).toMatchObject({ status: 200, body: { nodeId: 'b', reassigned: true } });
  });

  it('answers 503 NO_NODE_AVAILABLE and records nothing when no node is eligible', async () => {
    const h = await createHarness();
    await h.addNode('never-up', 1);
    const tokens = await h.addUpNodes({ zero: 0, full: 1, gone: 1 });
    await h.json('PATCH', '/v1/nodes/full', { body: { maxSessions: 1 } });
    expect(await placeMany(h, 1)).toEqual(['full']);
    await h.heartbeat('gone', tokens.gone!, { connected: false });
    const before = await h.snapshot();
    const { status, body } = await h.json('POST', '/v1/sessions', { body: { sessionId: 'late' } });
    expect(status).toBe(503);
    expect(body.error.code).toBe('NO_NODE_AVAILABLE');
    expect(await h.snapshot()).toEqual(before);
    expect((await h.json('GET', '/v1/sessions/late')).status).toBe(404);
  });

  it('keeps the old assignment when a session must move and no node is eligible', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1 });
    await placeMany(h, 1);
    await h.heartbeat('a', tokens.a!, { connected: false });
    const before = await h.snapshot();
    expect((await h.json('POST', '/v1/sessions', { body: { sessionId: 's0' } })).status).toBe(503);
    expect(await h.snapshot()).toEqual(before);
    expect((await h.json('GET', '/v1/sessions/s0')).body.nodeId).toBe('a');
  });

  it('honours maxSessions, and frees capacity on release', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 3, b: 1 });
    await h.json('PATCH', '/v1/nodes/a', { body: { maxSessions: 2 } });
    expect(await placeMany(h, 4)).toEqual(['a', 'a', 'b', 'b']);
    expect((await h.call('DELETE', '/v1/sessions/s0')).status).toBe(204);
    expect((await h.json('GET', '/v1/nodes/a')).body.activeSessions).toBe(1);
    // a is eligible again and resumes from its kept current (-2): b (3) wins once, then a.
    expect(await placeMany(h, 2, 'n')).toEqual(['b', 'a']);
    expect((await h.json('GET', '/v1/nodes/a')).body.activeSessions).toBe(2);
    expect(await placeMany(h, 1, 'm')).toEqual(['b']);
  });

  it('forces a new session onto the given node, whatever its health, without moving the round robin', async () => {
    const h = await createHarness();
    await h.addNode('spare', 1);
    await h.addUpNodes({ a: 5, b: 1, c: 1 });
    expect(await placeMany(h, 2)).toEqual(['a', 'a']);
    const forced = await h.json('POST', '/v1/sessions', { body: { sessionId: 'f', nodeId: 'spare' } });
    expect(forced).toMatchObject({ status: 201, body: { nodeId: 'spare', reassigned: false } });
    // The sequence goes on as if the forced placement never happened: a a | b a c a a
    expect(await placeMany(h, 5, 'n')).toEqual(['b', 'a', 'c', 'a', 'a']);
    // nodeId is ignored for a session that already has a live assignment.
    const sticky = await h.json('POST', '/v1/sessions', { body: { sessionId: 'f', nodeId: 'a' } });
    expect(sticky).toMatchObject({ status: 200, body: { nodeId: 'spare' } });
  });

  it('gives one node to every concurrent call for one new session id, and one 201', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 1, c: 1 });
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => h.json('POST', '/v1/sessions', { body: { sessionId: 'hot' } })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.nodeId)).size).toBe(1);
    expect(await placeMany(h, 1, 'next')).toEqual(['b']); // exactly one pick was consumed
  });
});
