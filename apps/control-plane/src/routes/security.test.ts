import { describe, expect, it } from 'vitest';
import { adminToken, createHarness, expectError, type Harness } from '../testing/harness';

type Role = 'admin' | 'app' | 'agentOfA';

/** Every /v1 endpoint, a valid request to it, and the roles that may call it (admin may call everything). */
const endpoints: { method: string; path: string; body?: unknown; roles: Role[] }[] = [
  { method: 'POST', path: '/v1/nodes', body: { id: 'new', uri: 'ws://new:8888/kurento' }, roles: ['admin'] },
  { method: 'GET', path: '/v1/nodes', roles: ['admin'] },
  { method: 'GET', path: '/v1/nodes/a', roles: ['admin'] },
  { method: 'PATCH', path: '/v1/nodes/a', body: { weight: 3 }, roles: ['admin'] },
  { method: 'DELETE', path: '/v1/nodes/b', roles: ['admin'] },
  { method: 'PUT', path: '/v1/weights', body: { weights: { a: 2 } }, roles: ['admin'] },
  { method: 'POST', path: '/v1/nodes/b/agent-token', roles: ['admin'] },
  { method: 'POST', path: '/v1/nodes/a/heartbeat', body: { connected: true }, roles: ['admin', 'agentOfA'] },
  { method: 'POST', path: '/v1/sessions', body: { sessionId: 'new' }, roles: ['admin', 'app'] },
  { method: 'GET', path: '/v1/sessions/s', roles: ['admin', 'app'] },
  { method: 'DELETE', path: '/v1/sessions/s', roles: ['admin', 'app'] },
  { method: 'GET', path: '/v1/sessions', roles: ['admin', 'app'] },
  { method: 'POST', path: '/v1/tokens', body: { role: 'app' }, roles: ['admin'] },
  { method: 'GET', path: '/v1/tokens', roles: ['admin'] },
  { method: 'DELETE', path: '/v1/tokens/0123456789abcdef', roles: ['admin'] },
  { method: 'GET', path: '/v1/events', roles: ['admin'] },
  { method: 'GET', path: '/v1/placements', roles: ['admin'] },
  { method: 'GET', path: '/metrics', roles: ['admin'] },
];

interface World {
  h: Harness;
  tokens: Record<Role | 'agentOfB' | 'rotatedAgentOfA' | 'revokedApp' | 'storedAdmin', string>;
}

/** Nodes a (up) and b, a session s on a, and a token of every kind, including dead ones. */
async function world(): Promise<World> {
  const h = await createHarness();
  const { a: agentA, b: agentB } = await h.addUpNodes({ a: 1, b: 0 });
  await h.json('POST', '/v1/sessions', { body: { sessionId: 's' } });
  const rotated = agentA!;
  const fresh = (await h.json('POST', '/v1/nodes/a/agent-token')).body.agentToken as string;
  const revoked = (await h.json('POST', '/v1/tokens', { body: { role: 'app' } })).body;
  await h.call('DELETE', `/v1/tokens/${revoked.id}`);
  return {
    h,
    tokens: {
      admin: adminToken,
      storedAdmin: (await h.json('POST', '/v1/tokens', { body: { role: 'admin' } })).body.token,
      app: await h.appToken(),
      agentOfA: fresh,
      agentOfB: agentB!,
      rotatedAgentOfA: rotated,
      revokedApp: revoked.token,
    },
  };
}

describe.each(endpoints)('$method $path', ({ method, path, body, roles }) => {
  it.each([
    ['no token', null],
    ['an empty bearer', ''],
    ['a malformed token', 'not-a-token'],
    ['an unknown token of the right form', `kf_0123456789abcdef_${'A'.repeat(43)}`],
    ['a token with a wrong secret', 'tamper'],
    ['a rotated agent token', 'rotatedAgentOfA'],
    ['a revoked app token', 'revokedApp'],
  ])('%s → 401, nothing changed', async (_, which) => {
    const { h, tokens } = await world();
    let token: string | null = which;
    if (which === 'tamper') token = `${tokens.app.slice(0, -4)}AAAA`;
    else if (which && which in tokens) token = tokens[which as keyof World['tokens']];
    const before = await h.snapshot();
    await expectError(await h.call(method, path, { token, body }), 401, 'UNAUTHORIZED');
    expect(await h.snapshot()).toEqual(before);
  });

  const forbidden = (['app', 'agentOfA', 'agentOfB'] as const).filter(
    (role) => !roles.includes(role as Role),
  );
  it.each(forbidden)('a valid %s token of the wrong role → 403, nothing changed', async (role) => {
    const { h, tokens } = await world();
    const before = await h.snapshot();
    await expectError(await h.call(method, path, { token: tokens[role], body }), 403, 'FORBIDDEN');
    // The role check comes before validation: a bad body does not reveal the body's shape either.
    if (body !== undefined) {
      await expectError(await h.call(method, path, { token: tokens[role], body: '{bad' }), 403, 'FORBIDDEN');
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it.each([...roles, 'storedAdmin' as const])('a %s token is let through', async (role) => {
    const { h, tokens } = await world();
    const response = await h.call(method, path, { token: tokens[role], body });
    expect([401, 403]).not.toContain(response.status);
    expect(response.status).toBeLessThan(500);
  });
});

describe('authentication before routing', () => {
  it('answers 401 for an unknown /v1 path without a token, 404 with one', async () => {
    const { h } = await world();
    await expectError(await h.call('GET', '/v1/secret-admin-thing', { token: null }), 401, 'UNAUTHORIZED');
    await expectError(await h.call('GET', '/v1/secret-admin-thing'), 404, 'NOT_FOUND');
    await expectError(await h.call('POST', '/v1/weights', { body: {} }), 404, 'NOT_FOUND');
  });

  it('leaves /healthz, /openapi.json and /docs open', async () => {
    const { h } = await world();
    expect((await h.call('GET', '/healthz', { token: null })).status).toBe(200);
    expect((await h.call('GET', '/openapi.json', { token: null })).status).toBe(200);
    expect((await h.call('GET', '/docs', { token: null })).status).toBe(200);
  });
});
