import {
  errorResponse,
  type Json,
  type JsonObject,
  type RpcError,
  type RpcId,
  responseSessionId,
  stringifySorted,
  successResponse,
} from '@kurento-fleet/kurento-protocol';
import type { Logger } from '@kurento-fleet/log';
import type { GatewayFleet } from './fleet';
import type { FleetWrites } from './fleet-writes';
import type { GatewayMetrics } from './metrics';
import type { NodeRegistry } from './nodes';
import type { RouteTable } from './routes';
import type { ClientLink, SessionRegistry, VirtualSession } from './sessions';
import type { Reply } from './wire';

/** Settings of the request handling. */
export interface CoreSettings {
  gatewayId: string;
  /**
   * Starts this run's temporary placement keys: `kurento-fleet-gateway~<gateway id>~<boot id>~`. A restarted
   * gateway releases the keys of its earlier runs (a placement it never renamed).
   */
  temporaryKeyPrefix: string;
  /** What `connect` answers as serverId: stable per gateway id, as sessions survive its restarts. */
  serverId: string;
  /** How many nodes a new pipeline may be placed on before the gateway gives up (unreachable ones). */
  placementAttempts: number;
}

/** A request being served: where it came from, its id, and the virtual session it runs in. */
export interface Call {
  client: ClientLink;
  /** undefined for a notification: it is served, and nothing is answered. */
  id: RpcId | undefined;
  method: string;
  params: JsonObject;
  session: VirtualSession;
  /** performance.now() when its frame arrived. */
  started: number;
}

/** What an answer needs of its request: the session is absent for ping and connect, which may make none. */
export type Answerable = Pick<Call, 'client' | 'id' | 'method' | 'started'> & { session?: VirtualSession };

/** An answer: a KMS reply to relay, a result, or an error. */
export type Answer = { reply: Reply } | { result: Json } | { error: RpcError };

/** Everything the request handlers share. */
export interface Core {
  readonly settings: CoreSettings;
  readonly fleet: GatewayFleet;
  /** Releases and registrations that must reach the fleet even when the control plane is away for a while. */
  readonly writes: FleetWrites;
  readonly nodes: NodeRegistry;
  readonly routes: RouteTable;
  readonly sessions: SessionRegistry;
  readonly metrics: GatewayMetrics;
  readonly log: Logger;
  /** Sessions being looked for on the KMS (a `connect` after a restart), so that two lookups make one. */
  readonly restoring: Map<string, Promise<VirtualSession | undefined>>;
}

/**
 * Sends an answer to the socket the request came on, or, when that socket closed meanwhile, keeps it in the
 * session's buffer (a client that resumes the session with `connect` gets it). Like the KMS transport, a
 * success carrying a sessionId then links that session to the socket, which flushes what was buffered for it.
 */
export function answer(core: Core, call: Answerable, out: Answer): void {
  let text: string;
  let ok: boolean;
  let linkTo: VirtualSession | undefined;
  if ('reply' in out) {
    ok = out.reply.ok;
    text = out.reply.withId(call.id ?? null);
    // Every relayed request carried the session's id, so a KMS success carries it back.
    if (ok) linkTo = call.session;
  } else if ('result' in out) {
    ok = true;
    const response = successResponse(call.id ?? null, out.result);
    text = stringifySorted(response);
    const sessionId = responseSessionId(response);
    if (sessionId !== undefined) linkTo = core.sessions.getOrCreate(sessionId);
  } else {
    ok = false;
    text = stringifySorted(errorResponse(call.id ?? null, out.error));
  }
  core.metrics.answered(call.method, ok, call.started);
  if (call.id === undefined) return;
  if (call.client.isOpen) {
    call.client.send(text);
    if (linkTo) core.sessions.link(call.client, linkTo);
  } else {
    call.session?.deliver(text);
  }
}
