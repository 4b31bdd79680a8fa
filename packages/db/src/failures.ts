import { defineStatement } from './client';
import { FleetError } from './errors';
import { type FleetDb, policyOf } from './fleet-db';
import { ejected } from './health';
import { eventsFrom, isoSql } from './outbox';
import { iso } from './views';

/** Ejections this close together count as one run: each lasts twice the one before (Envoy's outlier detection). */
export const ejectionMemoryMs = 10 * 60_000;
/** The longest ejection, as a multiple of the first. */
export const maxEjectionFactor = 10;

type FailureParams = 'id' | 'now' | 'nonce' | 'reason' | 'base' | 'memory' | 'pct';

// The run this report continues (or starts), and how long the ejection lasts: base × 2^(run − 1), at most 10×.
const runLength = `CASE WHEN last_ejected_at IS NOT NULL AND :now - last_ejected_at < :memory
  THEN ejection_count + 1 ELSE 1 END`;
const ejectionMs = `MIN(:base * (1 << MIN(${runLength} - 1, 20)), :base * ${maxEjectionFactor})`;

// The cap: the nodes ejected now plus this one may hold at most :pct percent of the fleet's total weight.
const withinCap = `((SELECT COALESCE(SUM(e.weight), 0) FROM nodes e WHERE ${ejected('e')}) + t.weight) * 100
  <= :pct * (SELECT COALESCE(SUM(a.weight), 0) FROM nodes a)`;

/** A report that would cross the cap is recorded with why, and ejects nothing. */
const recordRefusal = defineStatement<FailureParams>(
  eventsFrom({
    type: 'node.ejected',
    at: ':now',
    node: 't.id',
    session: 'NULL',
    data: `json_object('reason', :reason, 'ejectedUntil', NULL, 'why', 'not ejected: ejecting it would take more than ' ||
      CAST(:pct AS INTEGER) || '% of the fleet''s weight out of rotation')`,
    from: `FROM nodes t WHERE t.id = :id AND NOT ${ejected('t')} AND NOT ${withinCap}`,
  }),
);

/** A report on a node already ejected changes nothing: many clients report one outage. */
const eject = defineStatement<FailureParams>(`
  UPDATE nodes AS t SET ejected_until = :now + ${ejectionMs}, ejection_count = ${runLength},
    last_ejected_at = :now, op_nonce = :nonce
  WHERE t.id = :id AND NOT ${ejected('t')} AND ${withinCap}`);

const recordEjection = defineStatement<'nonce' | 'now' | 'reason'>(
  eventsFrom({
    type: 'node.ejected',
    at: ':now',
    node: 'id',
    session: 'NULL',
    data: `json_object('reason', :reason, 'ejectedUntil', ${isoSql('ejected_until')},
      'why', 'ejected for ' || CAST(ejected_until - :now AS INTEGER) || ' ms')`,
    from: 'FROM nodes WHERE op_nonce = :nonce',
  }),
);

const clearNonce = defineStatement<'nonce'>('UPDATE nodes SET op_nonce = NULL WHERE op_nonce = :nonce');

const readEjection = defineStatement<'id' | 'now'>(
  `SELECT CASE WHEN ${ejected('nodes')} THEN ejected_until END AS until FROM nodes WHERE id = :id`,
);

export interface FailureReport {
  nodeId: string;
  /** Until when the node is out of rotation; null when the cap kept it in. */
  ejectedUntil: string | null;
}

/**
 * An application could not reach the node's KMS: take the node out of rotation at once (passive health), for
 * an ejection that doubles with each further report within ejectionMemoryMs, up to maxEjectionFactor × the
 * first. Never ejects past the policy's share of the fleet's weight. One batch, so replicas agree.
 */
export async function reportFailure(db: FleetDb, nodeId: string, reason: string): Promise<FailureReport> {
  const now = db.now();
  const policy = policyOf(db);
  const params = {
    id: nodeId,
    now,
    nonce: crypto.randomUUID(),
    reason,
    base: policy.ejectionMs,
    memory: ejectionMemoryMs,
    pct: policy.maxEjectedPercent,
  };
  const results = await db.client.batch([
    recordRefusal(params),
    eject(params),
    recordEjection(params),
    clearNonce(params),
    readEjection(params),
  ]);
  const [row] = results[4] ?? [];
  if (!row) throw new FleetError('NOT_FOUND', `Node '${nodeId}' does not exist.`);
  return { nodeId, ejectedUntil: row.until == null ? null : iso(Number(row.until)) };
}
