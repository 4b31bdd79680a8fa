/**
 * @module @kurento-fleet/contract — the HTTP API's contract, once: the zod schemas of every request, response,
 * event and error. The control plane validates and documents its routes with them (its /openapi.json is
 * generated from them), and every client of the API (the SDK, the agent, the gateway, the CLI, the demo, the
 * dashboard) takes its types from here, inferred, never written again.
 */
import type { z } from 'zod';
import type { ErrorSchema } from './errors';
import type { EventPageSchema, EventQuerySchema, EventSchema } from './events';
import type { AgentInfoSchema, HeartbeatBodySchema, KmsReportSchema } from './heartbeats';
import type {
  CreatedNodeSchema,
  CreateNodeBodySchema,
  FailureOutcomeSchema,
  NodeHealthSchema,
  NodeListSchema,
  NodeSchema,
  NodeStateSchema,
  TopologyNodeSchema,
  UpdateNodeBodySchema,
} from './nodes';
import type { PagedByNodeQuerySchema } from './paging';
import type {
  PlacementDecisionSchema,
  PlacementListSchema,
  PlacementPolicySchema,
  PlacementSchema,
  PreviewSchema,
  SkipReasonSchema,
} from './placements';
import type { AssignmentSchema, SessionPageSchema } from './sessions';
import type { CreatedTokenSchema, TokenRoleSchema, TokenSchema } from './tokens';
import type {
  CreatedWebhookSchema,
  CreateWebhookBodySchema,
  DeliveryListSchema,
  WebhookDeliverySchema,
  WebhookListSchema,
  WebhookSchema,
} from './webhooks';

export * from './errors';
export * from './events';
export * from './heartbeats';
export * from './ids';
export * from './input';
export * from './nodes';
export * from './operations';
export * from './paging';
export * from './placements';
export * from './sessions';
export * from './tokens';
export * from './webhooks';

export type Node = z.infer<typeof NodeSchema>;
export type NodeList = z.infer<typeof NodeListSchema>;
export type NodeState = z.infer<typeof NodeStateSchema>;
export type NodeHealth = z.infer<typeof NodeHealthSchema>;
export type KmsReport = z.infer<typeof KmsReportSchema>;
export type AgentInfo = z.infer<typeof AgentInfoSchema>;
export type CreateNodeInput = z.input<typeof CreateNodeBodySchema>;
export type UpdateNodeInput = z.input<typeof UpdateNodeBodySchema>;
export type CreatedNode = z.infer<typeof CreatedNodeSchema>;
export type TopologyNode = z.infer<typeof TopologyNodeSchema>;
export type FailureOutcome = z.infer<typeof FailureOutcomeSchema>;
export type Heartbeat = z.infer<typeof HeartbeatBodySchema>;
export type Assignment = z.infer<typeof AssignmentSchema>;
export type SessionPage = z.infer<typeof SessionPageSchema>;
export type PageQuery = Partial<z.infer<typeof PagedByNodeQuerySchema>>;
export type FleetEvent = z.infer<typeof EventSchema>;
export type EventPage = z.infer<typeof EventPageSchema>;
export type EventQuery = Partial<z.infer<typeof EventQuerySchema>>;
export type Placement = z.infer<typeof PlacementSchema>;
export type PlacementDecision = z.infer<typeof PlacementDecisionSchema>;
export type SkipReason = z.infer<typeof SkipReasonSchema>;
export type PlacementPreview = z.infer<typeof PreviewSchema>;
export type PlacementList = z.infer<typeof PlacementListSchema>;
export type PlacementPolicyInfo = z.infer<typeof PlacementPolicySchema>;
export type TokenRole = z.infer<typeof TokenRoleSchema>;
export type TokenInfo = z.infer<typeof TokenSchema>;
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;
export type ErrorBody = z.infer<typeof ErrorSchema>;
export type Webhook = z.infer<typeof WebhookSchema>;
export type CreateWebhookInput = z.input<typeof CreateWebhookBodySchema>;
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
export type WebhookList = z.infer<typeof WebhookListSchema>;
export type DeliveryList = z.infer<typeof DeliveryListSchema>;
