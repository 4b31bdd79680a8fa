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
        'PUT /v1/weights',
        'POST /v1/sessions',
        'GET /v1/sessions',
        'GET /v1/sessions/{sessionId}',
        'DELETE /v1/sessions/{sessionId}',
        'POST /v1/tokens',
        'GET /v1/tokens',
        'GET /v1/events',
        'GET /v1/placements',
        'DELETE /v1/tokens/{id}',
      ].sort(),
    );
    for (const { key, op } of operations) {
      if (!key.includes('/v1/')) continue;
      expect(op.security, key).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['401', '403']));
      expect(op.responses['401'].content['application/json'].schema.$ref, key).toBe(
        '#/components/schemas/Error',
      );
    }
  });
});
