import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { WebSocket } from 'ws';
import { BackendLostError } from './errors';
import { classifyFrame, Reply } from './wire';

/** How a backend socket reports what it receives unasked, and its end. */
export interface BackendSocketHooks {
  /** An onEvent frame, as text: the gateway relays it unchanged. */
  onEvent(text: string): void;
  /** The socket closed (for whatever reason); every request still waiting was rejected just before. */
  onClose(): void;
}

/** Options of {@link openBackendSocket}. */
export interface BackendSocketOptions {
  /** The handshake's deadline; a KMS that does not answer by then counts as unreachable. */
  connectTimeoutMs: number;
  /**
   * WebSocket pings at this interval, and the socket is dropped when one goes unanswered: a KMS behind a dead
   * link never closes its TCP connection. 0: no pings.
   */
  pingIntervalMs?: number;
}

/**
 * One JSON-RPC WebSocket to a KMS. Requests get the gateway's own ids (from 0, per socket); answers are matched
 * back by the id at the start of their text, and kept as text so that they can be relayed without being
 * re-serialised.
 */
export class BackendSocket {
  private readonly socket: WebSocket;
  private readonly hooks: BackendSocketHooks;
  private readonly pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  private nextId = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private ended = false;

  private constructor(socket: WebSocket, hooks: BackendSocketHooks) {
    this.socket = socket;
    this.hooks = hooks;
    socket.on('message', (data) => this.received(data.toString()));
    socket.on('close', () => this.end());
  }

  /** Opens a socket; rejects with BackendLostError when the KMS cannot be reached in time. */
  static open(url: string, hooks: BackendSocketHooks, options: BackendSocketOptions): Promise<BackendSocket> {
    // KMS (websocketpp) negotiates no extension: plain frames, as the applications' own clients send them.
    const socket = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: options.connectTimeoutMs,
    });
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        socket.removeAllListeners();
        socket.on('error', () => {});
        socket.terminate();
        reject(new BackendLostError(`cannot reach ${url}: ${error.message}`));
      };
      socket.once('error', fail);
      socket.once('close', () => fail(new Error('closed during the handshake')));
      socket.once('open', () => {
        socket.removeAllListeners();
        // After the handshake, an error is always followed by 'close', which is where it is handled.
        socket.on('error', () => {});
        const backend = new BackendSocket(socket, hooks);
        backend.startPings(options.pingIntervalMs ?? 0);
        resolve(backend);
      });
    });
  }

  get isOpen(): boolean {
    return !this.ended && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends one request (params as given, the gateway's id added) and resolves with the KMS's answer. */
  request(method: string, params: JsonObject | undefined): Promise<Reply> {
    if (!this.isOpen) return Promise.reject(new BackendLostError('the KMS connection is closed'));
    const id = this.nextId++;
    const frame =
      params === undefined ? { jsonrpc: '2.0', method, id } : { jsonrpc: '2.0', method, params, id };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify(frame));
    });
  }

  /** Closes with a close frame: KMS keeps the sessions of a closed socket until its garbage collector runs. */
  close(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    else this.socket.terminate();
    this.end();
  }

  /** Drops the connection at once (a KMS that stopped answering pings). */
  terminate(): void {
    this.socket.terminate();
    this.end();
  }

  private received(text: string): void {
    const frame = classifyFrame(text);
    if (frame.kind === 'event') {
      this.hooks.onEvent(text);
      return;
    }
    if (frame.kind !== 'reply') return;
    const waiter = this.pending.get(frame.id);
    if (!waiter) return;
    this.pending.delete(frame.id);
    waiter.resolve(new Reply(text, frame.id));
  }

  private startPings(intervalMs: number): void {
    if (intervalMs <= 0) return;
    let answered = true;
    this.socket.on('pong', () => {
      answered = true;
    });
    this.pingTimer = setInterval(() => {
      if (!answered) {
        this.terminate();
        return;
      }
      answered = false;
      this.socket.ping();
    }, intervalMs);
    this.pingTimer.unref();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.pingTimer);
    const lost = new BackendLostError('the KMS connection closed before the answer', true);
    for (const waiter of this.pending.values()) waiter.reject(lost);
    this.pending.clear();
    this.hooks.onClose();
  }
}
