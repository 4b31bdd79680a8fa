import type { OpenAPIHono } from '@hono/zod-openapi';
import { PlacementPolicySchema } from '@kurento-fleet/contract';
import { ejectionMemoryMs, maxEjectionFactor, policyOf } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { apiRoute, bearerAuth, jsonResponse } from '../route';

const route = apiRoute({
  method: 'get',
  path: '/v1/placement-policy',
  operationId: 'getPlacementPolicy',
  tags: ['sessions'],
  summary: 'The placement policy this control plane runs with (admin)',
  description:
    'The settings of passive health (ejection), the CPU guard and slow start, as configured at start: what an ' +
    'operator needs to read a node’s CPU against the guard’s limit or a ramp against its length. Read-only; ' +
    'change them through the environment.',
  security: bearerAuth,
  middleware: [allow()] as const,
  responses: {
    200: jsonResponse(PlacementPolicySchema, 'The placement policy'),
  },
});

export function registerPlacementPolicy(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, (c) => {
    const policy = policyOf(c.get('db'));
    return c.json(
      {
        ejectionMs: policy.ejectionMs,
        maxEjectionMs: policy.ejectionMs * maxEjectionFactor,
        ejectionMemoryMs,
        maxEjectedPercent: policy.maxEjectedPercent,
        slowStartMs: policy.slowStartMs,
        maxCpuPercent: policy.maxCpuPercent,
      },
      200,
    );
  });
}
