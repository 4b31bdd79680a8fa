import {
  type Assignment,
  describeEvent,
  type FleetEvent,
  type FleetNode,
  type PlacementDecision,
  type PlacementPolicy,
  type PlacementPreview,
  type TokenInfo,
  type TopologyNode,
} from '@kurento-fleet/client';
import { formatFields, formatTable } from './table';

/** Human renderings of the API's objects. */

/** What the next placement would do with each node, and the limits it applies (`nodes list`'s ROTATION). */
export interface RotationView {
  decision: PlacementDecision;
  policy: PlacementPolicy;
}

export function nodesTable(nodes: FleetNode[], rotationView?: RotationView, now = Date.now()): string {
  if (nodes.length === 0) return 'no nodes';
  return formatTable(
    ['ID', 'URI', 'WEIGHT', 'STATE', 'HEALTH', 'SESSIONS', 'CPU', 'REGION', 'HEARTBEAT'].concat(
      rotationView ? ['ROTATION'] : [],
    ),
    nodes.map((node) =>
      [
        node.id,
        node.uri,
        String(node.weight),
        node.state,
        node.health,
        sessions(node),
        node.kms ? `${round(node.kms.usedCpuPercent)}% of ${node.kms.cpuCount}` : '-',
        node.region ?? '-',
        age(node.lastHeartbeatAt, now),
      ].concat(rotationView ? [rotation(node, rotationView)] : []),
    ),
  );
}

/**
 * Where a node stands for the next new session: `in`, `ramp 3/10` (slow start: its effective weight against
 * its weight), or why it is skipped, with the figure that decides it (`ejected until 12:00:30Z`,
 * `cpu 91% ≥ 85%`, `down`, `draining`…).
 */
export function rotation(node: FleetNode, { decision, policy }: RotationView): string {
  const taking = decision.eligible.find((entry) => entry.id === node.id);
  if (taking) {
    return taking.effectiveWeight < taking.weight ? `ramp ${taking.effectiveWeight}/${taking.weight}` : 'in';
  }
  const why = decision.skipped.find((entry) => entry.id === node.id)?.why;
  if (why === 'ejected' && node.ejectedUntil) return `ejected until ${clock(node.ejectedUntil)}`;
  if (why === 'cpu' && node.kms) return `cpu ${round(cpuLoad(node.kms))}% ≥ ${policy.maxCpuPercent}%`;
  return why ?? '-';
}

/** The CPU figure the guard reads: percent of all the KMS's cores. */
const cpuLoad = (kms: NonNullable<FleetNode['kms']>) => kms.usedCpuPercent / kms.cpuCount;

/** `HH:MM:SSZ` of an ISO time: the day is rarely in doubt for an ejection of seconds or minutes. */
const clock = (iso: string) => `${iso.slice(11, 19)}Z`;

export function topologyTable(nodes: TopologyNode[]): string {
  if (nodes.length === 0) return 'no nodes';
  return formatTable(
    ['ID', 'URI', 'STATE', 'HEALTH', 'EJECTED UNTIL'],
    nodes.map((node) => [node.id, node.uri, node.state, node.health, node.ejectedUntil ?? '-']),
  );
}

/** The next picks on one line, then every node with its part in the next pick. */
export function previewText(preview: PlacementPreview): string {
  const { eligible, skipped } = preview.decision;
  const picks = preview.nodeIds.length
    ? `next ${preview.nodeIds.length}: ${preview.nodeIds.join(' ')}`
    : 'no node can take a new session now';
  const rows = [
    ...eligible.map((e) => [e.id, 'in', String(e.weight), String(e.effectiveWeight), String(e.current)]),
    ...skipped.map((s) => [s.id, `skipped: ${s.why}`, '-', '-', '-']),
  ];
  if (rows.length === 0) return picks;
  return `${picks}

${formatTable(['NODE', 'NEXT PICK', 'WEIGHT', 'EFFECTIVE', 'CURRENT'], rows)}`;
}

export function policyFields(policy: PlacementPolicy): string {
  const seconds = (ms: number) => `${round(ms / 1000)} s`;
  return formatFields([
    [
      'ejection',
      `${seconds(policy.ejectionMs)}, doubling for each further report within ${seconds(policy.ejectionMemoryMs)}, ` +
        `at most ${seconds(policy.maxEjectionMs)}`,
    ],
    ['max ejected', `${policy.maxEjectedPercent}% of the fleet's weight`],
    [
      'cpu guard',
      policy.maxCpuPercent >= 100
        ? 'off'
        : `skip nodes at or above ${policy.maxCpuPercent}% while others are below`,
    ],
    [
      'slow start',
      policy.slowStartMs > 0
        ? `a node that comes up ramps to its weight over ${seconds(policy.slowStartMs)}`
        : 'off',
    ],
  ]);
}

export function nodeFields(node: FleetNode, now = Date.now()): string {
  const kms = node.kms;
  return formatFields([
    ['id', node.id],
    ['uri', node.uri],
    ['weight', String(node.weight)],
    ['state', node.state],
    ['health', node.health],
    ['ejected until', node.ejectedUntil ?? '-'],
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
