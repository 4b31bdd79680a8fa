import { describe, expect, it } from 'vitest';
import { createHarness, expectError } from '../../testing/harness';

const validNode = { id: 'n1', uri: 'ws://10.0.0.1:8888/kurento', weight: 1 };

describe('POST /v1/nodes — bad input changes nothing', () => {
  it.each([
    ['malformed JSON', '{"uri": "ws://x', 'JSON'],
    ['an array', [], 'body'],
    ['no uri', { weight: 1 }, 'uri'],
    ['an http uri', { uri: 'http://10.0.0.1:8888/kurento' }, 'uri'],
    ['a uri that is no URL', { uri: 'ws://' }, 'uri'],
    ['a uri of the wrong type', { uri: 42 }, 'uri'],
    ['a weight as a string', { ...validNode, weight: '5' }, 'weight'],
    ['a negative weight', { ...validNode, weight: -1 }, 'weight'],
    ['a weight over 10000', { ...validNode, weight: 10_001 }, 'weight'],
    ['a fractional weight', { ...validNode, weight: 1.5 }, 'weight'],
    ['a huge weight', { ...validNode, weight: 1e308 }, 'weight'],
    ['maxSessions 0', { ...validNode, maxSessions: 0 }, 'maxSessions'],
    ['an id with a slash', { ...validNode, id: 'a/b' }, 'id'],
    ['an id of 65 characters', { ...validNode, id: 'x'.repeat(65) }, 'id'],
    ['labels with a number value', { ...validNode, labels: { a: 1 } }, 'labels'],
    ['a region of the wrong type', { ...validNode, region: ['eu'] }, 'region'],
    ['an unknown field', { ...validNode, wieght: 3 }, 'wieght'],
  ])('%s → 400 naming the field', async (_, body, field) => {
    const h = await createHarness();
    const before = await h.snapshot();
    await expectError(await h.call('POST', '/v1/nodes', { body }), 400, 'BAD_REQUEST', field);
    expect(await h.snapshot()).toEqual(before);
  });

  it('refuses a non-JSON content type with 415', async () => {
    const h = await createHarness();
    const response = await h.call('POST', '/v1/nodes', {
      body: JSON.stringify(validNode),
      headers: { 'content-type': 'text/plain' },
    });
    await expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE', 'application/json');
  });

  it('refuses a duplicate id or uri with 409', async () => {
    const h = await createHarness();
    await h.json('POST', '/v1/nodes', { body: validNode });
    const before = await h.snapshot();
    await expectError(
      await h.call('POST', '/v1/nodes', { body: { ...validNode, uri: 'ws://other:8888/kurento' } }),
      409,
      'CONFLICT',
      'id',
    );
    await expectError(
      await h.call('POST', '/v1/nodes', { body: { ...validNode, id: 'n2' } }),
      409,
      'CONFLICT',
      'uri',
    );
    expect(await h.snapshot()).toEqual(before);
  });
});

describe('node by id — bad input changes nothing', () => {
  it.each([
    ['GET', '/v1/nodes/nope', undefined],
    ['PATCH', '/v1/nodes/nope', { weight: 2 }],
    ['DELETE', '/v1/nodes/nope', undefined],
    ['POST', '/v1/nodes/nope/agent-token', undefined],
    ['POST', '/v1/nodes/nope/heartbeat', { connected: true }],
  ])('%s %s (unknown id) → 404', async (method, path, body) => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 2 });
    const before = await h.snapshot();
    await expectError(await h.call(method, path, { body }), 404, 'NOT_FOUND', 'nope');
    expect(await h.snapshot()).toEqual(before);
  });

  it.each([
    [{ weight: null }, 'weight'],
    [{ state: null }, 'state'],
    [{ state: 'paused' }, 'state'],
    [{ weight: 10_001 }, 'weight'],
    [{ maxSessions: -3 }, 'maxSessions'],
    [{ labels: null }, 'labels'],
    [{ uri: 'ws://new:8888/kurento' }, 'uri'],
    ['not json', 'JSON'],
  ])('PATCH %j → 400', async (body, field) => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    const before = await h.snapshot();
    await expectError(await h.call('PATCH', '/v1/nodes/a', { body }), 400, 'BAD_REQUEST', field);
    expect(await h.snapshot()).toEqual(before);
  });

  it('refuses to delete a node with sessions (409), and ?force=maybe (400)', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    await h.json('POST', '/v1/sessions', { body: { sessionId: 's' } });
    const before = await h.snapshot();
    await expectError(await h.call('DELETE', '/v1/nodes/a'), 409, 'CONFLICT', 'force');
    await expectError(await h.call('DELETE', '/v1/nodes/a?force=maybe'), 400, 'BAD_REQUEST', 'force');
    expect(await h.snapshot()).toEqual(before);
  });

  it('refuses a path id that cannot be a node id with 400', async () => {
    const h = await createHarness();
    await expectError(await h.call('GET', `/v1/nodes/${'x'.repeat(65)}`), 400, 'BAD_REQUEST', 'id');
  });
});

describe('PUT /v1/weights — all or nothing', () => {
  it.each([
    [{ weights: { a: 2, ghost: 3 } }, 404, 'NOT_FOUND', 'ghost'],
    [{ weights: { a: 2, b: -1 } }, 400, 'BAD_REQUEST', 'b'],
    [{ weights: { a: 2, b: '3' } }, 400, 'BAD_REQUEST', 'b'],
    [{ weights: [1, 2] }, 400, 'BAD_REQUEST', 'weights'],
    [{ weights: { a: 1 }, extra: true }, 400, 'BAD_REQUEST', 'extra'],
    [{}, 400, 'BAD_REQUEST', 'weights'],
  ])('%j → %i, no weight changed', async (body, status, code, mentions) => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1, b: 1 });
    await h.json('POST', '/v1/sessions', { body: { sessionId: 's' } }); // makes the SWRR state non-zero
    const before = await h.snapshot();
    await expectError(await h.call('PUT', '/v1/weights', { body }), status, code, mentions);
    expect(await h.snapshot()).toEqual(before);
  });
});

describe('POST /v1/nodes/{id}/heartbeat — bad input changes nothing', () => {
  it.each([
    [{}, 'connected'],
    [{ connected: 'yes' }, 'connected'],
    [{ connected: true, kms: { version: '7.3.0' } }, 'kms'],
    [
      {
        connected: true,
        kms: { version: '7', cpuCount: 0, usedCpuPercent: 1, usedMemoryKiB: 1, pipelines: 0 },
      },
      'cpuCount',
    ],
    [{ connected: true, sessionIds: ['bad id with spaces'] }, 'sessionIds'],
    [{ connected: true, agent: { version: '1', startedAt: 'yesterday' } }, 'startedAt'],
  ])('%j → 400', async (body, field) => {
    const h = await createHarness();
    const { agentToken } = await h.addNode('a');
    const before = await h.snapshot();
    await expectError(await h.heartbeat('a', agentToken, body), 400, 'BAD_REQUEST', field);
    expect(await h.snapshot()).toEqual(before);
  });
});
