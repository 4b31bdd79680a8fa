import { defineStatement } from './client';
import type { FleetDb } from './fleet-db';
import { iso } from './views';

/** How many placements the log keeps; the housekeeping sweep trims the rest. */
export const placementLogSize = 10_000;

/** Why a node took no part in a pick, in the order the rules are checked (./placement-policy). */
export const skipReasons = ['disabled', 'draining', 'weight0', 'down', 'ejected', 'full', 'cpu'] as const;
export type SkipReason = (typeof skipReasons)[number];

/** Why a pick went where it went (./placement-policy's decisionJson). */
export interface PlacementDecision {
  eligible: { id: string; weight: number; effectiveWeight: number; current: number }[];
  skipped: { id: string; why: SkipReason }[];
}

export interface PlacementView {
  sessionId: string;
  nodeId: string;
  outcome: 'new' | 'reassigned' | 'forced';
  at: string;
  /** Null for a forced placement: the operator chose, not the scheduler. */
  decision: PlacementDecision | null;
}

const newest = defineStatement<'limit'>(
  'SELECT session_id, node_id, outcome, at, decision FROM placements ORDER BY seq DESC LIMIT :limit',
);

/** The most recent placements, newest first (at most placementLogSize are kept). */
export async function listPlacements(db: FleetDb, limit: number): Promise<PlacementView[]> {
  const rows = await db.client.query(newest({ limit }));
  return rows.map((row) => ({
    sessionId: String(row.session_id),
    nodeId: String(row.node_id),
    outcome: row.outcome as PlacementView['outcome'],
    at: iso(Number(row.at)),
    decision: row.decision == null ? null : (JSON.parse(String(row.decision)) as PlacementDecision),
  }));
}

export const trimPlacements = defineStatement<'keep'>(
  'DELETE FROM placements WHERE seq <= (SELECT MAX(seq) FROM placements) - :keep',
);
