import { defineStatement, type Row } from './client';
import { type FleetDb, policyOf, ruleParams } from './fleet-db';
import { type ModelNode, pickNext } from './placement-model';

const selectFleet = defineStatement('SELECT * FROM nodes ORDER BY seq');

const num = (value: Row[string] | undefined) => (value == null ? null : Number(value));

function toModelNode(row: Row): ModelNode {
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
 * The nodes the next `count` new sessions would get now, computed without changing anything: one read of the
 * fleet, then the picks on ./placement-model (the rules the SQL applies, restated), each pick filling its node
 * as a placement would. It holds as long as nothing else changes meanwhile (a heartbeat, a release, the clock
 * moving a ramp); a pick that finds no node ends the list early.
 */
export async function previewPlacements(db: FleetDb, count: number): Promise<string[]> {
  const { now, fresh } = ruleParams(db);
  const rows = await db.client.query(selectFleet({}));
  const nodes = rows.map(toModelNode);
  const load = new Map(rows.map((row) => [String(row.id), Number(row.active_sessions)]));
  const picks: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = pickNext(nodes, (n) => load.get(n.id) ?? 0, { now, fresh }, policyOf(db));
    if (id === null) break;
    picks.push(id);
    load.set(id, (load.get(id) ?? 0) + 1);
  }
  return picks;
}
