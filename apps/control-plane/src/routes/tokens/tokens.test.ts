import { describe, expect, it } from 'vitest';
import { createHarness, expectError } from '../../testing/harness';

describe('tokens', () => {
  it('creates, lists (without secrets) and revokes admin and app tokens', async () => {
    const h = await createHarness();
    const app = await h.json('POST', '/v1/tokens', { body: { role: 'app', name: 'openvidu-1' } });
    expect(app.status).toBe(201);
    expect(app.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      role: 'app',
      name: 'openvidu-1',
      token: expect.any(String),
    });
    const admin = await h.json('POST', '/v1/tokens', { body: { role: 'admin' } });
    expect(admin.body).toMatchObject({ role: 'admin', name: null });

    const list = await h.json('GET', '/v1/tokens');
    expect(list.body.tokens).toEqual([
      { id: app.body.id, role: 'app', name: 'openvidu-1', createdAt: new Date(h.clock.ms).toISOString() },
      { id: admin.body.id, role: 'admin', name: null, createdAt: new Date(h.clock.ms).toISOString() },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(app.body.token);

    // The new tokens work for their role ...
    expect((await h.call('GET', '/v1/sessions', { token: app.body.token })).status).toBe(200);
    expect((await h.call('GET', '/v1/nodes', { token: admin.body.token })).status).toBe(200);
    // ... and stop at once when revoked.
    expect((await h.call('DELETE', `/v1/tokens/${app.body.id}`)).status).toBe(204);
    await expectError(await h.call('GET', '/v1/sessions', { token: app.body.token }), 401, 'UNAUTHORIZED');
  });

  it('stores only a hash of each secret', async () => {
    const h = await createHarness();
    const { body } = await h.json('POST', '/v1/tokens', { body: { role: 'app' } });
    const { agentToken } = await h.addNode('a');
    const dump = JSON.stringify(await h.snapshot());
    expect(dump).not.toContain(body.token);
    expect(dump).not.toContain(agentToken.slice(20));
  });

  it.each([
    [{ role: 'agent' }, 'role'],
    [{ role: 'root' }, 'role'],
    [{}, 'role'],
    [{ role: 'app', name: '' }, 'name'],
    [{ role: 'app', name: 'x'.repeat(129) }, 'name'],
    [{ role: 'app', scope: 'all' }, 'scope'],
    ['{', 'JSON'],
  ])('POST %j → 400, nothing created', async (body, field) => {
    const h = await createHarness();
    const before = await h.snapshot();
    await expectError(await h.call('POST', '/v1/tokens', { body }), 400, 'BAD_REQUEST', field);
    expect(await h.snapshot()).toEqual(before);
  });

  it('DELETE of an unknown id is 404, of a malformed id 400, of an agent token 404', async () => {
    const h = await createHarness();
    await h.addNode('a');
    const agentTokenId = ((await h.snapshot()) as { tokens: { id: string }[] }).tokens[0]!.id;
    await expectError(await h.call('DELETE', '/v1/tokens/0123456789abcdef'), 404, 'NOT_FOUND');
    await expectError(await h.call('DELETE', '/v1/tokens/nope'), 400, 'BAD_REQUEST', 'id');
    await expectError(await h.call('DELETE', `/v1/tokens/${agentTokenId}`), 404, 'NOT_FOUND');
  });
});
