import type { AgentInfo, Assignment, KmsReport, Node, NodeHealth, NodeState } from '@kurento-fleet/contract';
import type { SqlValue } from './client';
import { ejected, healthColumn } from './health';
import type { RowOf, With } from './rows';
import type { nodes, sessions } from './schema';

export const iso = (ms: number) => new Date(ms).toISOString();

type Cell = SqlValue | undefined;
const num = (value: Cell) => Number(value);
const str = (value: Cell) => String(value);
const json = <T>(value: Cell): T | null => (value == null ? null : (JSON.parse(String(value)) as T));

/**
 * The columns a node view is read with: the row, its health, and its ejection while it lasts. Binds `:fresh`
 * and `:now` (./health). Unqualified `*` for the bare table, since RETURNING refuses `table.*`.
 */
export const nodeViewColumns = (n: string) =>
  `${n === 'nodes' ? '*' : `${n}.*`}, ${healthColumn(n)} AS health, ` +
  `CASE WHEN ${ejected(n)} THEN ${n}.ejected_until END AS ejected_now`;

/** A node read with nodeViewColumns. */
export type NodeViewRow = RowOf<typeof nodes> & With<'health' | 'ejected_now'>;

/** Maps a row read with nodeViewColumns to the API's Node. */
export function toNodeView(row: NodeViewRow): Node {
  return {
    id: str(row.id),
    uri: str(row.uri),
    weight: num(row.weight),
    state: str(row.state) as NodeState,
    health: str(row.health) as NodeHealth,
    lastHeartbeatAt: row.last_heartbeat_at == null ? null : iso(num(row.last_heartbeat_at)),
    ejectedUntil: row.ejected_now == null ? null : iso(num(row.ejected_now)),
    kms: json<KmsReport>(row.kms),
    agent: json<AgentInfo>(row.agent),
    activeSessions: num(row.active_sessions),
    maxSessions: row.max_sessions == null ? null : num(row.max_sessions),
    region: row.region == null ? null : str(row.region),
    labels: json<Record<string, string>>(row.labels) ?? {},
    createdAt: iso(num(row.created_at)),
    updatedAt: iso(num(row.updated_at)),
  };
}

/** A session read with its node's uri as `kms_uri`. */
export type AssignmentRow = Pick<RowOf<typeof sessions>, 'id' | 'node_id' | 'assigned_at'> &
  Partial<Pick<RowOf<typeof sessions>, 'reassigned'>> &
  With<'kms_uri'>;

/** Maps a row of `sessions` joined with its node's uri (as `kms_uri`) to the API's assignment. */
export function toAssignmentView(row: AssignmentRow, reassigned = num(row.reassigned) === 1): Assignment {
  return {
    sessionId: str(row.id),
    nodeId: str(row.node_id),
    kmsUri: str(row.kms_uri),
    assignedAt: iso(num(row.assigned_at)),
    reassigned,
  };
}
