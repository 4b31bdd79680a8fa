import { defineStatement } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import type { FleetDb } from './fleet-db';
import { iso } from './views';

export interface NodeEventView {
  id: string;
  nodeId: string;
  at: string;
  type: 'up' | 'down' | 'restarted';
  reason: string | null;
}

const listPage = defineStatement<'node' | 'before' | 'limit'>(`
  SELECT seq, node_id, at, type, reason FROM node_events
  WHERE (:node IS NULL OR node_id = :node) AND (:before IS NULL OR seq < :before)
  ORDER BY seq DESC LIMIT :limit`);

/** Health transitions of the fleet, newest first; the cursor continues into older events. */
export async function listEvents(
  db: FleetDb,
  input: { nodeId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ events: NodeEventView[]; nextCursor: string | null }> {
  const before = input.cursor === undefined ? null : decodeCursor(input.cursor);
  const rows = await db.client.query(
    listPage({ node: input.nodeId ?? null, before, limit: input.limit + 1 }),
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    events: page.map((row) => ({
      id: String(row.seq),
      nodeId: String(row.node_id),
      at: iso(Number(row.at)),
      type: row.type as NodeEventView['type'],
      reason: row.reason === null || row.reason === undefined ? null : String(row.reason),
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(Number(last.seq)) : null,
  };
}
