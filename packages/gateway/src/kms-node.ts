import type { NodeHealth, NodeState } from '@kurento-fleet/client';
import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { BackendSocket } from './backend-socket';
import { BackendLostError, NodeDownError } from './errors';
import { type Reply, SERVER_MANAGER } from './wire';

/**
 * The gateway's view of one KMS: `connecting` until the first attempt ends, `up` while its control connection
 * is open, `failing` for the grace after that connection dropped, then `down` until it comes back.
 */
export type NodeLinkState = 'connecting' | 'up' | 'failing' | 'down' | 'closed';

/** What a node tells the rest of the gateway. */
export interface NodeHooks {
  /** It became unreachable: its first connection failed, or a dropped one did not come back in the grace. */
  down(node: KmsNode): void;
  /** Its objects are gone: the KMS did not come back within the grace, or came back as a new process. */
  lost(node: KmsNode, why: 'failed' | 'restarted'): void;
  /**
   * The control connection is up (again), with the KMS's pipelines at that moment. `sameServer`: the same KMS
   * process as before a drop (false on the first connection and after a restart).
   */
  up(node: KmsNode, pipelines: string[], sameServer: boolean): void;
  /** ObjectCreated or ObjectDestroyed on the node's ServerManager: the object's id and the frame's text. */
  managerEvent(node: KmsNode, type: string, objectId: string, text: string): void;
}

/** Something the node keeps connected on its KMS (a virtual session's socket there). */
export interface NodeMember {
  /** The node is up again after a drop (same KMS process): reconnect. */
  resume(): void;
  /** The node is down, or came back as a new process: drop the socket and what waits on it. */
  abandon(): void;
}

/** Timings of a node link. */
export interface NodeTimings {
  connectTimeoutMs: number;
  /** How long a dropped KMS socket may take to come back before the node counts as failed. */
  graceMs: number;
  pingIntervalMs: number;
}

/**
 * One KMS of the fleet: a control connection (the gateway's own KMS session, subscribed to the ServerManager's
 * ObjectCreated and ObjectDestroyed) that tells whether the KMS is reachable and whether it is still the same
 * process, and the virtual sessions' sockets on it.
 */
export class KmsNode {
  readonly id: string;
  uri: string;
  /** The control plane's view, from the topology. */
  fleetState: NodeState = 'active';
  fleetHealth: NodeHealth = 'unknown';
  readonly members = new Set<NodeMember>();
  private linkState: NodeLinkState = 'connecting';
  private control: BackendSocket | undefined;
  private serverId: string | undefined;
  private readonly controlSession: string;
  private readonly hooks: NodeHooks;
  private readonly timings: NodeTimings;
  private waiters: Array<{ resolve(): void; reject(error: Error): void }> = [];
  private graceTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 0;
  private attempting = false;
  /** Settles when the last connection attempt ended (the one under way while `attempting`). */
  private attemptEnded: Promise<void> = Promise.resolve();

  constructor(id: string, uri: string, controlSession: string, hooks: NodeHooks, timings: NodeTimings) {
    this.id = id;
    this.uri = uri;
    this.controlSession = controlSession;
    this.hooks = guarded(hooks);
    this.timings = timings;
    void this.attempt();
  }

  get state(): NodeLinkState {
    return this.linkState;
  }

  private isClosed(): boolean {
    return this.linkState === 'closed';
  }

