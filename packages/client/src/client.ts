import type { RetryOptions } from './retry';
import { followEvents, type StreamEventsOptions } from './stream';
import { type RequestSpec, send, type TransportConfig, transportConfig } from './transport';
import type {
  Assignment,
  CreatedNode,
  CreatedToken,
  CreatedWebhook,
  CreateNodeInput,
  CreateWebhookInput,
  EventPage,
  EventQuery,
  FailureOutcome,
  FleetEvent,
  FleetNode,
  PageQuery,
  Placement,
  PlacementPolicy,
  PlacementPreview,
  SessionPage,
  TokenInfo,
  TokenRole,
  TopologyNode,
  UpdateNodeInput,
  Webhook,
  WebhookDelivery,
} from './types';

/** Options of a {@link FleetClient}. */
export interface FleetClientOptions {
  /** The control plane's base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** A bearer token: an app token for the session calls, an admin token for everything. */
  token: string;
  /** The fetch to use; the global one by default. */
  fetch?: typeof fetch;
  /** Retries of 503s and network failures; `{ attempts: 1 }` turns them off. */
  retry?: RetryOptions;
  /** The deadline of one attempt, answer body included. Default 10 000 ms. */
  timeoutMs?: number;
}

/** The answer of {@link FleetClient.assignSession}. */
export interface AssignResult {
  assignment: Assignment;
  /** True on the session's first placement (HTTP 201); false when it already lived somewhere (200). */
  created: boolean;
}

/**
 * A typed client of the kurento-fleet HTTP API. Every method throws a {@link FleetApiError} subclass for an
 * error answer and a {@link FleetUnavailableError} when the control plane cannot be reached.
 */
export class FleetClient {
  private readonly config: TransportConfig;

  constructor(options: FleetClientOptions) {
    this.config = transportConfig(options);
  }

  /** The control plane's base URL, without a trailing slash. */
  get url(): string {
    return this.config.baseUrl;
  }

  /**
   * Places a session, or returns where it already lives. Call it for every participant: all get the same node.
   * `nodeId` forces the node of a new session. When the session's node went down or was disabled, it is moved
   * and `assignment.reassigned` is true. Throws NoNodeAvailableError when no node can take it (after retries).
   */
  async assignSession(sessionId: string, options: { nodeId?: string } = {}): Promise<AssignResult> {
    // Sticky placement makes the call idempotent: a retry after a lost answer returns the same node.
    const { status, body } = await this.call<Assignment>({
      method: 'POST',
      path: '/v1/sessions',
      body: { sessionId, ...(options.nodeId === undefined ? {} : { nodeId: options.nodeId }) },
      idempotent: true,
    });
    return { assignment: body, created: status === 201 };
  }

  /** Where a session lives; NotFoundError if it has no assignment. */
  async getSession(sessionId: string): Promise<Assignment> {
    return this.get<Assignment>(`/v1/sessions/${encode(sessionId)}`);
  }

  /** Releases a session, freeing its node's capacity; NotFoundError if it has no assignment. */
  async releaseSession(sessionId: string): Promise<void> {
    await this.delete(`/v1/sessions/${encode(sessionId)}`);
  }

  /** One page of live sessions, oldest first. */
  async listSessions(query: PageQuery = {}): Promise<SessionPage> {
    return this.get<SessionPage>('/v1/sessions', { ...query });
  }

  /** Every live session, oldest first, fetched page by page (`limit` is the page size). */
  async *iterateSessions(query: Omit<PageQuery, 'cursor'> = {}): AsyncGenerator<Assignment, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.listSessions({ ...query, cursor });
      yield* page.sessions;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  /**
   * Gives a session a new id, on the same node (no pick consumed); ConflictError when `to` exists. A KMS gateway
   * places a new pipeline under a temporary key, then names it by the pipeline's id.
   */
  async renameSession(sessionId: string, to: string): Promise<Assignment> {
    // Not idempotent: a retry after a lost answer would find the old id gone (NotFoundError).
    return (
      await this.call<Assignment>({
        method: 'POST',
        path: `/v1/sessions/${encode(sessionId)}/rename`,
        body: { to },
        idempotent: false,
      })
    ).body;
  }

  /** Where every KMS is (app and admin tokens): uri, state, health, ejection, ordered by id. */
  async topology(): Promise<TopologyNode[]> {
    return (await this.get<{ nodes: TopologyNode[] }>('/v1/topology')).nodes;
  }

  /**
   * Tells the fleet that this application cannot reach the node's KMS (app and admin tokens): the node is taken
   * out of rotation at once, its sessions move on their next assignSession. Returns until when (null: the
   * fleet kept it in, because ejecting it would take too much of the fleet out).
   */
  async reportFailure(nodeId: string, reason: string): Promise<FailureOutcome> {
    // Safe to repeat: a report on a node already ejected changes nothing.
    const { body } = await this.call<FailureOutcome>({
      method: 'POST',
      path: `/v1/nodes/${encode(nodeId)}/failures`,
      body: { reason: reason.slice(0, 200) || 'unreachable' },
      idempotent: true,
    });
    return body;
  }

  /**
   * The nodes the next `count` new sessions would get now, and the decision of the next pick, without placing
   * anything (admin).
   */
  async previewPlacements(count = 10): Promise<PlacementPreview> {
    return this.get<PlacementPreview>('/v1/placements/preview', { count });
  }

  /** The ejection, CPU guard and slow-start settings the control plane runs with (admin). */
  async placementPolicy(): Promise<PlacementPolicy> {
    return this.get<PlacementPolicy>('/v1/placement-policy');
  }

