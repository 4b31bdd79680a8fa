/**
 * The shapes of the kurento-fleet HTTP API v1, as the control plane sends and takes them: the contract's
 * (@kurento-fleet/contract, inferred from the zod schemas the server validates and documents with), under the
 * names this SDK has always exported. Nothing here is written by hand.
 */
export type {
  AgentInfo,
  Assignment,
  CreatedNode,
  CreatedToken,
  CreatedWebhook,
  CreateNodeInput,
  CreateWebhookInput,
  EventPage,
  EventQuery,
  EventType,
  FailureOutcome,
  FleetEvent,
  KmsReport,
  Node as FleetNode,
  NodeHealth,
  NodeState,
  PageQuery,
  Placement,
  PlacementDecision,
  PlacementPolicyInfo as PlacementPolicy,
  PlacementPreview,
  SessionPage,
  TokenInfo,
  TokenRole,
  TopologyNode,
  UpdateNodeInput,
  Webhook,
  WebhookDelivery,
} from '@kurento-fleet/contract';

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page {
  nextCursor: string | null;
}
