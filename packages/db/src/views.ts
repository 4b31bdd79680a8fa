import type { Row } from './client';
import { ejected, healthColumn } from './health';

export type NodeState = 'active' | 'draining' | 'disabled';
export type NodeHealth = 'up' | 'down' | 'unknown';

/** What the agent last reported about its KMS. */
export interface KmsReport {
  version: string;
  cpuCount: number;
  usedCpuPercent: number;
  usedMemoryKiB: number;
  pipelines: number;
  /** When the KMS process started (ServerManager's creation time); a change means it was restarted. */
  startedAt?: string | undefined;
}

/** The agent that last reported for a node. */
export interface AgentInfo {
  version: string;
  startedAt: string;
}

/** A node as the API shows it (reference/http-api.md, "Node"). */
export interface NodeView {
  id: string;
  uri: string;
  weight: number;
  state: NodeState;
  health: NodeHealth;
  lastHeartbeatAt: string | null;
  /** Out of rotation until then, after a failure an application reported; null when not ejected. */
  ejectedUntil: string | null;
  kms: KmsReport | null;
  agent: AgentInfo | null;
  activeSessions: number;
  maxSessions: number | null;
  region: string | null;
  labels: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** A session's assignment as the API shows it. */
export interface AssignmentView {
  sessionId: string;
  nodeId: string;
  kmsUri: string;
  assignedAt: string;
  reassigned: boolean;
}

export const iso = (ms: number) => new Date(ms).toISOString();

type Cell = Row[string] | undefined;
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

/** Maps a row read with nodeViewColumns to the API's Node. */
export function toNodeView(row: Row): NodeView {
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

/** Maps a row of `sessions` joined with its node's uri (as `kms_uri`) to the API's assignment. */
export function toAssignmentView(row: Row, reassigned = num(row.reassigned) === 1): AssignmentView {
  return {
    sessionId: str(row.id),
    nodeId: str(row.node_id),
    kmsUri: str(row.kms_uri),
    assignedAt: iso(num(row.assigned_at)),
    reassigned,
  };
}
