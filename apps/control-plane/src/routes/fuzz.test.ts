import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adminToken, createHarness, runtime } from '../testing/harness';

/**
 * HTTP fuzzing of every endpoint: random methods, path parameters, bodies, content types and tokens. Whatever
 * comes in, the answer is never a 5xx, every 4xx has the error shape, and a 4xx changes nothing.
 */

const templates = [
  ['POST', '/v1/nodes'],
  ['GET', '/v1/nodes'],
  ['GET', '/v1/nodes/{id}'],
  ['PATCH', '/v1/nodes/{id}'],
  ['DELETE', '/v1/nodes/{id}'],
  ['POST', '/v1/nodes/{id}/agent-token'],
  ['POST', '/v1/nodes/{id}/heartbeat'],
  ['PUT', '/v1/weights'],
  ['POST', '/v1/sessions'],
  ['GET', '/v1/sessions'],
  ['GET', '/v1/sessions/{id}'],
  ['DELETE', '/v1/sessions/{id}'],
  ['POST', '/v1/tokens'],
  ['GET', '/v1/tokens'],
  ['DELETE', '/v1/tokens/{id}'],
  ['GET', '/v1/events'],
  ['GET', '/v1/placements'],
  ['POST', '/v1/webhooks'],
  ['GET', '/v1/webhooks'],
  ['DELETE', '/v1/webhooks/{id}'],
  ['GET', '/v1/webhooks/{id}/deliveries'],
] as const;

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('a', 'a/b', '..', '%00', '%', ' ', 'x'.repeat(300), '𝓀𝓂𝓈', 'null', '-1', '1e309'),
);
/** Values of every JSON type, and the field names the API knows, so that bodies get past the first checks. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  text,
  fc.constantFrom(0, -1, 1.5, 10_001, 2 ** 53, Number.MAX_VALUE, true, null, [], {}),
);
const known = [
  'id',
  'uri',
  'weight',
  'maxSessions',
  'region',
  'labels',
  'state',
  'sessionId',
  'nodeId',
  'connected',
  'kms',
  'agent',
  'sessionIds',
  'weights',
  'role',
  'name',
  'url',
  'types',
  'description',
];
const body = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom(...known), value, { maxKeys: 5 }).map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  text,
  fc.constantFrom('{', '{"sessionId":', '[]', 'null', '"x"', '{"weights":{"a":'),
);
const query = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(fc.constantFrom('limit', 'cursor', 'nodeId', 'force'), text, { maxKeys: 3 })
    .map((q) => `?${new URLSearchParams(q)}`),
);

function request(agentToken: string, appToken: string) {
  return fc
    .record({
      template: fc.constantFrom(...templates),
      method: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), { freq: 4 }),
      param: fc.oneof(fc.constantFrom('a', 'b', 's0'), text),
      query,
      body,
      contentType: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/json; charset=utf-8',
        undefined,
      ),
      token: fc.constantFrom(
        adminToken,
        appToken,
        agentToken,
        'garbage',
        `kf_0123456789abcdef_${'A'.repeat(43)}`,
        null,
      ),
    })
    .map((r) => {
      const method = r.method ?? r.template[0];
      const headers: Record<string, string> =
        r.contentType === undefined ? {} : { 'content-type': r.contentType };
      return {
        method,
        path: r.template[1].replace('{id}', encodeURIComponent(r.param)) + r.query,
        // Fetch refuses a body on GET, as every HTTP client does.
        options: { token: r.token, body: method === 'GET' ? undefined : r.body, headers },
      };
    });
}

describe('HTTP fuzzing', () => {
  it('never answers 5xx, and a 4xx has the error shape and changes nothing', async () => {
    const h = await createHarness();
    const tokens = await h.addUpNodes({ a: 2, b: 1 });
    const appToken = await h.appToken();
    for (const sessionId of ['s0', 's1', 's2']) await h.call('POST', '/v1/sessions', { body: { sessionId } });
    await fc.assert(
      fc.asyncProperty(request(tokens.a!, appToken), async ({ method, path, options }) => {
        const before = await h.snapshot();
        const response = await h.call(method, path, options);
        expect(response.status, `${method} ${path}`).toBeLessThan(500);
        if (response.status >= 400) {
          const error = (await response.json()) as {
            error?: { code?: string; message?: string; requestId?: string };
          };
          expect(typeof error.error?.code, `${method} ${path}`).toBe('string');
          expect(error.error?.message).toBeTruthy();
          expect(error.error?.requestId).toBeTruthy();
          expect(await h.snapshot(), `${method} ${path} changed the store`).toEqual(before);
        }
      }),
      // The long form: FLEET_FUZZ_RUNS=20000 npx -y pnpm@10.34.8 exec vitest run --project node …/fuzz.test.ts
      { numRuns: Number(process.env.FLEET_FUZZ_RUNS ?? (runtime === 'workerd' ? 60 : 300)) },
    );
  }, 300_000);

  it('refuses a body over the limit with 413 and changes nothing', async () => {
    const h = await createHarness();
    const before = await h.snapshot();
    const response = await h.call('POST', '/v1/nodes', {
      body: JSON.stringify({ uri: 'ws://h:8888/kurento', region: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await h.snapshot()).toEqual(before);
  });
});
