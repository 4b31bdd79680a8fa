import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createHarness, expectError } from '../testing/harness';

const kms = {
  version: '7.3.0',
  cpuCount: 4,
  usedCpuPercent: 1,
  usedMemoryKiB: 1,
  pipelines: 0,
  startedAt: '2026-01-01T00:00:00.000Z',
};

describe('GET /openapi.json', () => {
  it('documents every route of the contract with its error responses and bearer security', async () => {
    const h = await createHarness();
    const { status, body } = await h.json('GET', '/openapi.json', { token: null });
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(body.paths as Record<string, Record<string, any>>).flatMap(
      ([path, item]) =>
        Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.map((o) => o.key).sort()).toEqual(
      [
        'GET /healthz',
        'POST /v1/nodes',
        'GET /v1/nodes',
        'GET /v1/nodes/{id}',
        'PATCH /v1/nodes/{id}',
        'DELETE /v1/nodes/{id}',
        'POST /v1/nodes/{id}/agent-token',
        'POST /v1/nodes/{id}/heartbeat',
        'POST /v1/nodes/{id}/failures',
        'GET /v1/topology',
        'POST /v1/sessions/{sessionId}/rename',
        'PUT /v1/weights',
        'POST /v1/sessions',
        'GET /v1/sessions',
        'GET /v1/sessions/{sessionId}',
        'DELETE /v1/sessions/{sessionId}',
        'POST /v1/tokens',
        'GET /v1/tokens',
        'GET /v1/events',
        'GET /v1/events/stream',
        'POST /v1/webhooks',
        'GET /v1/webhooks',
        'DELETE /v1/webhooks/{id}',
        'GET /v1/webhooks/{id}/deliveries',
        'GET /v1/placements',
        'GET /v1/placements/preview',
        'GET /v1/placement-policy',
        'DELETE /v1/tokens/{id}',
        'GET /metrics',
      ].sort(),
    );
    const operationIds = operations.map(({ op }) => op.operationId);
    expect(operationIds.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(operationIds).size).toBe(operationIds.length);
    for (const { key, op } of operations) {
      // Every route can refuse a body over the limit, be not ready (or its storage fail), or fail unexpectedly.
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['413', '500', '503']));
      if (key === 'GET /healthz') {
        expect(op.security, key).toEqual([]);
        continue;
      }
      expect(op.security, key).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['401', '403', '429']));
      expect(op.responses['429'].headers['Retry-After'], key).toBeDefined();
      expect(op.responses['401'].content['application/json'].schema.$ref, key).toBe(
        '#/components/schemas/Error',
      );
      // A route that reads a JSON body documents the refusals of any body: too large, not JSON.
      if (op.requestBody)
        expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['400', '413', '415']));
    }
    expect(body.components.securitySchemes.bearerAuth.description).toMatch(/admin.*app.*agent/);
  });

  it('documents every error response a route can give, with the one error shape', async () => {
    const h = await createHarness();
    const { body } = await h.json('GET', '/openapi.json', { token: null });
    const errors = (path: string, method: string) =>
      Object.keys(body.paths[path][method].responses).filter((status) => Number(status) >= 400);
    const authenticated = ['401', '403', '413', '429', '500', '503'];
    expect(errors('/v1/sessions', 'post')).toEqual([...authenticated, '400', '404', '409', '415'].sort());
    expect(errors('/v1/nodes/{id}', 'delete')).toEqual([...authenticated, '400', '404', '409'].sort());
    expect(errors('/v1/nodes', 'get')).toEqual(authenticated);
    expect(errors('/healthz', 'get')).toEqual(['413', '500', '503']);
    expect(body.paths['/healthz'].get.responses['503'].description).toMatch(/UNAVAILABLE.*migrations/);
    expect(body.paths['/v1/sessions'].post.responses['503'].description).toMatch(
      /NO_NODE_AVAILABLE.*UNAVAILABLE/,
    );
    for (const item of Object.values(body.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(item)) {
        for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
          if (Number(status) < 400) continue;
          expect(response.content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
          expect(response.description).not.toBe('Error');
        }
      }
    }
  });
});

describe('the documented request bodies agree with the server', () => {
  it.each([
    ['kms: null', { connected: true, kms: null }, 'kms'],
    ['agent: null', { connected: true, agent: null }, 'agent'],
    ['an unknown field', { connected: true, status: 'fine' }, 'status'],
    ['an unknown field of kms', { connected: true, kms: { ...kms, gpu: 1 } }, 'gpu'],
    [
      'an unknown field of agent',
      { connected: true, agent: { version: '1', startedAt: kms.startedAt, pid: 1 } },
      'pid',
    ],
  ])('a heartbeat with %s: refused by the schema and by the server', async (_, heartbeat, field) => {
    const h = await createHarness();
    const { a } = await h.addUpNodes({ a: 1 });
    const { body: doc } = await h.json('GET', '/openapi.json', { token: null });
    const ajv = new Ajv2020({ strict: true });
    ajv.addVocabulary(['example', 'components']);
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: doc.components });
    const validate = ajv.getSchema('openapi#/components/schemas/Heartbeat')!;
    expect(validate({ connected: true, kms })).toBe(true);
    expect(validate(heartbeat)).toBe(false);
    const before = await h.snapshot();
    await expectError(await h.heartbeat('a', a!, heartbeat), 400, 'BAD_REQUEST', field);
    expect(await h.snapshot()).toEqual(before);
  });
});
