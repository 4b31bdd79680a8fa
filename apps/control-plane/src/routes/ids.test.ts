import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHarness, expectError, runtime } from '../testing/harness';

/**
 * Node and session ids travel in URL path segments, which every URL parser normalises: `.` and `..` are
 * resolved away. An id the API accepts must be one it can address again.
 */

describe.each(['.', '..'])('the id %j', (id) => {
  it.each([
    ['POST /v1/nodes', 'POST', '/v1/nodes', { id, uri: 'ws://10.0.0.1:8888/kurento' }, 'id'],
    ['POST /v1/sessions', 'POST', '/v1/sessions', { sessionId: id }, 'sessionId'],
    ['a forced node', 'POST', '/v1/sessions', { sessionId: 's', nodeId: id }, 'nodeId'],
    ['PUT /v1/weights', 'PUT', '/v1/weights', { weights: { [id]: 2 } }, 'weights'],
    [
      'heartbeat sessionIds',
      'POST',
      '/v1/nodes/a/heartbeat',
      { connected: true, sessionIds: [id] },
      'sessionIds',
    ],
  ])('is refused by %s (400 naming the field, nothing changed)', async (_, method, path, body, field) => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    const before = await h.snapshot();
    await expectError(await h.call(method, path, { body }), 400, 'BAD_REQUEST', field);
    expect(await h.snapshot()).toEqual(before);
  });
});

/** Ids made mostly of dots, where the URL rules bite, with the other allowed characters mixed in. */
const dotty = (extra: string[]) =>
  fc
    .array(fc.constantFrom('.', '.', '.', 'a', '-', '_', ...extra), { minLength: 1, maxLength: 5 })
    .map((chars) => chars.join(''));
const runs = runtime === 'workerd' ? 15 : 60;

describe('every id the API accepts can be addressed by URL', () => {
  it('node ids: created → read and deleted at /v1/nodes/{id}; else refused', async () => {
    const h = await createHarness();
    let port = 9000;
    await fc.assert(
      fc.asyncProperty(dotty([]), async (id) => {
        const created = await h.json('POST', '/v1/nodes', { body: { id, uri: `ws://h:${port++}/kurento` } });
        if (created.status === 400) {
          expect(id).toMatch(/^\.{1,2}$/);
          return;
        }
        expect(created.status).toBe(201);
        const read = await h.json('GET', `/v1/nodes/${id}`);
        expect(read.status).toBe(200);
        expect(read.body.id).toBe(id);
        expect((await h.call('DELETE', `/v1/nodes/${id}`)).status).toBe(204);
      }),
      { numRuns: runs },
    );
  });

  it('session ids: placed → read and released at /v1/sessions/{sessionId}; else refused', async () => {
    const h = await createHarness();
    await h.addUpNodes({ a: 1 });
    await fc.assert(
      fc.asyncProperty(dotty([':', '~']), async (sessionId) => {
        const placed = await h.json('POST', '/v1/sessions', { body: { sessionId } });
        if (placed.status === 400) {
          expect(sessionId).toMatch(/^\.{1,2}$/);
          return;
        }
        expect(placed.status).toBe(201);
        const read = await h.json('GET', `/v1/sessions/${sessionId}`);
        expect(read.status).toBe(200);
        expect(read.body.sessionId).toBe(sessionId);
        expect((await h.call('DELETE', `/v1/sessions/${sessionId}`)).status).toBe(204);
      }),
      { numRuns: runs },
    );
  });
});
