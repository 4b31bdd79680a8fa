import { z } from '@hono/zod-openapi';
import { queryInteger, text } from './input';

/** Shapes shared by several routes. Limits are explicit so that huge values are a 400, not a surprise. */

/**
 * An id that travels in a URL path segment (`/v1/nodes/{id}`): 1..`max` characters of `chars` (plain URL
 * characters, never percent-encoded), except `.` and `..`, which every URL parser resolves as "this folder" and
 * "the parent folder", so that a node or session named so could be created but never read, released or deleted.
 */
function pathSegmentId(chars: string, shown: string, max: number) {
  return text().regex(
    new RegExp(`^(?!\\.{1,2}$)[${chars}]{1,${max}}$`),
    `must be 1..${max} characters of ${shown}, and not . or .. (a URL path cannot name them)`,
  );
}

export const NodeId = pathSegmentId('A-Za-z0-9._-', 'A-Z a-z 0-9 . _ -', 64).openapi({ example: 'kms-1' });

export const SessionId = pathSegmentId('A-Za-z0-9._:~-', 'A-Z a-z 0-9 . _ : ~ -', 128).openapi({
  example: 'room-42',
});

export const Weight = z.number().int().min(0).max(10_000).openapi({ example: 5 });
export const MaxSessions = z.number().int().min(1).max(1_000_000_000).nullable();
export const Region = text().min(1).max(64);
export const Labels = z
  .record(text().min(1).max(128), text().max(1024))
  .refine((labels) => Object.keys(labels).length <= 64, 'at most 64 labels');
export const NodeStateSchema = z.enum(['active', 'draining', 'disabled']);

export const KmsUri = text()
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

/** What an agent reports of its KMS; unknown fields are refused here too, as in every request body. */
export const KmsReportSchema = z
  .strictObject({
    version: text().max(64),
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
  .strictObject({ version: text().max(64), startedAt: z.iso.datetime() })
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
    // A union, not .nullable(): that would make the shared components themselves nullable, and so document
    // `"kms": null` as a valid heartbeat, which the server refuses.
    kms: z.union([KmsReportSchema, z.null()]),
    agent: z.union([AgentInfoSchema, z.null()]),
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
  limit: queryInteger(1, 1000, 100).openapi({ param: { name: 'limit', in: 'query' }, example: 100 }),
  cursor: text()
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
