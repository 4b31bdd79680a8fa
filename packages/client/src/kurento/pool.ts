import {
  closeKurentoClient,
  createKurentoClient,
  type KurentoClient,
  type KurentoClientFactory,
} from '@kurento-fleet/kurento';
import type { AssignResult, FleetClient } from '../client';
import { FleetClientError } from '../errors';
import type { Assignment } from '../types';

/** Options of a {@link KurentoPool}. */
export interface KurentoPoolOptions {
  /** How long a call may wait for the KMS connection. Default 5000 ms. */
  connectTimeoutMs?: number;
  /**
   * Reconnection attempts of a client whose socket dropped before it gives up; the next call then makes a new
   * client. Default 10: kurento-client's fibonacci backoff makes that about 14 s, enough for a KMS restart.
   */
  failAfter?: number;
  /** Sees the errors of the reconnecting sockets (refused reconnections…), which are otherwise dropped. */
  onError?: (error: unknown, kmsUri: string) => void;
  /**
   * kurento-client's default export, e.g. `factory: require('kurento-client')` (or its ESM default import): the
   * app's own copy. By default the pool loads `kurento-client` from where the app's dependencies are installed,
   * on first use. Either way it must be installed with `overrides: {"reconnect-ws": "0.1.0"}` (see the SDK's
   * README).
   */
  factory?: KurentoClientFactory;
}

/** A session's node and a connected client for its KMS. */
export interface KurentoSession extends AssignResult {
  /** Shared by every session on the same KMS: do not close it, call the pool's `close()` at shutdown. */
  client: KurentoClient;
}

/** The KMS of a session's node could not be reached in time. */
export class KurentoConnectError extends FleetClientError {
  override name = 'KurentoConnectError';
  readonly kmsUri: string;

  constructor(kmsUri: string, message: string) {
    super(message);
    this.kmsUri = kmsUri;
  }
}

interface Entry {
  client: KurentoClient;
  /** Whether a socket ever opened: a client that never connected is dropped when a wait for it fails. */
  everConnected: boolean;
  lastError: string | undefined;
}

/**
 * KurentoClients for the fleet's KMS, one per KMS uri, shared by every session placed there. Besides saving
 * sockets, sharing matters to kurento-client itself: its ping state is module-wide, so only one client per
 * process pings.
 */
export class KurentoPool {
  private readonly entries = new Map<string, Entry>();
  private readonly connectTimeoutMs: number;
  private readonly failAfter: number;
  private readonly onError: ((error: unknown, kmsUri: string) => void) | undefined;
  private readonly factory: KurentoClientFactory | undefined;

  constructor(options: KurentoPoolOptions = {}) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.failAfter = options.failAfter ?? 10;
    this.onError = options.onError;
    this.factory = options.factory;
  }

  /**
   * Assigns the session (or finds where it lives, see FleetClient.assignSession) and returns a connected
   * client for its KMS. Throws the fleet's errors (NoNodeAvailableError…) or a KurentoConnectError.
   */
  async forSession(
    fleet: FleetClient,
    sessionId: string,
    options: { nodeId?: string } = {},
  ): Promise<KurentoSession> {
    const { assignment, created } = await fleet.assignSession(sessionId, options);
    const { client } = await this.entryFor(assignment);
    return { client, assignment, created };
  }

  /**
   * Closes every client; a later call opens new ones. kurento-client leaves its per-response timers running
   * (up to 20 s after the last call), so a script that must end at once calls `process.exit()`.
   */
  close(): void {
    for (const entry of this.entries.values()) closeKurentoClient(entry.client);
    this.entries.clear();
  }

  /**
   * The shared client of an assignment's KMS, once its socket is open. It resolves with the entry, never the
   * client itself: the client is a thenable, so a promise of it would resolve to a copy (see KurentoClient).
   */
  private async entryFor(assignment: Assignment): Promise<Entry> {
    const uri = assignment.kmsUri;
    const entry = this.entries.get(uri) ?? this.open(uri);
    try {
      await this.connected(uri, entry);
    } catch (error) {
      if (!entry.everConnected) this.drop(uri, entry);
      throw error;
    }
    return entry;
  }

  private open(uri: string): Entry {
    // Socket errors come asynchronously, once the entry below exists.
    const client = createKurentoClient(uri, {
      client: { failAfter: this.failAfter },
      factory: this.factory,
      onSocketError: (error) => {
        entry.lastError = error instanceof Error ? error.message : String(error);
        this.onError?.(error, uri);
      },
    });
    const entry: Entry = { client, everConnected: false, lastError: undefined };
    client._re.on('connection', () => {
      entry.everConnected = true;
      entry.lastError = undefined;
    });
    // kurento-client gave up reconnecting (failAfter): the next call for this KMS starts afresh.
    client.on('disconnect', () => this.drop(uri, entry));
    this.entries.set(uri, entry);
    return entry;
  }

  private connected(uri: string, entry: Entry): Promise<void> {
    const re = entry.client._re;
    if (re.connected) return Promise.resolve();
    if (!re.reconnect) return Promise.reject(this.failure(uri, entry, 'the client gave up reconnecting'));
    return new Promise<void>((resolve, reject) => {
      // 'connection' rather than 'connect': kurento-client hooks its transport on 'connection', which
      // reconnect-core emits after 'connect'.
      const onConnection = () => {
        done();
        resolve();
      };
      const onFail = () => {
        done();
        reject(this.failure(uri, entry, 'the client gave up reconnecting'));
      };
      const timer = setTimeout(() => {
        done();
        reject(this.failure(uri, entry, `no connection within ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        re.off('connection', onConnection);
        re.off('fail', onFail);
      };
      re.on('connection', onConnection);
      re.on('fail', onFail);
    });
  }

  private failure(uri: string, entry: Entry, what: string): KurentoConnectError {
    const cause = entry.lastError ? ` (${entry.lastError})` : '';
    return new KurentoConnectError(uri, `cannot connect to the KMS at ${uri}: ${what}${cause}`);
  }

  private drop(uri: string, entry: Entry): void {
    if (this.entries.get(uri) !== entry) return;
    this.entries.delete(uri);
    closeKurentoClient(entry.client);
  }
}
