import { describe, expect, it } from 'vitest';
import { createHarness, expectError } from '../../testing/harness';

describe('sessions — bad input changes nothing', () => {
  it.each([
    ['malformed JSON', '{"sessionId":', 'JSON'],
    ['no sessionId', {}, 'sessionId'],
    ['an empty sessionId', { sessionId: '' }, 'sessionId'],
    ['a numeric sessionId', { sessionId: 42 }, 'sessionId'],
    ['a sessionId with a space', { sessionId: 'room 1' }, 'sessionId'],
    ['a sessionId of 129 characters', { sessionId: 'r'.repeat(129) }, 'sessionId'],
    ['a nodeId of the wrong type', { sessionId: 'r', nodeId: 7 }, 'nodeId'],
    ['an unknown field', { sessionId: 'r', node: 'a' }, 'node'],
    ['null', null, 'body'],
  ])('POST with %s → 400 naming the field', async (_, body, field) => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    const before = await h.snapshot();
    await expectError(
      await h.call('POST', '/v1/sessions', { body: body === null ? 'null' : body }),
      400,
      'BAD_REQUEST',
      field,
    );
    expect(await h.snapshot()).toEqual(before);
  });

  it('forcing an unknown node is 404, a disabled node 409; neither records anything', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, off: 1 });
    await h.json('PATCH', '/v1/nodes/off', { body: { state: 'disabled' } });
    const before = await h.snapshot();
    await expectError(
      await h.call('POST', '/v1/sessions', { body: { sessionId: 'r', nodeId: 'ghost' } }),
      404,
      'NOT_FOUND',
      'ghost',
    );
    await expectError(
      await h.call('POST', '/v1/sessions', { body: { sessionId: 'r', nodeId: 'off' } }),
      409,
      'CONFLICT',
      'off',
    );
    expect(await h.snapshot()).toEqual(before);
  });

  it('GET and DELETE of an unknown session are 404', async () => {
    const h = await createHarness();
    await expectError(await h.call('GET', '/v1/sessions/ghost'), 404, 'NOT_FOUND', 'ghost');
    await expectError(await h.call('DELETE', '/v1/sessions/ghost'), 404, 'NOT_FOUND', 'ghost');
    await expectError(await h.call('GET', '/v1/sessions/bad%20id'), 400, 'BAD_REQUEST', 'sessionId');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1.5', 'limit'],
    ['cursor=garbage', 'cursor'],
    ['cursor=s1.zzzzzzzzzzzzzzzzzzzz', 'cursor'],
    [`nodeId=${'n'.repeat(65)}`, 'nodeId'],
  ])('GET /v1/sessions?%s → 400', async (query, field) => {
    const h = await createHarness();
    await expectError(await h.call('GET', `/v1/sessions?${query}`), 400, 'BAD_REQUEST', field);
  });
});

describe('GET /v1/sessions — listing', () => {
  it('pages oldest first with an opaque cursor, and filters by node', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 1 });
    for (let i = 0; i < 5; i++) await h.json('POST', '/v1/sessions', { body: { sessionId: `s${i}` } });
    const first = await h.json('GET', '/v1/sessions?limit=2');
    expect(first.body.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual(['s0', 's1']);
    const second = await h.json('GET', `/v1/sessions?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual(['s2', 's3']);
    const last = await h.json('GET', `/v1/sessions?limit=2&cursor=${second.body.nextCursor}`);
    expect(last.body).toMatchObject({ sessions: [{ sessionId: 's4' }], nextCursor: null });
    const onB = await h.json('GET', '/v1/sessions?nodeId=b');
    expect(onB.body.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual(['s1', 's3']);
    expect((await h.json('GET', '/v1/sessions?nodeId=ghost')).body).toEqual({
      sessions: [],
      nextCursor: null,
    });
    expect((await h.json('GET', '/v1/sessions')).body.sessions).toHaveLength(5);
  });
});
