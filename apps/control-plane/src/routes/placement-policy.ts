import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ejectionMemoryMs, maxEjectionFactor, policyOf } from '@kurento-fleet/db';
import { allow } from '../auth';
import type { AppEnv } from '../context';
import { apiRoute } from '../route';
import { bearerAuth, jsonResponse } from '../schemas';

const ms = (description: string) => z.number().int().openapi({ description });

const PlacementPolicySchema = z
  .object({
    ejectionMs: ms('FLEET_EJECTION_MS: how long the first ejection after a failure report lasts.'),
    maxEjectionMs: ms(
      'The longest ejection: each further one within `ejectionMemoryMs` doubles, up to this.',
    ),
    ejectionMemoryMs: ms('Ejections this close together count as one run, each twice as long as the last.'),
    maxEjectedPercent: z
      .number()
      .int()
      .openapi({
        description:
          'FLEET_MAX_EJECTED_PERCENT: a report never ejects a node when the ejected nodes would then hold more ' +
          'than this share of the fleet’s total weight.',
      }),
    slowStartMs: ms(
      'FLEET_SLOW_START_MS: a node that becomes up ramps its effective weight from a tenth of its weight to all ' +
        'of it over this long; 0: off.',
    ),
    maxCpuPercent: z
      .number()
      .int()
      .openapi({
        description:
          'FLEET_MAX_CPU_PERCENT: nodes whose last report has `usedCpuPercent / cpuCount` at or above it are ' +
          'skipped for new sessions while another eligible node is below; 100: off.',
      }),
  })
  .openapi('PlacementPolicy');

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
