import type { PlacementPreview } from '@kurento-fleet/contract';
import { defineStatement, type SqlValue } from './client';
import { type FleetDb, policyOf, ruleParams } from './fleet-db';
import { decide, type ModelNode, pickNext } from './placement-model';
import { type RowOf, rowsAs } from './rows';
import type { nodes as nodeTable } from './schema';

const selectFleet = defineStatement('SELECT * FROM nodes ORDER BY seq');

const num = (value: SqlValue | undefined) => (value == null ? null : Number(value));

function toModelNode(row: RowOf<typeof nodeTable>): ModelNode {
  return {
    id: String(row.id),
    weight: Number(row.weight),
    current: Number(row.current),
    state: row.state as ModelNode['state'],
    max: num(row.max_sessions),
    lastHeartbeat: num(row.last_heartbeat_at),
    connected: Number(row.connected) === 1,
    ejectedUntil: num(row.ejected_until),
    ejections: Number(row.ejection_count),
    lastEjectedAt: num(row.last_ejected_at),
    upSince: num(row.up_since),
    cpuLoad: num(row.cpu_load),
  };
}

/**
 * The nodes the next `count` new sessions would get now, and the decision of the first pick, computed without
 * changing anything: one read of the fleet, then the picks on ./placement-model (the rules the SQL applies,
 * restated), each pick filling its node as a placement would. It holds as long as nothing else changes
 * meanwhile (a heartbeat, a release, the clock moving a ramp); a pick that finds no node ends the list early.
 */
export async function previewPlacements(db: FleetDb, count: number): Promise<PlacementPreview> {
  const { now, fresh } = ruleParams(db);
  const at = { now, fresh };
  const policy = policyOf(db);
  const rows = rowsAs<RowOf<typeof nodeTable>>(await db.client.query(selectFleet({})));
  const nodes = rows.map(toModelNode);
  const load = new Map(rows.map((row) => [String(row.id), Number(row.active_sessions)]));
  const loadOf = (n: ModelNode) => load.get(n.id) ?? 0;
  const decision = decide(nodes, loadOf, at, policy);
  const nodeIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = pickNext(nodes, loadOf, at, policy);
    if (id === null) break;
    nodeIds.push(id);
    load.set(id, (load.get(id) ?? 0) + 1);
  }
  return { nodeIds, decision };
}
