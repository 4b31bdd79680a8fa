import { describe, expect, it } from 'vitest';
import { createHarness, expectError, placeMany } from '../../testing/harness';

const minute = 60_000;

describe('POST /v1/nodes/{id}/failures — passive health', () => {
  it('ejects the node at once: no new session goes there, its sessions move, then it returns', async () => {
    const h = await createHarness();
    const app = await h.appToken();
    await h.addUpNodes({ a: 1, b: 1, c: 1 });
    const held = await h.json('POST', '/v1/sessions', {
      token: app,
      body: { sessionId: 'on-a', nodeId: 'a' },
    });
    expect(held.body.nodeId).toBe('a');

    const report = await h.json('POST', '/v1/nodes/a/failures', {
      token: app,
      body: { reason: 'ECONNREFUSED' },
    });
    expect(report.status).toBe(202);
    expect(report.body).toEqual({ nodeId: 'a', ejectedUntil: new Date(h.clock.ms + 30_000).toISOString() });
    expect((await h.json('GET', '/v1/nodes/a')).body.ejectedUntil).toBe(report.body.ejectedUntil);

    expect(await placeMany(h, 6)).not.toContain('a');
    const moved = await h.json('POST', '/v1/sessions', { token: app, body: { sessionId: 'on-a' } });
    expect(moved.body).toMatchObject({ reassigned: true });
    expect(moved.body.nodeId).not.toBe('a');

    // Heartbeats keep coming; once the ejection ends, a is eligible again.
    h.clock.advance(30_000);
    const tokens = await h.json('GET', '/v1/nodes');
    expect(tokens.status).toBe(200);
    await h.sweep();
    expect((await h.json('GET', '/v1/nodes/a')).body.ejectedUntil).toBeNull();
  });

  it('doubles each further ejection within 10 minutes, up to 10 times the first, and forgets after', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1, c: 1 });
    const lengths: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { body } = await h.json('POST', '/v1/nodes/a/failures', { body: { reason: `outage ${i}` } });
      lengths.push(Date.parse(body.ejectedUntil) - h.clock.ms);
      h.clock.advance(Date.parse(body.ejectedUntil) - h.clock.ms);
      for (const [id, token] of Object.entries(tokens)) await h.heartbeat(id, token);
    }
    expect(lengths).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    h.clock.advance(11 * minute);
    const { body } = await h.json('POST', '/v1/nodes/a/failures', { body: { reason: 'much later' } });
    expect(Date.parse(body.ejectedUntil) - h.clock.ms).toBe(30_000);
  });

  it('changes nothing while the node is already ejected: many clients report one outage', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 1, c: 1 });
    const first = await h.json('POST', '/v1/nodes/a/failures', { body: { reason: 'one' } });
    const before = await h.snapshot();
    h.clock.advance(1000);
    const again = await h.json('POST', '/v1/nodes/a/failures', { body: { reason: 'two' } });
    expect(again.body.ejectedUntil).toBe(first.body.ejectedUntil);
    expect(await h.snapshot()).toEqual(before);
  });

  it('never ejects past FLEET_MAX_EJECTED_PERCENT of the weight (50 %): then null, and the event says why', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 2, b: 1, c: 1 });
    expect(
      (await h.json('POST', '/v1/nodes/b/failures', { body: { reason: 'x' } })).body.ejectedUntil,
    ).not.toBeNull();
    const refused = await h.json('POST', '/v1/nodes/a/failures', { body: { reason: 'timeout' } });
    expect(refused).toEqual({ status: 202, body: { nodeId: 'a', ejectedUntil: null } });
    expect(await placeMany(h, 3)).toEqual(['a', 'c', 'a']);
    const { body } = await h.json('GET', '/v1/events?nodeId=a&types=node.ejected');
    expect(body.events[0]).toMatchObject({
      type: 'node.ejected',
      data: { reason: 'timeout', ejectedUntil: null },
    });
    expect(body.events[0].data.why).toContain('not ejected');
    expect(body.events[0].data.why).toContain('50%');
  });

  it('records each ejection as an event with its reason and length', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 1 });
    const report = await h.json('POST', '/v1/nodes/a/failures', {
      body: { reason: 'connect ECONNREFUSED 10.0.0.1:8888' },
    });
    const { body } = await h.json('GET', '/v1/events?nodeId=a');
    expect(body.events[0]).toMatchObject({
      nodeId: 'a',
      type: 'node.ejected',
      data: {
        reason: 'connect ECONNREFUSED 10.0.0.1:8888',
        ejectedUntil: report.body.ejectedUntil,
        why: 'ejected for 30000 ms',
      },
    });
  });
});

describe('POST /v1/nodes/{id}/failures — bad input and roles', () => {
  it.each([
    ['no reason', {}, 'reason'],
    ['an empty reason', { reason: '' }, 'reason'],
    ['a reason of 201 characters', { reason: 'x'.repeat(201) }, 'reason'],
    ['an unknown field', { reason: 'x', until: 5 }, 'until'],
  ])('%s → 400 naming the field, nothing changed', async (_, body, field) => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 1 });
    const before = await h.snapshot();
    await expectError(await h.call('POST', '/v1/nodes/a/failures', { body }), 400, 'BAD_REQUEST', field);
    expect(await h.snapshot()).toEqual(before);
  });

  it('an unknown node is 404; an agent token is 403; no token 401', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1, b: 1 });
    const body = { reason: 'x' };
    await expectError(await h.call('POST', '/v1/nodes/ghost/failures', { body }), 404, 'NOT_FOUND', 'ghost');
    await expectError(
      await h.call('POST', '/v1/nodes/a/failures', { body, token: tokens.a }),
      403,
      'FORBIDDEN',
    );
    await expectError(
      await h.call('POST', '/v1/nodes/a/failures', { body, token: null }),
      401,
      'UNAUTHORIZED',
    );
  });
});
