import { describe, expect, it } from 'vitest';
import { createHarness, expectError, heartbeatTimeoutMs, placeMany } from '../testing/harness';

describe('GET /v1/placements', () => {
  it('logs new, moved and forced placements, newest first, and not sticky answers', async () => {
    const h = await createHarness();
    await h.addNode('spare');
    await h.addUpNodes({ a: 1, b: 1 });
    expect(await placeMany(h, 2)).toEqual(['a', 'b']);
    await h.json('POST', '/v1/sessions', { body: { sessionId: 's0' } }); // sticky
    await h.json('POST', '/v1/sessions', { body: { sessionId: 'f', nodeId: 'spare' } });
    await h.json('PATCH', '/v1/nodes/b', { body: { state: 'disabled' } });
    await h.json('POST', '/v1/sessions', { body: { sessionId: 's1' } }); // moved to a
    const { status, body } = await h.json('GET', '/v1/placements');
    expect(status).toBe(200);
    expect(body.placements.map((p: any) => [p.sessionId, p.nodeId, p.outcome])).toEqual([
      ['s1', 'a', 'reassigned'],
      ['f', 'spare', 'forced'],
      ['s1', 'b', 'new'],
      ['s0', 'a', 'new'],
    ]);
    expect(body.placements[0].at).toBe(new Date(h.clock.ms).toISOString());
    expect((await h.json('GET', '/v1/placements?limit=1')).body.placements).toHaveLength(1);
  });

  it('logs nothing for a refused placement', async () => {
    const h = await createHarness();
    await h.addNode('down-node');
    h.clock.advance(heartbeatTimeoutMs);
    expect((await h.call('POST', '/v1/sessions', { body: { sessionId: 'x' } })).status).toBe(503);
    expect((await h.json('GET', '/v1/placements')).body.placements).toEqual([]);
  });

  it.each(['limit=0', 'limit=10001', 'limit=x'])('refuses ?%s with 400', async (query) => {
    const h = await createHarness();
    await expectError(await h.call('GET', `/v1/placements?${query}`), 400, 'BAD_REQUEST', 'limit');
  });
});
