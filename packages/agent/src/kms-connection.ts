/** What a successful probe learns about a KMS: the `kms` object of the heartbeat. */
export interface KmsReport {
  version: string;
  cpuCount: number;
  /** getUsedCpu: percent of one core (100 = one core busy; may exceed 100). */
  usedCpuPercent: number;
  usedMemoryKiB: number;
  pipelines: number;
  /** When the KMS process started (ServerManager creation time, 1-second resolution), ISO-8601. */
  startedAt?: string;
}

/** The outcome of one probe. A failure carries a human-readable reason for the logs and the state. */
export type KmsProbe = { ok: true; report: KmsReport } | { ok: false; reason: string };

/**
 * Things the connection notices between probes:
 * - `connected`: a session with the KMS is (re-)established, worth probing now;
 * - `disconnected`: the socket is gone, worth probing now (the probe fails fast);
 * - `restarted`: the KMS lost our session on reconnection (a new process: kurento-client's
 *   `'reconnected'(false)`, see docs/kurento-protocol.md).
 */
export type KmsConnectionEvent = 'connected' | 'disconnected' | 'restarted';

/**
 * A persistent connection to one KMS. The real one wraps kurento-client; unit tests use a fake. Neither
 * `probe` nor anything else may throw or reject: a KMS failure is a `{ ok: false }` probe.
 */
export interface KmsConnection {
  /** Asks the KMS for its info and load; fails with a reason when anything misses `deadlineMs`. */
  probe(deadlineMs: number): Promise<KmsProbe>;
  /** Registers a listener; returns a function that removes it. */
  onEvent(listener: (event: KmsConnectionEvent) => void): () => void;
  /** Closes the connection for good; no reconnection, no event after this. */
  close(): Promise<void>;
}

/** Makes the connection for a KMS uri; `startAgent` takes one so tests can hand in fakes. */
export type ConnectKms = (kmsUri: string) => KmsConnection;
