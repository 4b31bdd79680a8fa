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
  /**
   * How many times one call reports an unreachable KMS to the fleet (`reportFailure`, which takes its node out
   * of rotation at once) and asks again, which moves the session to another node (`reassigned: true`).
   * Default 2: one dead KMS costs one report; a second unreachable KMS in a row may be a second outage; past
   * that the fault is more likely on this application's side (its network), and reporting further would eject
   * healthy nodes (the fleet's FLEET_MAX_EJECTED_PERCENT caps that too). 0: never report.
   */
  failureReports?: number;
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
  private readonly failureReports: number;

  constructor(options: KurentoPoolOptions = {}) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.failureReports = options.failureReports ?? 2;
    this.failAfter = options.failAfter ?? 10;
    this.onError = options.onError;
    this.factory = options.factory;
  }

  /**
   * Assigns the session (or finds where it lives, see FleetClient.assignSession) and returns a connected
   * client for its KMS. When that KMS cannot be reached, it reports the node to the fleet (passive health) and
   * asks again, up to `failureReports` times: the fleet then moves the session to another node
   * (`assignment.reassigned: true`; `created` stays true when this call placed the session first). It does not
   * ask again for a forced `nodeId` (the answer would be the same node), nor when the fleet kept the node in
   * rotation (too much of the fleet ejected already) or the report failed. Throws the fleet's errors
   * (NoNodeAvailableError…) or a KurentoConnectError.
   */
  async forSession(
    fleet: FleetClient,
    sessionId: string,
    options: { nodeId?: string } = {},
  ): Promise<KurentoSession> {
    let created = false;
    for (let reports = 0; ; reports++) {
      const result = await fleet.assignSession(sessionId, options);
      created ||= result.created;
      try {
        const { client } = await this.entryFor(result.assignment);
        return { client, assignment: result.assignment, created };
      } catch (error) {
        if (!(error instanceof KurentoConnectError) || reports >= this.failureReports) throw error;
        const report = await fleet.reportFailure(result.assignment.nodeId, error.message).catch(() => null);
        if (!report?.ejectedUntil || options.nodeId !== undefined) throw error;
      }
    }
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
    // The socket is down and its last attempt failed (refused, reset): the KMS cannot be reached now. The next
    // attempt may be up to 10 s away (kurento-client's backoff), so waiting for it would only hold the caller
    // and keep the node in rotation; failing now lets forSession report it at once.
    if (entry.lastError !== undefined)
      return Promise.reject(this.failure(uri, entry, 'the last connection attempt failed'));
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
      // Heard after open()'s listener, which has recorded the error as entry.lastError.
      const onError = () => {
        done();
        reject(this.failure(uri, entry, 'the connection attempt failed'));
      };
      const timer = setTimeout(() => {
        done();
        reject(this.failure(uri, entry, `no connection within ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        re.off('connection', onConnection);
        re.off('fail', onFail);
        re.off('error', onError);
      };
      re.on('connection', onConnection);
      re.on('fail', onFail);
      re.on('error', onError);
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
