import { defineStatement, type Statement } from './client';
import { FleetError } from './errors';
import { type FleetDb, freshSince } from './fleet-db';
import { placementLogSize, trimPlacements } from './placements';
import type { KmsReport } from './views';

export interface Heartbeat {
  connected: boolean;
  kms?: KmsReport | undefined;
  sessionIds?: string[] | undefined;
  agent?: { version: string; startedAt: string } | undefined;
}

type SweepParams = 'id' | 'fresh' | 'now' | 'timeout';
const staleAndUp = `reported_health = 'up' AND last_heartbeat_at < :fresh AND (:id IS NULL OR id = :id)`;

// A node that stopped reporting went down when its last heartbeat became stale: `now − fresh` after it (the
// timeout, plus whatever time this process could not observe), whenever the sweep notices. Both statements
// share one predicate, so each outage is written once.
const recordTimeouts = defineStatement<SweepParams>(`
  INSERT INTO node_events (node_id, at, type, reason)
  SELECT id, last_heartbeat_at + (:now - :fresh), 'down', 'no heartbeat for ' || CAST(:timeout AS INTEGER) || ' ms'
  FROM nodes WHERE ${staleAndUp}`);
const markTimedOut = defineStatement<SweepParams>(
  `UPDATE nodes SET reported_health = 'down' WHERE ${staleAndUp}`,
);

function sweepStatements(db: FleetDb, now: number, id: string | null): Statement[] {
  const params = { id, fresh: freshSince(db, now), now, timeout: db.heartbeatTimeoutMs };
  return [recordTimeouts(params), markTimedOut(params)];
}

const markObserved = defineStatement<'now'>(`
  INSERT INTO observer (id, observed_at) VALUES (1, :now)
  ON CONFLICT (id) DO UPDATE SET observed_at = MAX(observed_at, excluded.observed_at)`);
const selectObserved = defineStatement('SELECT observed_at FROM observer WHERE id = 1');

/**
 * The periodic housekeeping (a Node timer, a Workers cron): records a `down` event for every node whose
 * heartbeats stopped, trims the placement log, and marks the time as observed (see lastObservedAt). Health
 * itself needs no sweep (it is derived from the last heartbeat on every read). Safe from several replicas.
 */
export async function housekeep(db: FleetDb): Promise<void> {
  const now = db.now();
  await db.client.batch([
    ...sweepStatements(db, now, null),
    trimPlacements({ keep: placementLogSize }),
    markObserved({ now }),
  ]);
}

/**
 * The last time any control-plane process ran its housekeeping on this database, or null. A process starting
 * counts the span from then to its start as time nobody observed (./observation), so that heartbeats that
 * stopped only because no control plane was there to record them do not take nodes down.
 */
export async function lastObservedAt(db: FleetDb): Promise<number | null> {
  const [row] = await db.client.query(selectObserved({}));
  return row ? Number(row.observed_at) : null;
}

type ReportParams = 'id' | 'now' | 'health' | 'reason' | 'started_at';

const recordRestart = defineStatement<ReportParams>(`
  INSERT INTO node_events (node_id, at, type, reason)
  SELECT id, :now, 'restarted', 'the KMS process was restarted (started at ' || :started_at || ')' FROM nodes
  WHERE id = :id AND :started_at IS NOT NULL AND json_extract(kms, '$.startedAt') <> :started_at`);

const recordTransition = defineStatement<ReportParams>(`
  INSERT INTO node_events (node_id, at, type, reason)
  SELECT id, :now, :health, :reason FROM nodes WHERE id = :id AND reported_health <> :health`);

// A heartbeat without a `kms` report (say, the KMS is unreachable) keeps the last one: it is "the last report".
const storeReport = defineStatement<'id' | 'connected' | 'now' | 'kms' | 'agent' | 'health'>(`
  UPDATE nodes SET connected = :connected, last_heartbeat_at = :now, reported_health = :health,
    kms = COALESCE(:kms, kms), agent = COALESCE(:agent, agent)
  WHERE id = :id RETURNING id`);

/**
 * Stores an agent's report and records what changed: an outage that ended before the sweep saw it, a
 * restarted KMS (its start time changed), up/down. `connected: false` makes the node down at once.
 */
export async function recordHeartbeat(db: FleetDb, nodeId: string, heartbeat: Heartbeat): Promise<void> {
  const now = db.now();
  const health = heartbeat.connected ? 'up' : 'down';
  const params = {
    id: nodeId,
    now,
    health,
    reason: heartbeat.connected
      ? 'the agent reports the KMS connected'
      : 'the agent reports the KMS unreachable',
    started_at: heartbeat.kms?.startedAt ?? null,
    connected: heartbeat.connected ? 1 : 0,
    kms: heartbeat.kms ? JSON.stringify(heartbeat.kms) : null,
    agent: heartbeat.agent ? JSON.stringify(heartbeat.agent) : null,
  };
  const results = await db.client.batch([
    ...sweepStatements(db, now, nodeId),
    recordRestart(params),
    recordTransition(params),
    storeReport(params),
  ]);
  if (!results[4]?.length) throw new FleetError('NOT_FOUND', `Node '${nodeId}' does not exist.`);
}
