import {
  type Assignment,
  describeEvent,
  type FleetEvent,
  type FleetNode,
  type TokenInfo,
} from '@kurento-fleet/client';
import { formatFields, formatTable } from './table';

/** Human renderings of the API's objects. */

export function nodesTable(nodes: FleetNode[], now = Date.now()): string {
  if (nodes.length === 0) return 'no nodes';
  return formatTable(
    ['ID', 'URI', 'WEIGHT', 'STATE', 'HEALTH', 'SESSIONS', 'CPU', 'REGION', 'HEARTBEAT'],
    nodes.map((node) => [
      node.id,
      node.uri,
      String(node.weight),
      node.state,
      node.health,
      sessions(node),
      node.kms ? `${round(node.kms.usedCpuPercent)}% of ${node.kms.cpuCount}` : '-',
      node.region ?? '-',
      age(node.lastHeartbeatAt, now),
    ]),
  );
}

export function nodeFields(node: FleetNode, now = Date.now()): string {
  const kms = node.kms;
  return formatFields([
    ['id', node.id],
    ['uri', node.uri],
    ['weight', String(node.weight)],
    ['state', node.state],
    ['health', node.health],
    ['sessions', sessions(node)],
    ['region', node.region ?? '-'],
    ['labels', labels(node.labels)],
    [
      'last heartbeat',
      node.lastHeartbeatAt ? `${node.lastHeartbeatAt} (${age(node.lastHeartbeatAt, now)})` : 'never',
    ],
    [
      'kms',
      kms
        ? `${kms.version}, ${kms.cpuCount} CPUs at ${round(kms.usedCpuPercent)}%, ` +
          `${round(kms.usedMemoryKiB / 1024)} MiB, ${kms.pipelines} pipelines`
        : '-',
    ],
    ['agent', node.agent ? `${node.agent.version}, started ${node.agent.startedAt}` : '-'],
    ['created', node.createdAt],
    ['updated', node.updatedAt],
  ]);
}

/** `new`, `existing` or `reassigned`: what an assignment call did. */
export function assignmentOutcome(assignment: Assignment, created: boolean): string {
  if (created) return 'new';
  return assignment.reassigned ? 'reassigned (rebuild its media)' : 'existing';
}

export function assignmentFields(assignment: Assignment, outcome?: string): string {
  return formatFields([
    ['session', assignment.sessionId],
    ['node', assignment.nodeId],
    ['kms uri', assignment.kmsUri],
    ['assigned at', assignment.assignedAt],
    ...(outcome ? ([['outcome', outcome]] as Array<[string, string]>) : []),
  ]);
}

export function sessionsTable(sessions: Assignment[]): string {
  if (sessions.length === 0) return 'no sessions';
  return formatTable(
    ['SESSION', 'NODE', 'KMS URI', 'ASSIGNED AT'],
    sessions.map((session) => [session.sessionId, session.nodeId, session.kmsUri, session.assignedAt]),
  );
}

export function tokensTable(tokens: TokenInfo[]): string {
  if (tokens.length === 0) return 'no tokens';
  return formatTable(
    ['ID', 'ROLE', 'NAME', 'CREATED'],
    tokens.map((token) => [token.id, token.role, token.name ?? '-', token.createdAt]),
  );
}

export function eventsTable(events: FleetEvent[]): string {
  if (events.length === 0) return 'no events';
  return formatTable(
    ['ID', 'AT', 'TYPE', 'NODE', 'SESSION', 'WHAT'],
    events.map((e) => [e.id, e.at, e.type, e.nodeId ?? '-', e.sessionId ?? '-', describeEvent(e)]),
  );
}

function sessions(node: FleetNode): string {
  return node.maxSessions === null
    ? String(node.activeSessions)
    : `${node.activeSessions}/${node.maxSessions}`;
}

function labels(map: Record<string, string>): string {
  const entries = Object.entries(map);
  return entries.length === 0 ? '-' : entries.map(([key, value]) => `${key}=${value}`).join(', ');
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** `3s ago`, `5m ago`…: how fresh a heartbeat is, which is what an operator looks for. */
function age(at: string | null, now: number): string {
  if (!at) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}