  /** Resolves while the node is up, waits through `connecting` and `failing`, rejects when it is down. */
  whenUsable(): Promise<void> {
    if (this.linkState === 'up') return Promise.resolve();
    if (this.linkState === 'down' || this.linkState === 'closed') {
      return Promise.reject(new NodeDownError(`node '${this.id}' is unreachable`));
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** A request in the gateway's own session (ServerManager aggregation). */
  controlRequest(method: string, params: JsonObject): Promise<Reply> {
    if (!this.control || this.linkState !== 'up') {
      return Promise.reject(new BackendLostError(`node '${this.id}' is not connected`));
    }
    return this.control.request(method, { ...params, sessionId: this.controlSession });
  }

  /**
   * A down node is tried again now rather than at the end of its back-off, and the promise settles when that
   * try ends: a placement that names it (the fleet saw the KMS come back before the gateway's next retry), or a
   * topology read where it is healthy again, need not wait up to the 5 s back-off or fail over for nothing.
   */
  retryNow(): Promise<void> {
    if (this.linkState !== 'down') return this.attempting ? this.attemptEnded : Promise.resolve();
    clearTimeout(this.retryTimer);
    return this.attempt();
  }

  /** A new address from the topology: reconnect there. */
  moveTo(uri: string): void {
    if (uri === this.uri) return;
    this.uri = uri;
    this.control?.close();
  }

  /** Stops for good (node removed from the fleet, or the gateway stopping). */
  close(): void {
    this.linkState = 'closed';
    clearTimeout(this.graceTimer);
    clearTimeout(this.retryTimer);
    this.control?.close();
    this.settleWaiters(new NodeDownError(`node '${this.id}' was removed`));
    for (const member of this.members) member.abandon();
  }

  private attempt(): Promise<void> {
    if (this.attempting) return this.attemptEnded;
    if (this.linkState === 'closed' || this.linkState === 'up') return Promise.resolve();
    this.attempting = true;
    this.attemptEnded = this.connectOnce();
    return this.attemptEnded;
  }

  /** One connection attempt: connected, or counted as failed (never rejects). */
  private async connectOnce(): Promise<void> {
    let socket: BackendSocket | undefined;
    try {
      socket = await BackendSocket.open(
        this.uri,
        { onEvent: (text) => this.managerEvent(text), onClose: () => this.controlClosed(socket) },
        { connectTimeoutMs: this.timings.connectTimeoutMs, pingIntervalMs: this.timings.pingIntervalMs },
      );
      const { serverId, pipelines } = await this.setUp(socket);
      this.attempting = false;
      if (this.isClosed()) {
        socket.close();
        return;
      }
      this.connected(socket, serverId, pipelines);
    } catch {
      this.attempting = false;
      socket?.close();
      this.attemptFailed();
    }
  }

  /** serverId, the subscriptions that report every pipeline's end, and the pipelines there now. */
  private async setUp(socket: BackendSocket): Promise<{ serverId: string; pipelines: string[] }> {
    const sessionId = this.controlSession;
    const connect = await socket.request('connect', undefined);
    const serverId = connect.result?.serverId;
    if (typeof serverId !== 'string') throw new BackendLostError('connect gave no serverId');
    for (const type of ['ObjectCreated', 'ObjectDestroyed']) {
      const subscribed = await socket.request('subscribe', { type, object: SERVER_MANAGER, sessionId });
      if (!subscribed.ok) throw new BackendLostError(`subscribe ${type} failed`);
    }
    const listed = await socket.request('invoke', {
      object: SERVER_MANAGER,
      operation: 'getPipelines',
      sessionId,
    });
    const value = listed.result?.value;
    const pipelines = Array.isArray(value) ? value.filter((id) => typeof id === 'string') : [];
    return { serverId, pipelines };
  }

  private connected(socket: BackendSocket, serverId: string, pipelines: string[]): void {
    const previous = this.serverId;
    const wasFailing = this.linkState === 'failing';
    clearTimeout(this.graceTimer);
    clearTimeout(this.retryTimer);
    this.control = socket;
    this.serverId = serverId;
    this.retryDelayMs = 0;
    const sameServer = previous === serverId;
    if (wasFailing && !sameServer) {
      // Back within the grace, but a new process: everything the old one held is gone.
      this.linkState = 'down';
      this.hooks.lost(this, 'restarted');
      for (const member of this.members) member.abandon();
    }
    this.linkState = 'up';
    this.settleWaiters();
    this.hooks.up(this, pipelines, sameServer);
    if (sameServer) for (const member of this.members) member.resume();
  }

  private attemptFailed(): void {
    if (this.linkState === 'closed') return;
    if (this.linkState === 'connecting') {
      this.linkState = 'down';
      this.settleWaiters(new NodeDownError(`node '${this.id}' is unreachable`));
      this.hooks.down(this);
    }
    // Within the grace, retry quickly; once down, back off up to 5 s.
    const failing = this.linkState === 'failing';
    this.retryDelayMs = failing
      ? Math.max(20, Math.floor(this.timings.graceMs / 5))
      : Math.min(5000, Math.max(250, this.retryDelayMs * 2));
    this.retryTimer = setTimeout(() => void this.attempt(), this.retryDelayMs);
    this.retryTimer.unref();
  }

  private controlClosed(socket: BackendSocket | undefined): void {
    if (socket === undefined || socket !== this.control || this.linkState !== 'up') return;
    this.control = undefined;
    this.linkState = 'failing';
    this.graceTimer = setTimeout(() => this.graceExpired(), this.timings.graceMs);
    this.graceTimer.unref();
    void this.attempt();
  }

  private graceExpired(): void {
    if (this.linkState !== 'failing') return;
    this.linkState = 'down';
    this.settleWaiters(
      new NodeDownError(`node '${this.id}' did not come back within ${this.timings.graceMs} ms`),
    );
    for (const member of this.members) member.abandon();
    this.hooks.down(this);
    this.hooks.lost(this, 'failed');
  }

  private settleWaiters(error?: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  private managerEvent(text: string): void {
    let value: { type?: unknown; data?: { object?: unknown; objectId?: unknown } } | undefined;
    try {
      value = (JSON.parse(text) as { params?: { value?: typeof value } }).params?.value;
    } catch {
      return;
    }
    const type = value?.type;
    const objectId = type === 'ObjectDestroyed' ? value?.data?.objectId : value?.data?.object;
    if (typeof type === 'string' && typeof objectId === 'string') {
      this.hooks.managerEvent(this, type, objectId, text);
    }
  }
}

/**
 * The hooks run from socket and timer callbacks, where a throw would end the process: a failing hook is
 * reported on stderr and the node carries on.
 */
function guarded(hooks: NodeHooks): NodeHooks {
  const wrap =
    <A extends unknown[]>(name: string, hook: (...args: A) => void) =>
    (...args: A) => {
      try {
        hook(...args);
      } catch (error) {
        process.stderr.write(`gateway: the ${name} hook failed: ${String(error)}\n`);
      }
    };
  return {
    down: wrap('down', hooks.down),
    lost: wrap('lost', hooks.lost),
    up: wrap('up', hooks.up),
    managerEvent: wrap('managerEvent', hooks.managerEvent),
  };
}
