import { describe, expect, it } from 'vitest';
import { createHarness, expectError, placeMany } from '../testing/harness';

describe('GET /v1/placements/preview', () => {
  it('names the next picks without placing anything, and the placements that follow agree', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 5, b: 1, c: 1 });
    const before = await h.snapshot();
    const { status, body } = await h.json('GET', '/v1/placements/preview?count=9');
    expect(status).toBe(200);
    expect(body.nodeIds).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'a', 'a', 'a']);
    expect(await h.snapshot()).toEqual(before);
    expect(await placeMany(h, 9)).toEqual(body.nodeIds);
    // The decision it shows is the one the first of those placements recorded.
    const { placements } = (await h.json('GET', '/v1/placements?limit=9')).body;
    expect(placements.at(-1).decision).toEqual(body.decision);
    expect((await h.json('GET', '/v1/placements/preview')).body.nodeIds).toHaveLength(10);
  });

  it('is empty when no node is eligible', async () => {
    const h = await createHarness();
    await h.addNode('a');
    expect((await h.json('GET', '/v1/placements/preview?count=3')).body).toEqual({
      nodeIds: [],
      decision: { eligible: [], skipped: [{ id: 'a', why: 'down' }] },
    });
  });

  it('shows a ramp and the CPU guard as they stand now', async () => {
    const h = await createHarness({ policy: { FLEET_SLOW_START_MS: '10000', FLEET_MAX_CPU_PERCENT: '80' } });
    const tokens = await h.addUpNodes({ a: 10, hot: 1 });
    const kms = { version: '7.3.0', cpuCount: 2, usedCpuPercent: 170, usedMemoryKiB: 1, pipelines: 0 };
    await h.heartbeat('hot', tokens.hot!, { connected: true, kms });
    h.clock.advance(5000);
    const { body } = await h.json('GET', '/v1/placements/preview?count=2');
    expect(body).toEqual({
      nodeIds: ['a', 'a'],
      decision: {
        eligible: [{ id: 'a', weight: 10, effectiveWeight: 5, current: 0 }],
        skipped: [{ id: 'hot', why: 'cpu' }],
      },
    });
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
