import { type Heartbeat, placementLogSize } from '@kurento-fleet/contract';
import { defineStatement, type Statement } from './client';
import { FleetError } from './errors';
import { retentionCutoff, trimDeliveries, trimEvents } from './event-retention';
import { type FleetDb, freshSince } from './fleet-db';
import { eventsFrom, sessionsOn } from './outbox';
import { trimPlacements } from './placements';
import { type RowOf, rowsAs } from './rows';
import type { observer } from './schema';
import { skipUnwanted } from './webhook-delivery';

type SweepParams = 'id' | 'fresh' | 'now' | 'timeout';
const staleAndUp = `reported_health = 'up' AND last_heartbeat_at < :fresh AND (:id IS NULL OR id = :id)`;

// A node that stopped reporting went down when its last heartbeat became stale: `now − fresh` after it (the
// timeout, plus whatever time this process could not observe), whenever the sweep notices. Both statements
// share one predicate, so each outage is written once.
const recordTimeouts = defineStatement<SweepParams>(
  eventsFrom({
    type: 'node.down',
    at: 'last_heartbeat_at + (:now - :fresh)',
    node: 'id',
    session: 'NULL',
    data: `json_object('reason', 'no heartbeat for ' || CAST(:timeout AS INTEGER) || ' ms',
      'sessions', json(${sessionsOn('nodes.id')}))`,
    from: `FROM nodes WHERE ${staleAndUp}`,
  }),
);
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
 * heartbeats stopped, trims the placement log and the outbox (./event-retention), and marks the time as
 * observed (see lastObservedAt). Health itself needs no sweep (it is derived from the last heartbeat on every
 * read). Safe from several replicas.
 */
export async function housekeep(db: FleetDb): Promise<void> {
  const now = db.now();
  const cutoff = retentionCutoff(db, now);
  await db.client.batch([
    ...sweepStatements(db, now, null),
    trimPlacements({ keep: placementLogSize }),
    skipUnwanted({}),
    trimEvents({ cutoff }),
    trimDeliveries({ cutoff }),
    markObserved({ now }),
  ]);
}

/**
 * The last time any control-plane process ran its housekeeping on this database, or null. A process starting
 * counts the span from then to its start as time nobody observed (./observation), so that heartbeats that
 * stopped only because no control plane was there to record them do not take nodes down.
 */
export async function lastObservedAt(db: FleetDb): Promise<number | null> {
  const [row] = rowsAs<RowOf<typeof observer>>(await db.client.query(selectObserved({})));
  return row ? Number(row.observed_at) : null;
}

type ReportParams = 'id' | 'now' | 'health' | 'reason' | 'started_at';

/** The report names another KMS start time than the last one: the KMS process was restarted. */
const restarted = `(:started_at IS NOT NULL AND json_extract(kms, '$.startedAt') <> :started_at)`;

const recordRestart = defineStatement<ReportParams>(
  eventsFrom({
    type: 'node.restarted',
    at: ':now',
    node: 'id',
    session: 'NULL',
    data: `json_object('reason', 'the KMS process was restarted (started at ' || :started_at || ')',
      'startedAt', :started_at)`,
    from: `FROM nodes WHERE id = :id AND ${restarted}`,
  }),
);

// node.down carries the sessions on the node at that moment, so an application can rebuild them at once.
const recordTransition = defineStatement<ReportParams>(
  eventsFrom({
    type: { sql: "'node.' || :health" },
    at: ':now',
    node: 'id',
    session: 'NULL',
    data: `CASE WHEN :health = 'down' THEN json_object('reason', :reason, 'sessions', json(${sessionsOn('nodes.id')}))
      ELSE json_object('reason', :reason) END`,
    from: 'FROM nodes WHERE id = :id AND reported_health <> :health',
  }),
);

// A heartbeat without a `kms` report (say, the KMS is unreachable) keeps the last one: it is "the last report".
// `up_since` marks where slow start begins: the node became up, or its KMS was restarted (./placement-policy).
const report = `connected = :connected, last_heartbeat_at = :now,
  kms = COALESCE(:kms, kms), agent = COALESCE(:agent, agent), cpu_load = COALESCE(:cpu, cpu_load)`;
type StoreParams = ReportParams | 'connected' | 'kms' | 'agent' | 'cpu';
const storeReport = defineStatement<StoreParams>(`
  UPDATE nodes SET ${report}, reported_health = :health,
    up_since = CASE WHEN :health = 'up' AND (reported_health <> 'up' OR ${restarted}) THEN :now ELSE up_since END
  WHERE id = :id RETURNING id`);

// The common heartbeat: same health as recorded, no outage for the sweep to record, same KMS process. Then the
// four other statements of the full batch would write nothing and up_since would stay, so this one statement
// writes exactly what the batch would (the timestamp included: health stays exact). Any other case matches no
// row here and takes the full batch. One atomic statement, so nothing can change between the test and the write.
const steady = `reported_health = :health AND NOT COALESCE(${staleAndUp}, 0) AND NOT COALESCE(${restarted}, 0)`;
const storeSteadyReport = defineStatement<StoreParams | 'fresh'>(
  `UPDATE nodes SET ${report} WHERE id = :id AND ${steady} RETURNING id`,
);

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
    cpu: heartbeat.kms ? heartbeat.kms.usedCpuPercent / heartbeat.kms.cpuCount : null,
    agent: heartbeat.agent ? JSON.stringify(heartbeat.agent) : null,
  };
  // A heartbeat is the most frequent write (a storm is 200 nodes × 10/s): one statement when nothing but the
  // report changed, and the full batch, a second round trip, only for a transition, a restart or a new node.
  // Not durable: the next heartbeat supersedes it within an interval, and the observer rule covers a restart
  // after a power cut that undid the last ones (see BatchOptions); transitions and restarts stay durable.
  const [steadyRow] = await db.client.batch([storeSteadyReport({ ...params, fresh: freshSince(db, now) })], {
    durable: false,
  });
  if (steadyRow?.length) return;
  const results = await db.client.batch([
    ...sweepStatements(db, now, nodeId),
    recordRestart(params),
    recordTransition(params),
    storeReport(params),
  ]);
  if (!results[4]?.length) throw new FleetError('NOT_FOUND', `Node '${nodeId}' does not exist.`);
}
