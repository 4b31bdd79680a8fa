import { describe, expect, it } from 'vitest';
import { createHarness, expectError } from '../testing/harness';

// Tokens are cached once verified (auth-cache.ts): every way of revoking one must still take effect at once.
describe('a token used a moment ago', () => {
  it('stops at once when it is revoked', async () => {
    const h = await createHarness();
    const { body } = await h.json('POST', '/v1/tokens', { body: { role: 'app' } });
    expect((await h.call('GET', '/v1/sessions', { token: body.token })).status).toBe(200);
    expect((await h.call('DELETE', `/v1/tokens/${body.id}`)).status).toBe(204);
    await expectError(await h.call('GET', '/v1/sessions', { token: body.token }), 401, 'UNAUTHORIZED');
  });

  it('stops at once when its agent token is rotated', async () => {
    const h = await createHarness();
    const { a: old } = await h.addUpNodes({ a: 1 });
    expect((await h.heartbeat('a', old!)).status).toBeLessThan(300);
    const fresh = (await h.json('POST', '/v1/nodes/a/agent-token')).body.agentToken as string;
    await expectError(await h.heartbeat('a', old!), 401, 'UNAUTHORIZED');
    expect((await h.heartbeat('a', fresh)).status).toBeLessThan(300);
  });

  it('stops at once when its node is deleted', async () => {
    const h = await createHarness();
    const { a: agent } = await h.addUpNodes({ a: 1 });
    expect((await h.heartbeat('a', agent!)).status).toBeLessThan(300);
    expect((await h.call('DELETE', '/v1/nodes/a')).status).toBe(204);
    await expectError(await h.heartbeat('a', agent!), 401, 'UNAUTHORIZED');
  });
});
