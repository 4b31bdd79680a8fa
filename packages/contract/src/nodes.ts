import { z } from 'zod';
import { AgentInfoSchema, KmsReportSchema } from './heartbeats';
import { NodeIdSchema } from './ids';
import { text } from './input';

/** Shapes of nodes (one KMS each). Limits are explicit so that huge values are a 400, not a surprise. */

export const NodeStateSchema = z.enum(['active', 'draining', 'disabled']);
export const NodeHealthSchema = z.enum(['up', 'down', 'unknown']);

export const WeightSchema = z.number().int().min(0).max(10_000).meta({ example: 5 });
const MaxSessions = z.number().int().min(1).max(1_000_000_000).nullable();
const Region = text().min(1).max(64);
const Labels = z
  .record(text().min(1).max(128), text().max(1024))
  .refine((labels) => Object.keys(labels).length <= 64, 'at most 64 labels');

export const KmsUriSchema = text()
  .max(2048)
  .refine((uri) => {
    try {
      const url = new URL(uri);
      return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a ws:// or wss:// URL')
  .meta({ example: 'ws://10.0.0.11:8888/kurento' });

export const NodeSchema = z
  .object({
    id: NodeIdSchema,
    uri: z.string(),
    weight: z.number().int(),
    state: NodeStateSchema,
    health: NodeHealthSchema,
    lastHeartbeatAt: z.string().nullable(),
    ejectedUntil: z.string().nullable().meta({
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
  .meta({ id: 'Node' });

export const NodeListSchema = z.object({ nodes: z.array(NodeSchema) });

export const NodeIdParamsSchema = z.object({
  id: NodeIdSchema.meta({ param: { name: 'id', in: 'path' } }),
});

export const CreateNodeBodySchema = z
  .strictObject({
    id: NodeIdSchema.optional(),
    uri: KmsUriSchema,
    weight: WeightSchema.optional(),
    maxSessions: MaxSessions.optional(),
    region: Region.optional(),
    labels: Labels.optional(),
  })
  .meta({ id: 'CreateNode' });

export const CreatedNodeSchema = z.object({ node: NodeSchema, agentToken: z.string() });

export const UpdateNodeBodySchema = z
  .strictObject({
    weight: WeightSchema.optional(),
    maxSessions: MaxSessions.optional(),
    region: Region.nullable().optional(),
    labels: Labels.optional(),
    state: NodeStateSchema.optional(),
  })
  .meta({ id: 'UpdateNode' });

export const DeleteNodeQuerySchema = z.object({
  force: z
    .enum(['true', 'false'])
    .optional()
    .meta({ param: { name: 'force', in: 'query' }, description: 'Release the node’s sessions too.' }),
});

export const SetWeightsBodySchema = z
  .strictObject({
    weights: z
      .record(NodeIdSchema, WeightSchema)
      .refine((weights) => Object.keys(weights).length <= 10_000, 'at most 10000 nodes'),
  })
  .meta({ id: 'SetWeights' });

export const AgentTokenSchema = z.object({ agentToken: z.string() });

/** Where one KMS is, for a gateway or an application that keeps a connection per KMS (GET /v1/topology). */
export const TopologyNodeSchema = NodeSchema.pick({
  id: true,
  uri: true,
  state: true,
  health: true,
  ejectedUntil: true,
}).meta({ id: 'TopologyNode' });

export const TopologySchema = z.object({ nodes: z.array(TopologyNodeSchema) });

/** An application could not reach a node's KMS (POST /v1/nodes/{id}/failures). */
export const FailureReportBodySchema = z
  .strictObject({ reason: text().min(1).max(200).meta({ example: 'connect ECONNREFUSED' }) })
  .meta({ id: 'FailureReport' });

export const FailureOutcomeSchema = z
  .object({ nodeId: NodeIdSchema, ejectedUntil: z.string().nullable() })
  .meta({ id: 'FailureOutcome' });