  /** Every node, ordered by id, with its health and last KMS report. */
  async listNodes(): Promise<FleetNode[]> {
    return (await this.get<{ nodes: FleetNode[] }>('/v1/nodes')).nodes;
  }

  async getNode(id: string): Promise<FleetNode> {
    return this.get<FleetNode>(`/v1/nodes/${encode(id)}`);
  }

  /** Registers a KMS. The answer holds the node's agent token, which is shown this once. */
  async createNode(input: CreateNodeInput): Promise<CreatedNode> {
    // Not idempotent: after a lost answer, a second try would meet its own node (409).
    return (
      await this.call<CreatedNode>({ method: 'POST', path: '/v1/nodes', body: input, idempotent: false })
    ).body;
  }

  /** Changes only the fields given; any weight written restarts the round-robin cycle. */
  async updateNode(id: string, patch: UpdateNodeInput): Promise<FleetNode> {
    const path = `/v1/nodes/${encode(id)}`;
    return (await this.call<FleetNode>({ method: 'PATCH', path, body: patch, idempotent: true })).body;
  }

  /** Removes a node; ConflictError while it holds sessions, unless `force` (which releases them). */
  async deleteNode(id: string, options: { force?: boolean } = {}): Promise<void> {
    await this.delete(`/v1/nodes/${encode(id)}`, options.force ? { force: 'true' } : {});
  }

  /** Sets several weights in one all-or-nothing call; returns every node after the change. */
  async setWeights(weights: Record<string, number>): Promise<FleetNode[]> {
    const { body } = await this.call<{ nodes: FleetNode[] }>({
      method: 'PUT',
      path: '/v1/weights',
      body: { weights },
      idempotent: true,
    });
    return body.nodes;
  }

  /** Gives a node a new agent token (returned, shown once); the old one stops working. */
  async rotateAgentToken(nodeId: string): Promise<string> {
    const path = `/v1/nodes/${encode(nodeId)}/agent-token`;
    return (await this.call<{ agentToken: string }>({ method: 'POST', path, idempotent: false })).body
      .agentToken;
  }

  /** Creates an admin or app token; its secret is in the answer, this once. */
  async createToken(input: { role: TokenRole; name?: string }): Promise<CreatedToken> {
    return (
      await this.call<CreatedToken>({ method: 'POST', path: '/v1/tokens', body: input, idempotent: false })
    ).body;
  }

  /** Every admin and app token (never their secrets). */
  async listTokens(): Promise<TokenInfo[]> {
    return (await this.get<{ tokens: TokenInfo[] }>('/v1/tokens')).tokens;
  }

  /** Revokes a token at once. */
  async deleteToken(id: string): Promise<void> {
    await this.delete(`/v1/tokens/${encode(id)}`);
  }

  /** One page of health transitions (up, down, restarted), newest first. */
  async listEvents(query: EventQuery = {}): Promise<EventPage> {
    const { types, ...rest } = query;
    return this.get<EventPage>('/v1/events', { ...rest, ...(types ? { types: types.join(',') } : {}) });
  }

  /**
   * The events as they happen (admin), from `after` (an event id) or from now on: an async iterator over
   * `GET /v1/events/stream` that reconnects by itself and resumes where it was, so none is missed. It ends when
   * `signal` aborts or the loop breaks; it throws for an answer retrying cannot fix (401, 403, 400).
   * `for await (const event of fleet.streamEvents({ types: ['node.down'] })) …`
   */
  streamEvents(options: StreamEventsOptions = {}): AsyncGenerator<FleetEvent, void, undefined> {
    return followEvents(this.config, options);
  }

  /**
   * Has every event (of `types`, or all) POSTed to `url`, signed, in order, at least once. The answer holds the
   * signing secret, shown this once: verify deliveries with {@link verifyWebhookSignature}.
   */
  async createWebhook(input: CreateWebhookInput): Promise<CreatedWebhook> {
    // Not idempotent: a retry after a lost answer would make a second webhook.
    return (
      await this.call<CreatedWebhook>({
        method: 'POST',
        path: '/v1/webhooks',
        body: input,
        idempotent: false,
      })
    ).body;
  }

  /** Every webhook, oldest first, with where its delivery stands. */
  async listWebhooks(): Promise<Webhook[]> {
    return (await this.get<{ webhooks: Webhook[] }>('/v1/webhooks')).webhooks;
  }

  /** Stops a webhook at once; NotFoundError if there is none with this id. */
  async deleteWebhook(id: string): Promise<void> {
    await this.delete(`/v1/webhooks/${encode(id)}`);
  }

  /** A webhook's delivery log, newest event first (`limit` 1..1000, default 100). */
  async listWebhookDeliveries(id: string, query: { limit?: number } = {}): Promise<WebhookDelivery[]> {
    const path = `/v1/webhooks/${encode(id)}/deliveries`;
    return (await this.get<{ deliveries: WebhookDelivery[] }>(path, { ...query })).deliveries;
  }

  /** The newest placements (new, moved or forced), newest first. */
  async listPlacements(query: { limit?: number } = {}): Promise<Placement[]> {
    return (await this.get<{ placements: Placement[] }>('/v1/placements', { ...query })).placements;
  }

  private async get<T>(path: string, query?: RequestSpec['query']): Promise<T> {
    return (await this.call<T>({ method: 'GET', path, query, idempotent: true })).body;
  }

  private async delete(path: string, query?: RequestSpec['query']): Promise<void> {
    await this.call<undefined>({ method: 'DELETE', path, query, idempotent: true });
  }

  private call<T>(spec: RequestSpec) {
    return send<T>(this.config, spec);
  }
}

function encode(id: string): string {
  return encodeURIComponent(id);
}
