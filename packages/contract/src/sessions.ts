import { z } from 'zod';
import { NodeIdSchema, SessionIdSchema } from './ids';
import { nextCursor } from './paging';

/** Where a session (a media room) lives. */
export const AssignmentSchema = z
  .object({
    sessionId: SessionIdSchema,
    nodeId: NodeIdSchema,
    kmsUri: z.string(),
    assignedAt: z.string(),
    reassigned: z.boolean(),
  })
  .meta({ id: 'Assignment' });

export const AssignBodySchema = z
  .strictObject({
    sessionId: SessionIdSchema,
    nodeId: NodeIdSchema.optional().meta({
      description: 'Force the node for a new session (operator’s choice; does not move the round robin).',
    }),
  })
  .meta({ id: 'AssignSession' });

export const SessionIdParamsSchema = z.object({
  sessionId: SessionIdSchema.meta({ param: { name: 'sessionId', in: 'path' } }),
});

export const RenameBodySchema = z.strictObject({ to: SessionIdSchema }).meta({ id: 'RenameSession' });

export const SessionPageSchema = z.object({ sessions: z.array(AssignmentSchema), nextCursor });
