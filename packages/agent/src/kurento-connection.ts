import {
  type Callback,
  closeKurentoClient,
  createKurentoClient,
  type KurentoClient,
  type KurentoClientFactory,
  kurentoCall,
  type ServerManager,
} from '@kurento-fleet/kurento';
import { errorMessage, type Logger, silentLogger } from '@kurento-fleet/log';
import { type Clock, realClock } from './clock';
import type { KmsConnection, KmsConnectionEvent, KmsProbe } from './kms-connection';
import { buildReport } from './probe-report';

/** Options of `connectKurento`. */
export interface KurentoConnectionOptions {
  clock?: Clock;
  log?: Logger;
  /**
   * getUsedCpu's sampling window in ms. The KMS sleeps this long before it answers, so it must stay well
   * inside the probe deadline. 300 by default.
   */
  cpuSampleMs?: number;
  /**
   * A connection attempt still pending after this long is abandoned and the client recreated. kurento-client
   * has no handshake timeout: a listener that accepts TCP but never completes the WebSocket handshake would
   * hold it forever. 10 000 by default.
   */
  connectTimeoutMs?: number;
  /** The kurento-client module's factory; the real one by default. */
  factory?: KurentoClientFactory;
}

/**
 * A persistent kurento-client connection to one KMS, made safe for a process that must never crash:
 * the reconnect emitter's 'error' is handled (createKurentoClient), every call uses a node-style callback under
 * our own deadline, no call is queued while the socket is down, and reconnection is hurried instead of waiting
 * out the client's fibonacci backoff (up to 10 s between attempts; see docs/kurento-protocol.md).
 */
export function connectKurento(uri: string, options: KurentoConnectionOptions = {}): KmsConnection {
  return new KurentoConnection(uri, options);
}

class KurentoConnection implements KmsConnection {
  private readonly uri: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly cpuSampleMs: number;
  private readonly connectTimeoutMs: number;
  private readonly factory: KurentoClientFactory | undefined;
  private readonly listeners = new Set<(event: KmsConnectionEvent) => void>();
  /** Ends the probes in flight: their socket is gone, so their answers will never come. */
  private readonly aborters = new Set<(reason: string) => void>();
  /** Probes waiting for the outcome of a connection attempt. */
  private readonly settleWaiters = new Set<() => void>();
  private client: KurentoClient | undefined;
  private manager: ServerManager | undefined;
  private socketOpen = false;
  private attempting = false;
  private attemptStartedAt = 0;
  private lastError: string | undefined;
  /** Calls sent on the current socket and not answered yet; a new probe waits for them (see probe()). */
  private unanswered = 0;
  private socketEpoch = 0;
  private closed = false;

  constructor(uri: string, options: KurentoConnectionOptions) {
    this.uri = uri;
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLogger;
    this.cpuSampleMs = options.cpuSampleMs ?? 300;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.factory = options.factory;
    this.open();
  }

