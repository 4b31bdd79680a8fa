import type { EventType } from '@kurento-fleet/contract';
import type { Statement } from './client';

/**
 * The one shape of every event write: `INSERT INTO events … SELECT …`, a statement of the same batch as the
 * change it reports (the transactional outbox), so that an event exists exactly when its change committed.
 * Each argument is SQL: the values, then the FROM/WHERE that decides whether (and for which rows) it is written.
 * It returns the ids it wrote, so that a batch tells whether it wrote any event (see ./outbox-watch).
 */
export function eventsFrom(values: {
  type: EventType | { sql: string };
  at: string;
  node: string;
  session: string;
  data: string;
  from: string;
}): string {
  const type = typeof values.type === 'string' ? `'${values.type}'` : values.type.sql;
  return `${eventInsert}
    SELECT ${type}, ${values.at}, ${values.node}, ${values.session}, ${values.data} ${values.from} RETURNING seq`;
}

const eventInsert = 'INSERT INTO events (type, at, node_id, session_id, data)';

/** True for a statement eventsFrom made: its rows are the ids of the events it wrote. */
export const writesEvents = (statement: Statement) => statement.sql.startsWith(eventInsert);

/** An epoch-ms SQL value as the API's ISO 8601 text. */
export const isoSql = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')`;

/** The ids of the sessions on node `nodeSql`, as a JSON array: what `node.down` carries, to rebuild them. */
export const sessionsOn = (nodeSql: string) =>
  `(SELECT json_group_array(so.id) FROM (SELECT id FROM sessions WHERE node_id = ${nodeSql} ORDER BY seq) so)`;
