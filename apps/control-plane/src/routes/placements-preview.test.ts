import { describe, expect, it } from 'vitest';
import { createHarness, expectError, placeMany } from '../testing/harness';

describe('GET /v1/placements/preview', () => {
  it('names the next picks without placing anything, and the placements that follow agree', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 5, b: 1, c: 1 });
    const before = await h.snapshot();
    const { status, body } = await h.json('GET', '/v1/placements/preview?count=9');
    expect(status).toBe(200);
    expect(body).toEqual({ nodeIds: ['a', 'a', 'b', 'a', 'c', 'a', 'a', 'a', 'a'] });
    expect(await h.snapshot()).toEqual(before);
    expect(await placeMany(h, 9)).toEqual(body.nodeIds);
    expect((await h.json('GET', '/v1/placements/preview')).body.nodeIds).toHaveLength(10);
  });

  it('is empty when no node is eligible', async () => {
    const h = await createHarness();
    await h.addNode('a');
    expect((await h.json('GET', '/v1/placements/preview?count=3')).body).toEqual({ nodeIds: [] });
  });

  it.each(['count=0', 'count=1001', 'count=ten', 'count=2.5'])(
    'refuses %s with 400 naming count',
    async (query) => {
      const h = await createHarness();
      await expectError(await h.call('GET', `/v1/placements/preview?${query}`), 400, 'BAD_REQUEST', 'count');
    },
  );

  it('is for admins only', async () => {
    const h = await createHarness();
    const app = await h.appToken();
    await expectError(await h.call('GET', '/v1/placements/preview', { token: app }), 403, 'FORBIDDEN');
  });
});
