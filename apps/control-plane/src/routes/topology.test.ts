import { describe, expect, it } from 'vitest';
import { createHarness, expectError, heartbeatTimeoutMs } from '../testing/harness';

describe('GET /v1/topology', () => {
  it('lists every node’s uri, state and health by id, for app and admin tokens, and nothing more', async () => {
    const h = await createHarness();
    const app = await h.appToken();
    await h.addUpNodes({ b: 1, a: 5 });
    await h.addNode('c');
    await h.json('PATCH', '/v1/nodes/b', { body: { state: 'draining' } });
    const expected = {
      nodes: [
        {
          id: 'a',
          uri: 'ws://127.0.0.1:8888/kurento?node=a',
          state: 'active',
          health: 'up',
          ejectedUntil: null,
        },
        {
          id: 'b',
          uri: 'ws://127.0.0.1:8888/kurento?node=b',
          state: 'draining',
          health: 'up',
          ejectedUntil: null,
        },
        {
          id: 'c',
          uri: 'ws://127.0.0.1:8888/kurento?node=c',
          state: 'active',
          health: 'unknown',
          ejectedUntil: null,
        },
      ],
    };
    expect(await h.json('GET', '/v1/topology', { token: app })).toEqual({ status: 200, body: expected });
    expect((await h.json('GET', '/v1/topology')).body).toEqual(expected);

    h.clock.advance(heartbeatTimeoutMs + 1);
    const later = await h.json('GET', '/v1/topology', { token: app });
    expect(later.body.nodes.map((n: { health: string }) => n.health)).toEqual(['down', 'down', 'unknown']);
  });

  it('is 401 without a token and 403 for an agent', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 1 });
    await expectError(await h.call('GET', '/v1/topology', { token: null }), 401, 'UNAUTHORIZED');
    await expectError(await h.call('GET', '/v1/topology', { token: tokens.a }), 403, 'FORBIDDEN');
  });
});