  onEvent(listener: (event: KmsConnectionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async probe(deadlineMs: number): Promise<KmsProbe> {
    const started = this.clock.now();
    if (!this.socketOpen && !this.closed) {
      this.hurryReconnection();
      // An attempt in flight (the very first one, or the one just hurried) usually settles in milliseconds:
      // its outcome is the answer, rather than a "down" that the next probe would contradict.
      if (this.attempting) await this.attemptSettled(deadlineMs);
    }
    const client = this.client;
    if (this.closed || !client) return { ok: false, reason: 'connection closed' };
    if (!this.socketOpen) {
      const cause = this.attempting
        ? `: connection attempt pending for ${this.clock.now() - this.attemptStartedAt} ms`
        : this.lastError
          ? `: ${this.lastError}`
          : '';
      return { ok: false, reason: `not connected to the KMS${cause}` };
    }
    // A KMS that has not answered the last probe is still not answering; piling more requests on a stalled
    // server only makes it replay them all when it resumes.
    if (this.unanswered > 0) return { ok: false, reason: 'the KMS has not answered the previous probe' };
    return this.runProbe(client, Math.max(0, deadlineMs - (this.clock.now() - started)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.settled();
    this.abortProbes('connection closed');
    this.listeners.clear();
    if (this.client) closeKurentoClient(this.client);
    this.client = undefined;
  }

  private open(): void {
    this.socketOpen = false;
    this.manager = undefined;
    this.attempting = true;
    this.attemptStartedAt = this.clock.now();
    // failAfter Infinity: never give up (a 'disconnect' would also make `sessionId` throw). The wrapper guards
    // the socket's errors before the first attempt can fail; the probe reports them.
    const client = createKurentoClient(this.uri, {
      client: { failAfter: Number.POSITIVE_INFINITY },
      factory: this.factory,
      onSocketError: (error) => {
        if (client === this.client) this.lastError = errorMessage(error);
      },
    });
    this.client = client;
    const re = client._re;
    re.on('reconnect', () => {
      if (client !== this.client) return;
      this.attempting = true;
      this.attemptStartedAt = this.clock.now();
    });
    re.on('connect', () => {
      if (client !== this.client) return;
      this.attempting = false;
      this.socketOpen = true;
      this.lastError = undefined;
      this.log.debug('kms socket open');
      this.settled();
    });
    re.on('disconnect', (error: unknown) => {
      if (client !== this.client) return;
      this.attempting = false;
      if (error) this.lastError = errorMessage(error);
      this.settled();
      if (!this.socketOpen) return;
      this.socketOpen = false;
      this.socketEpoch += 1;
      this.unanswered = 0;
      this.lastError ??= 'connection lost';
      this.log.debug('kms socket lost', { error: this.lastError });
      this.abortProbes(`connection to the KMS lost: ${this.lastError}`);
      this.emit('disconnected');
    });
    // A client that never connected emits 'reconnected'(true) on its first success when its first attempt
    // failed, and 'connected' only when it succeeded at once.
    client.on('connected', () => {
      if (client === this.client) this.emit('connected');
    });
    client.on('reconnected', (sameSession: unknown) => {
      if (client !== this.client) return;
      if (sameSession === false) this.emit('restarted');
      this.emit('connected');
    });
  }

  /**
   * Called while the socket is down, once per probe. An idle client (waiting out its backoff) is told to try
   * now; a client stuck in one attempt for too long is replaced.
   */
  private hurryReconnection(): void {
    const client = this.client;
    if (!client) return;
    if (this.attempting) {
      const pendingMs = this.clock.now() - this.attemptStartedAt;
      if (pendingMs < this.connectTimeoutMs) return;
      this.log.warn('kms connection attempt hung; recreating the client', { pendingMs });
      closeKurentoClient(client);
      this.open();
      return;
    }
    try {
      // reconnect-core 1.3.0: clears the backoff timer and attempts at once. Only while no attempt is in
      // flight, or two sockets would race.
      client._re.reset();
    } catch (error) {
      this.lastError = errorMessage(error);
    }
  }

  /** Resolves when the current connection attempt succeeds or fails, or after `ms`. */
  private attemptSettled(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.clock.clearTimeout(timer);
        this.settleWaiters.delete(done);
        resolve();
      };
      const timer = this.clock.setTimeout(done, ms);
      this.settleWaiters.add(done);
    });
  }

  private settled(): void {
    for (const done of [...this.settleWaiters]) done();
  }

  private runProbe(client: KurentoClient, deadlineMs: number): Promise<KmsProbe> {
    return new Promise<KmsProbe>((resolve) => {
      const waiting = new Set<string>();
      let settled = false;
      const finish = (probe: KmsProbe) => {
        if (settled) return;
        settled = true;
        this.clock.clearTimeout(timer);
        this.aborters.delete(abort);
        resolve(probe);
      };
      const abort = (reason: string) => finish({ ok: false, reason });
      const timer = this.clock.setTimeout(
        () => abort(`no answer within ${deadlineMs} ms (${[...waiting].join(', ')})`),
        deadlineMs,
      );
      this.aborters.add(abort);

      const call = <T>(name: string, invoke: (callback: Callback<T>) => unknown) =>
        this.call(name, invoke, waiting);
      const gather = async (): Promise<KmsProbe> => {
        const manager =
          this.manager ??
          (await call<ServerManager>('getServerManager', (cb) => client.getServerManager(cb)));
        if (client === this.client) this.manager = manager;
        const [info, cpuCount, usedCpu, usedMemory, pipelines, creationTime] = await Promise.all([
          call<unknown>('getInfo', (cb) => manager.getInfo(cb)),
          call<unknown>('getCpuCount', (cb) => manager.getCpuCount(cb)),
          call<unknown>('getUsedCpu', (cb) => manager.getUsedCpu(this.cpuSampleMs, cb)),
          call<unknown>('getUsedMemory', (cb) => manager.getUsedMemory(cb)),
          call<unknown>('getPipelines', (cb) => manager._invoke(undefined, 'getPipelines', cb)),
          call<unknown>('getCreationTime', (cb) => manager.getCreationTime(cb)),
        ]);
        return buildReport({ info, cpuCount, usedCpu, usedMemory, pipelines, creationTime });
      };
      gather().then(finish, (error: unknown) => abort(errorMessage(error)));
    });
  }

  /**
   * One request, counted as unanswered until the KMS answers (or the call throws). No deadline of its own: the
   * probe holds one over all its calls, and a call the probe gave up on still counts until its answer comes.
   */
  private call<T>(
    name: string,
    invoke: (callback: Callback<T>) => unknown,
    waiting: Set<string>,
  ): Promise<T> {
    const epoch = this.socketEpoch;
    waiting.add(name);
    this.unanswered += 1;
    const answered = () => {
      waiting.delete(name);
      if (epoch === this.socketEpoch) this.unanswered -= 1;
    };
    return kurentoCall(invoke, Number.POSITIVE_INFINITY).then(
      (result) => {
        answered();
        return result;
      },
      (error: unknown) => {
        answered();
        throw new Error(`${name}: ${errorMessage(error)}`);
      },
    );
  }

  private abortProbes(reason: string): void {
    for (const abort of [...this.aborters]) abort(reason);
  }

  private emit(event: KmsConnectionEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log.error('kms connection listener failed', { event, error: errorMessage(error) });
      }
    }
  }
}
