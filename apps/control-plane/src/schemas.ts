import { z } from '@hono/zod-openapi';

/** Shapes shared by several routes. Limits are explicit so that huge values are a 400, not a surprise. */

export const NodeId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1..64 characters of A-Z a-z 0-9 . _ -')
  .openapi({ example: 'kms-1' });

export const SessionId = z
  .string()
  .regex(/^[A-Za-z0-9._:~-]{1,128}$/, 'must be 1..128 characters of A-Z a-z 0-9 . _ : ~ -')
  .openapi({ example: 'room-42' });

export const Weight = z.number().int().min(0).max(10_000).openapi({ example: 5 });
export const MaxSessions = z.number().int().min(1).max(1_000_000_000).nullable();
export const Region = z.string().min(1).max(64);
export const Labels = z
  .record(z.string().min(1).max(128), z.string().max(1024))
  .refine((labels) => Object.keys(labels).length <= 64, 'at most 64 labels');
export const NodeStateSchema = z.enum(['active', 'draining', 'disabled']);

export const KmsUri = z
  .string()
  .max(2048)
  .refine((uri) => {
    try {
      const url = new URL(uri);
      return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a ws:// or wss:// URL')
  .openapi({ example: 'ws://10.0.0.11:8888/kurento' });

export const KmsReportSchema = z
  .object({
    version: z.string().max(64),
    cpuCount: z.number().int().min(1).max(4096),
    usedCpuPercent: z.number().min(0).max(409_600),
    usedMemoryKiB: z
      .number()
      .int()
      .min(0)
      .max(2 ** 50),
    pipelines: z.number().int().min(0).max(1_000_000_000),
    startedAt: z.iso
      .datetime()
      .optional()
      .openapi({ description: 'When the KMS process started; a change is recorded as a restart.' }),
  })
  .openapi('KmsReport');

export const AgentInfoSchema = z
  .object({ version: z.string().max(64), startedAt: z.iso.datetime() })
  .openapi('AgentInfo');

export const NodeSchema = z
  .object({
    id: NodeId,
    uri: z.string(),
    weight: z.number().int(),
    state: NodeStateSchema,
    health: z.enum(['up', 'down', 'unknown']),
    lastHeartbeatAt: z.string().nullable(),
    ejectedUntil: z.string().nullable().openapi({
      description:
        'Out of rotation until then, after a failure an application reported; null when not ejected.',
    }),
    kms: KmsReportSchema.nullable(),
    agent: AgentInfoSchema.nullable(),
    activeSessions: z.number().int(),
    maxSessions: z.number().int().nullable(),
    region: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Node');

export const AssignmentSchema = z
  .object({
    sessionId: SessionId,
    nodeId: NodeId,
    kmsUri: z.string(),
    assignedAt: z.string(),
    reassigned: z.boolean(),
  })
  .openapi('Assignment');

/** The query of a paged list that can be narrowed to one node (sessions, events). */
export const PagedByNodeQuery = z.object({
  nodeId: NodeId.optional().openapi({ param: { name: 'nodeId', in: 'query' } }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 100 }),
  cursor: z
    .string()
    .max(64)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page' }),
});

export const NodeIdParams = z.object({ id: NodeId.openapi({ param: { name: 'id', in: 'path' } }) });

/** A JSON request body that must be present; unknown fields are refused so that a typo is not ignored. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

export const bearerAuth = [{ bearerAuth: [] }];
