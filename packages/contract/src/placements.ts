import { z } from 'zod';
import { NodeIdSchema, SessionIdSchema } from './ids';
import { queryInteger } from './input';

/** How many placements the log keeps; the housekeeping sweep trims the rest. */
export const placementLogSize = 10_000;

/** Why a node took no part in a pick, in the order the rules are checked: what an operator fixes first. */
export const skipReasons = ['disabled', 'draining', 'weight0', 'down', 'ejected', 'full', 'cpu'] as const;

export const SkipReasonSchema = z.enum(skipReasons);

export const PlacementDecisionSchema = z
  .object({
    eligible: z.array(
      z.object({
        id: NodeIdSchema,
        weight: z.number().int(),
        effectiveWeight: z.number().int(),
        current: z.number().int(),
      }),
    ),
    skipped: z.array(z.object({ id: NodeIdSchema, why: SkipReasonSchema })),
  })
  .meta({
    id: 'PlacementDecision',
    description:
      'The nodes that took part in the pick (weight, effective weight under slow start, SWRR current before the ' +
      'pick) and those skipped, with why. Null for a forced placement.',
  });

export const PlacementSchema = z
  .object({
    sessionId: SessionIdSchema,
    nodeId: NodeIdSchema,
    outcome: z.enum(['new', 'reassigned', 'forced']),
    at: z.string(),
    // A union, not .nullable(), which would make the shared component itself nullable in the document.
    decision: z.union([PlacementDecisionSchema, z.null()]),
  })
  .meta({
    id: 'Placement',
    description: '`decision` is null for a forced placement: the operator chose the node, not the scheduler.',
  });

export const PlacementQuerySchema = z.object({
  limit: queryInteger(1, placementLogSize, 100).meta({
    param: { name: 'limit', in: 'query' },
    example: 100,
  }),
});

export const PlacementListSchema = z.object({ placements: z.array(PlacementSchema) });

export const PreviewQuerySchema = z.object({
  count: queryInteger(1, 1000, 10).meta({ param: { name: 'count', in: 'query' }, example: 10 }),
});

/** The next picks, and what the next placement would record, as the fleet stands now. */
export const PreviewSchema = z.object({ nodeIds: z.array(NodeIdSchema), decision: PlacementDecisionSchema });

const ms = (description: string) => z.number().int().meta({ description });

/** The placement policy a control plane runs with (GET /v1/placement-policy): read-only, set at start. */
export const PlacementPolicySchema = z
  .object({
    ejectionMs: ms('FLEET_EJECTION_MS: how long the first ejection after a failure report lasts.'),
    maxEjectionMs: ms(
      'The longest ejection: each further one within `ejectionMemoryMs` doubles, up to this.',
    ),
    ejectionMemoryMs: ms('Ejections this close together count as one run, each twice as long as the last.'),
    maxEjectedPercent: z
      .number()
      .int()
      .meta({
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
      .meta({
        description:
          'FLEET_MAX_CPU_PERCENT: nodes whose last report has `usedCpuPercent / cpuCount` at or above it are ' +
          'skipped for new sessions while another eligible node is below; 100: off.',
      }),
  })
  .meta({ id: 'PlacementPolicy' });
