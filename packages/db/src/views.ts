import type { Row } from './client';

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

export function healthOf(row: Row, fresh: number): NodeHealth {
  if (row.last_heartbeat_at == null) return 'unknown';
  return num(row.connected) === 1 && num(row.last_heartbeat_at) >= fresh ? 'up' : 'down';
}

/** Maps a `nodes` row to the API's Node; `fresh` is the oldest heartbeat time that still counts as up. */
export function toNodeView(row: Row, fresh: number): NodeView {
  return {
    id: str(row.id),
    uri: str(row.uri),
    weight: num(row.weight),
    state: str(row.state) as NodeState,
    health: healthOf(row, fresh),
    lastHeartbeatAt: row.last_heartbeat_at == null ? null : iso(num(row.last_heartbeat_at)),
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
