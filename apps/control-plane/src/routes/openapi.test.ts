import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness';

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
        'GET /v1/placements',
        'GET /v1/placements/preview',
        'DELETE /v1/tokens/{id}',
        'GET /metrics',
      ].sort(),
    );
    for (const { key, op } of operations) {
      if (key === 'GET /healthz') continue;
      expect(op.security, key).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['401', '403']));
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
    expect(errors('/v1/sessions', 'post')).toEqual(['400', '401', '403', '404', '409', '413', '415', '503']);
    expect(errors('/v1/nodes/{id}', 'delete')).toEqual(['400', '401', '403', '404', '409']);
    expect(errors('/healthz', 'get')).toEqual(['503']);
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
