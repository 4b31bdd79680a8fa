import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { BackendSocket } from './backend-socket';
import { BackendLostError } from './errors';
import type { KmsNode, NodeMember } from './kms-node';
import type { Reply } from './wire';

/** What a backend session needs from around it. */
export interface BackendSessionDeps {
  connectTimeoutMs: number;
  /** Where the session's events go (the virtual session's client, or its buffer). */
  deliver(text: string): void;
  /** Counted in the metrics: a socket of a virtual session was opened again after a drop. */
  reconnected(nodeId: string): void;
}

/**
 * A virtual session's KMS session on one node, over its own socket. One socket per session is not a choice:
 * KMS links each socket to one session at a time and sends a session's events only to its linked socket.
 * The session id on the KMS is the virtual session's id itself (KMS adopts a sessionId it does not know yet).
 * While the socket is open KMS keeps the session alive; once it closes, KMS collects it after 240–480 s.
 */
export class BackendSession implements NodeMember {
  readonly sessionId: string;
  readonly node: KmsNode;
  private readonly deps: BackendSessionDeps;
  private socket: BackendSocket | undefined;
  private opening: Promise<BackendSocket> | undefined;
  /** A socket was open before: a new one must relink the session with `connect`. */
  private linkedBefore = false;
  /** Whether the last `connect` on a new socket found the session on the KMS. */
  private relinked = false;
  private closed = false;
  private resumeTimer: NodeJS.Timeout | undefined;

  constructor(sessionId: string, node: KmsNode, deps: BackendSessionDeps) {
    this.sessionId = sessionId;
    this.node = node;
    this.deps = deps;
    node.members.add(this);
  }

  get isOpen(): boolean {
    return this.socket?.isOpen === true;
  }

  /**
   * Sends a request in this session. Rejects with NodeDownError when the node is down, BackendLostError when
   * the socket cannot be opened or closes before the answer.
   */
  send(method: string, params: JsonObject): Promise<Reply> {
    // The common case (socket open) goes out in this turn, with no wait on a settled promise.
    if (this.socket?.isOpen && !this.closed) return this.socket.request(method, params);
    return this.ready().then((socket) => socket.request(method, params));
  }

  /**
   * After a gateway restart: relinks the session with `connect {sessionId}` on a new socket. True when the KMS
   * still holds it; false (and the socket closed) when it does not.
   */
  async resumeExisting(): Promise<boolean> {
    this.linkedBefore = true;
    try {
      await this.ready();
    } catch {
      this.close();
      return false;
    }
    if (!this.relinked) this.close();
    return this.relinked;
  }

  /** The node is up again after a drop: reconnect at once, so the session's events flow again. */
  resume(): void {
    if (this.closed || this.isOpen || !this.linkedBefore) return;
    void this.ready().catch(() => {});
  }

  /** The node is down or restarted: the socket goes; a later request opens a new one. */
  abandon(): void {
    clearTimeout(this.resumeTimer);
    // Cleared first: the socket's close must not schedule a reconnection (the node decides when).
    const socket = this.socket;
    this.socket = undefined;
    socket?.terminate();
  }

  /** The virtual session ended: close the socket with a close frame (KMS then collects the session). */
  close(): void {
    this.closed = true;
    clearTimeout(this.resumeTimer);
    this.node.members.delete(this);
    this.socket?.close();
    this.socket = undefined;
  }

  private ready(): Promise<BackendSocket> {
    if (this.closed) return Promise.reject(new BackendLostError('the session was closed'));
    if (this.socket?.isOpen) return Promise.resolve(this.socket);
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async open(): Promise<BackendSocket> {
    await this.node.whenUsable();
    let socket: BackendSocket | undefined;
    socket = await BackendSocket.open(
      this.node.uri,
      { onEvent: (text) => this.deps.deliver(text), onClose: () => this.dropped(socket) },
      { connectTimeoutMs: this.deps.connectTimeoutMs },
    );
    this.closeIfEnded(socket);
    if (this.linkedBefore) {
      this.deps.reconnected(this.node.id);
      // Relinks the session to this socket, so that its events come here. 40007: the KMS no longer knows it
      // (restarted, or collected); the next request in it starts a new one there.
      this.relinked = (await socket.request('connect', { sessionId: this.sessionId })).ok;
      // Closed during the relink: the socket would otherwise outlive the session and keep it alive on the KMS.
      this.closeIfEnded(socket);
    }
    this.socket = socket;
    this.linkedBefore = true;
    return socket;
  }

  /** The session was closed while `socket` was being opened: it goes too. */
  private closeIfEnded(socket: BackendSocket): void {
    if (!this.closed) return;
    socket.close();
    throw new BackendLostError('the session was closed');
  }

  private dropped(socket: BackendSocket | undefined): void {
    if (socket === undefined || socket !== this.socket) return;
    this.socket = undefined;
    if (this.closed) return;
    // The KMS itself may be fine (only this socket dropped): come back shortly. If the node is failing, the
    // reopen waits for its outcome; if it is down, the node resumes its members when it returns.
    this.resumeTimer = setTimeout(() => this.resume(), 50);
    this.resumeTimer.unref();
  }
}
