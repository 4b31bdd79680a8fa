import { describe, expect, it } from 'vitest';
import { createHarness, expectError, placeMany } from '../../testing/harness';

describe('POST /v1/sessions/{sessionId}/rename', () => {
  it('gives the session a new id on the same node, consuming no pick', async () => {
    const h = await createHarness();
    const app = await h.appToken();
    await h.addUpNodes({ a: 5, b: 1, c: 1 });
    const placed = await h.json('POST', '/v1/sessions', { token: app, body: { sessionId: 'gw:tmp-1' } });
    const pipeline = '4a6b2c1e-0d3f-4b8a-9c7e-1f2e3d4c5b6a_kurento.MediaPipeline';
    const renamed = await h.json('POST', '/v1/sessions/gw:tmp-1/rename', {
      token: app,
      body: { to: pipeline },
    });
    expect(renamed).toEqual({ status: 200, body: { ...placed.body, sessionId: pipeline } });
    expect((await h.json('GET', `/v1/sessions/${pipeline}`, { token: app })).body).toEqual(renamed.body);
    await expectError(await h.call('GET', '/v1/sessions/gw:tmp-1', { token: app }), 404, 'NOT_FOUND');
    // The round robin went on from the first pick: a a b a c a a.
    expect(await placeMany(h, 6)).toEqual(['a', 'b', 'a', 'c', 'a', 'a']);
    const { body } = await h.json('GET', '/v1/placements?limit=10');
    expect(body.placements.at(-1).sessionId).toBe(pipeline);
  });

  it('is 404 for an unknown session and 409 when the new id is taken; neither changes anything', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    await placeMany(h, 2);
    const before = await h.snapshot();
    await expectError(
      await h.call('POST', '/v1/sessions/ghost/rename', { body: { to: 'x' } }),
      404,
      'NOT_FOUND',
      'ghost',
    );
    await expectError(
      await h.call('POST', '/v1/sessions/s0/rename', { body: { to: 's1' } }),
      409,
      'CONFLICT',
      's1',
    );
    await expectError(
      await h.call('POST', '/v1/sessions/s0/rename', { body: { to: 'bad id' } }),
      400,
      'BAD_REQUEST',
      'to',
    );
    await expectError(await h.call('POST', '/v1/sessions/s0/rename', { body: {} }), 400, 'BAD_REQUEST', 'to');
    expect(await h.snapshot()).toEqual(before);
  });

  it('is for app and admin tokens only', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1 });
    await placeMany(h, 1);
    await expectError(
      await h.call('POST', '/v1/sessions/s0/rename', { body: { to: 'x' }, token: tokens.a }),
      403,
      'FORBIDDEN',
    );
  });
});
