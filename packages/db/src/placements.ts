import type { Placement, PlacementDecision } from '@kurento-fleet/contract';
import { defineStatement } from './client';
import type { FleetDb } from './fleet-db';
import { type RowOf, rowsAs } from './rows';
import type { placements } from './schema';
import { iso } from './views';

const newest = defineStatement<'limit'>(
  'SELECT session_id, node_id, outcome, at, decision FROM placements ORDER BY seq DESC LIMIT :limit',
);

/** The most recent placements, newest first (at most the contract's placementLogSize are kept). */
export async function listPlacements(db: FleetDb, limit: number): Promise<Placement[]> {
  const rows = await db.client.query(newest({ limit }));
  return rowsAs<RowOf<typeof placements>>(rows).map((row) => ({
    sessionId: String(row.session_id),
    nodeId: String(row.node_id),
    outcome: row.outcome as Placement['outcome'],
    at: iso(Number(row.at)),
    decision: row.decision == null ? null : (JSON.parse(String(row.decision)) as PlacementDecision),
  }));
}

export const trimPlacements = defineStatement<'keep'>(
  'DELETE FROM placements WHERE seq <= (SELECT MAX(seq) FROM placements) - :keep',
);
