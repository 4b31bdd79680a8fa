import { z } from 'zod';
import { NodeIdSchema, SessionIdSchema } from './ids';
import { queryInteger } from './input';

/** How many placements the log keeps; the housekeeping sweep trims the rest. */
export const placementLogSize = 10_000;

export const SkipReasonSchema = z.enum(['down', 'ejected', 'draining', 'disabled', 'full', 'cpu', 'weight0']);

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
  .meta({ id: 'Placement' });

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

export const PreviewSchema = z.object({ nodeIds: z.array(NodeIdSchema) });
