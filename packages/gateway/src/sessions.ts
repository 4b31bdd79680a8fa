import { BackendSession, type BackendSessionDeps } from './backend-session';
import type { KmsNode } from './kms-node';

/** An application's socket as the sessions see it. */
export interface ClientLink {
  readonly isOpen: boolean;
  send(text: string): void;
  /** The virtual session this socket is linked to, as KMS links one session per socket. */
  session: VirtualSession | undefined;
}

/** Settings of the session registry. */
export interface SessionSettings {
  /** How long a session with no client socket is kept (its KMS sockets open, its frames buffered). */
  detachedMs: number;
  /** Frames kept for a session while it has no client socket; the oldest go first beyond it. */
  bufferLimit: number;
  /** A frame was dropped: its session had no socket and a full buffer (counted in the metrics). */
  dropped(): void;
}

/**
 * What the application sees as its KMS session (one per client connection, the sessionId in every answer).
 * Behind it, one KMS session per node it used, all under the same id.
 */
export class VirtualSession {
  readonly id: string;
  client: ClientLink | undefined;
  /** Its KMS session on each node it used, by node id. */
  readonly backends = new Map<string, BackendSession>();
  /** Its subscriptions to ObjectCreated/ObjectDestroyed on the ServerManager (id → event), served by the gateway. */
  readonly managerSubscriptions = new Map<string, string>();
  private buffer: string[] = [];
  private readonly settings: SessionSettings;
  detachTimer: NodeJS.Timeout | undefined;

  constructor(id: string, settings: SessionSettings) {
    this.id = id;
    this.settings = settings;
  }

  /** Sends a frame to the session's socket, or keeps it until a socket links the session again. */
  deliver(text: string): void {
    if (this.client?.isOpen) {
      this.client.send(text);
      return;
    }
    if (this.buffer.length >= this.settings.bufferLimit) {
      // The oldest goes: a client that resumes wants the latest state (candidates, media events) most.
      if (this.buffer.shift() === undefined) {
        this.settings.dropped();
        return;
      }
      this.settings.dropped();
    }
    this.buffer.push(text);
  }

  /** Sends what was buffered to the session's current socket, in arrival order. */
  flush(): void {
    const client = this.client;
    if (!client?.isOpen || this.buffer.length === 0) return;
    const frames = this.buffer;
    this.buffer = [];
    for (const frame of frames) client.send(frame);
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** True when it subscribed to this ServerManager event at least once (one delivery per session, as KMS). */
  wantsManagerEvent(type: string): boolean {
    for (const subscribed of this.managerSubscriptions.values()) if (subscribed === type) return true;
    return false;
  }
}

/**
 * Every virtual session, and which client socket each is linked to. Linking follows the KMS transport: after
 * each success carrying a sessionId, that session and the socket are linked, replacing older links of either.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, VirtualSession>();
  private readonly settings: SessionSettings;
  private readonly backendDeps: (session: VirtualSession) => BackendSessionDeps;
  private readonly ended: (session: VirtualSession) => void;

  constructor(
    settings: SessionSettings,
    backendDeps: (session: VirtualSession) => BackendSessionDeps,
    ended: (session: VirtualSession) => void,
  ) {
    this.settings = settings;
    this.backendDeps = backendDeps;
    this.ended = ended;
  }

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): VirtualSession | undefined {
    return this.sessions.get(id);
  }

  values(): IterableIterator<VirtualSession> {
    return this.sessions.values();
  }

  /** The session with this id, made (unlinked, on its detach timer) if it does not exist. */
  getOrCreate(id: string): VirtualSession {
    let session = this.sessions.get(id);
    if (!session) {
      session = new VirtualSession(id, this.settings);
      this.sessions.set(id, session);
      this.startDetachTimer(session);
    }
    return session;
  }

  /** The session's KMS session on a node, made on first use. */
  backendOn(session: VirtualSession, node: KmsNode): BackendSession {
    let backend = session.backends.get(node.id);
    if (!backend || backend.node !== node) {
      backend?.close();
      backend = new BackendSession(session.id, node, this.backendDeps(session));
      session.backends.set(node.id, backend);
    }
    return backend;
  }

  /** Links a socket and a session (dropping older links of both) and sends the session's buffered frames. */
  link(client: ClientLink, session: VirtualSession): void {
    if (client.session === session && session.client === client) return;
    const previous = client.session;
    if (previous && previous !== session && previous.client === client) {
      previous.client = undefined;
      this.startDetachTimer(previous);
    }
    if (session.client && session.client !== client) session.client.session = undefined;
    client.session = session;
    session.client = client;
    clearTimeout(session.detachTimer);
    session.detachTimer = undefined;
    session.flush();
  }

  /** A client socket closed: its session waits for a `connect` (buffering) until the detach timer ends it. */
  unlink(client: ClientLink): void {
    const session = client.session;
    client.session = undefined;
    if (session?.client !== client) return;
    session.client = undefined;
    this.startDetachTimer(session);
  }

  /** Ends a session here: closes its KMS sockets (KMS keeps its objects until its own collector runs). */
  end(session: VirtualSession): void {
    if (this.sessions.get(session.id) !== session) return;
    clearTimeout(session.detachTimer);
    this.sessions.delete(session.id);
    if (session.client) session.client.session = undefined;
    session.client = undefined;
    for (const backend of session.backends.values()) backend.close();
    session.backends.clear();
    this.ended(session);
  }

  /** Ends every session (the gateway stopping). */
  endAll(): void {
    for (const session of [...this.sessions.values()]) this.end(session);
  }

  private startDetachTimer(session: VirtualSession): void {
    clearTimeout(session.detachTimer);
    session.detachTimer = setTimeout(() => this.end(session), this.settings.detachedMs);
    session.detachTimer.unref();
  }
}
