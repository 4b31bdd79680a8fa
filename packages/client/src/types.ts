/** The shapes of the kurento-fleet HTTP API v1, as the control plane sends and takes them. */

/** `active`: eligible; `draining`: keeps its sessions, gets no new ones; `disabled`: gets nothing. */
export type NodeState = 'active' | 'draining' | 'disabled';

/** From agent heartbeats; `unknown` until the first one. */
export type NodeHealth = 'up' | 'down' | 'unknown';

/** The last figures an agent reported for its KMS. */
export interface KmsReport {
  version: string;
  cpuCount: number;
  usedCpuPercent: number;
  usedMemoryKiB: number;
  pipelines: number;
  /** When the KMS process started, if the agent knows. */
  startedAt?: string;
}

export interface AgentInfo {
  version: string;
  startedAt: string;
}

/** One Kurento Media Server of the fleet. */
export interface FleetNode {
  id: string;
  uri: string;
  weight: number;
  state: NodeState;
  health: NodeHealth;
  lastHeartbeatAt: string | null;
  /** Out of rotation until then, after an application reported it unreachable; null when not ejected. */
  ejectedUntil: string | null;
  kms: KmsReport | null;
  agent?: AgentInfo | null;
  activeSessions: number;
  maxSessions: number | null;
  region: string | null;
  labels: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** Where a session (a media room) lives. */
export interface Assignment {
  sessionId: string;
  nodeId: string;
  kmsUri: string;
  assignedAt: string;
  /** True when this call moved the session off a node that went down or was disabled: rebuild its media. */
  reassigned: boolean;
}

/** The body of `POST /v1/nodes`. */
export interface CreateNodeInput {
  /** 1..64 characters of `[A-Za-z0-9._-]`; generated when left out. */
  id?: string;
  /** `ws://host:8888/kurento` or `wss://…`. */
  uri: string;
  /** 0..10000, default 1; 0 means never picked. */
  weight?: number;
  /** null or left out: unlimited. */
  maxSessions?: number | null;
  region?: string;
  labels?: Record<string, string>;
}

/** The body of `PATCH /v1/nodes/{id}`: only the fields given change. */
export interface UpdateNodeInput {
  weight?: number;
  /** null: unlimited. */
  maxSessions?: number | null;
  /** null: clears it. */
  region?: string | null;
  /** Replaces the whole map. */
  labels?: Record<string, string>;
  state?: NodeState;
}

export interface CreatedNode {
  node: FleetNode;
  /** The node's agent token, shown this once. */
  agentToken: string;
}

export type TokenRole = 'admin' | 'app';

export interface TokenInfo {
  id: string;
  role: TokenRole;
  name: string | null;
  createdAt: string;
}

export interface CreatedToken {
  id: string;
  role: TokenRole;
  name: string | null;
  /** The secret, shown this once. */
  token: string;
}

/** A health transition of a node. */
export type EventType =
  | 'node.up'
  | 'node.down'
  | 'node.restarted'
  | 'node.ejected'
  | 'node.drained'
  | 'session.placed'
  | 'session.moved'
  | 'session.renamed'
  | 'session.released';

/** A change in the fleet, from GET /v1/events; `id` increases with every event. */
export interface FleetEvent {
  id: string;
  type: EventType;
  at: string;
  nodeId: string | null;
  sessionId: string | null;
  /** `reason`; `sessions` (node.down); `ejectedUntil`, `why` (node.ejected); `from`, `to` (moves, renames)… */
  data: Record<string, unknown>;
}

/** A new, moved or forced placement (sticky answers are not placements). */
export interface Placement {
  sessionId: string;
  nodeId: string;
  outcome: 'new' | 'reassigned' | 'forced';
  at: string;
  /** Why the pick went there; null for a forced placement. */
  decision: PlacementDecision | null;
}

/** The nodes that took part in a pick (with their SWRR state before it) and those skipped, with why. */
export interface PlacementDecision {
  eligible: { id: string; weight: number; effectiveWeight: number; current: number }[];
  skipped: { id: string; why: 'down' | 'ejected' | 'draining' | 'disabled' | 'full' | 'cpu' | 'weight0' }[];
}

/** Where one KMS is, and whether it is in rotation: what GET /v1/topology lists. */
export interface TopologyNode {
  id: string;
  uri: string;
  state: NodeState;
  health: NodeHealth;
  ejectedUntil: string | null;
}

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page {
  nextCursor: string | null;
}

export interface SessionPage extends Page {
  sessions: Assignment[];
}

export interface EventPage extends Page {
  events: FleetEvent[];
}

/** Events newest first (with `cursor` for older ones), or, with `after`, oldest first after that id. */
export interface EventQuery extends PageQuery {
  after?: number;
  types?: EventType[];
}

/** A URL the control plane POSTs the events to, signed (never its secret, which only creation shows). */
export interface Webhook {
  id: string;
  url: string;
  /** The event types it gets; null: every type, those added later too. */
  types: EventType[] | null;
  description: string | null;
  createdAt: string;
  /** Where its delivery stands: the last event behind it, failed attempts in a row, the end of the backoff. */
  delivery: { afterEventId: string; failures: number; retryAt: string | null };
}

export interface CreateWebhookInput {
  /** http:// or https://; the events are POSTed there. */
  url: string;
  /** Only these event types; all of them when left out. */
  types?: EventType[];
  description?: string;
}

/** A new webhook and the secret its deliveries are signed with: shown this once. */
export interface CreatedWebhook {
  webhook: Webhook;
  secret: string;
}

/** One event of a webhook's delivery log. */
export interface WebhookDelivery {
  eventId: string;
  type: EventType;
  status: 'delivered' | 'retrying' | 'failed';
  /** 0 for an event failed without an attempt (held behind a failed one past its own retry window). */
  attempts: number;
  /** The last attempt's HTTP status; null when no answer came. */
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  updatedAt: string;
}

/** Narrows a paged list to one node; `limit` is 1..1000 (the server's default is 100). */
export interface PageQuery {
  nodeId?: string;
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}
