import type { EventQuery as ContractEventQuery, EventPage, FleetEvent } from '@kurento-fleet/contract';
import { defineStatement } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import type { FleetDb } from './fleet-db';
import { type RowOf, rowsAs } from './rows';
import type { events } from './schema';
import { iso } from './views';

/** A row of the outbox. */
export type EventRow = RowOf<typeof events>;

export function toEventView(row: EventRow): FleetEvent {
  return {
    id: String(row.seq),
    type: row.type as FleetEvent['type'],
    at: iso(Number(row.at)),
    nodeId: row.node_id == null ? null : String(row.node_id),
    sessionId: row.session_id == null ? null : String(row.session_id),
    data: JSON.parse(String(row.data)) as Record<string, unknown>,
  };
}

/**
 * Event `e` is of `types`: a JSON array of the types asked for (a reader's filter, a webhook's), or NULL for
 * every type, those added later too; one statement serves every filter.
 */
export const ofTypes = (types: string, e: string) =>
  `(${types} IS NULL OR ${e}.type IN (SELECT value FROM json_each(${types})))`;

const filters = `(:node IS NULL OR events.node_id = :node) AND ${ofTypes(':types', 'events')}`;

const newestFirst = defineStatement<'node' | 'types' | 'before' | 'limit'>(`
  SELECT * FROM events WHERE ${filters} AND (:before IS NULL OR seq < :before) ORDER BY seq DESC LIMIT :limit`);

/** Events after `:after`, oldest first (a reader's feed, a webhook's next deliveries). */
export const oldestFirst = defineStatement<'node' | 'types' | 'after' | 'limit'>(`
  SELECT * FROM events WHERE ${filters} AND seq > :after ORDER BY seq LIMIT :limit`);

/** What a reader asks for: `after` (a feed, oldest first) or `cursor` (newest first, into older ones). */
type EventQuery = Omit<ContractEventQuery, 'limit'> & { limit: number };

/**
 * Events of the fleet. With `after`, oldest first from there, and `nextCursor` is the id to ask after next
 * (null once caught up); without it, newest first, and `nextCursor` continues into older events.
 */
export async function listEvents(db: FleetDb, query: EventQuery): Promise<EventPage> {
  const common = {
    node: query.nodeId ?? null,
    types: query.types?.length ? JSON.stringify(query.types) : null,
    limit: query.limit + 1,
  };
  const feed = query.after !== undefined;
  const rows = await db.client.query(
    feed
      ? oldestFirst({ ...common, after: query.after ?? 0 })
      : newestFirst({ ...common, before: query.cursor === undefined ? null : decodeCursor(query.cursor) }),
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const more = rows.length > query.limit && last;
  return {
    events: rowsAs<RowOf<typeof events>>(page).map(toEventView),
    nextCursor: more ? (feed ? String(last.seq) : encodeCursor(Number(last.seq))) : null,
  };
}

const newestId = defineStatement('SELECT COALESCE(MAX(seq), 0) AS seq FROM events');

/** The newest event's id (0 when there is none): where a stream that asks for no history starts. */
export async function latestEventId(db: FleetDb): Promise<number> {
  const [row] = await db.client.query(newestId({}));
  return Number(row?.seq ?? 0);
}
