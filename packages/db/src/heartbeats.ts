import { defineStatement } from './client';
import { FleetError } from './errors';
import type { FleetDb } from './fleet-db';
import type { KmsReport } from './views';

export interface Heartbeat {
  connected: boolean;
  kms?: KmsReport | undefined;
  sessionIds?: string[] | undefined;
  agent?: { version: string; startedAt: string } | undefined;
}

// A heartbeat without a `kms` report (say, the KMS is unreachable) keeps the last one: it is "the last report".
const recordReport = defineStatement<'id' | 'connected' | 'now' | 'kms' | 'agent'>(`
  UPDATE nodes SET connected = :connected, last_heartbeat_at = :now,
    kms = COALESCE(:kms, kms), agent = COALESCE(:agent, agent)
  WHERE id = :id RETURNING id`);

/** Stores an agent's report. Health follows from it: `connected: false` makes the node down at once. */
export async function recordHeartbeat(db: FleetDb, nodeId: string, heartbeat: Heartbeat): Promise<void> {
  const [updated] = await db.client.batch([
    recordReport({
      id: nodeId,
      connected: heartbeat.connected ? 1 : 0,
      now: db.now(),
      kms: heartbeat.kms ? JSON.stringify(heartbeat.kms) : null,
      agent: heartbeat.agent ? JSON.stringify(heartbeat.agent) : null,
    }),
  ]);
  if (!updated?.length) throw new FleetError('NOT_FOUND', `Node '${nodeId}' does not exist.`);
}
